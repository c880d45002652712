import { Document, Scalar } from 'yaml';

/** The temporary login Packer uses during the image build (deleted by its shutdown command). */
export const BUILD_USER = 'gen-userdata-build';

/**
 * Where the build login's password goes in the user-data template. Packer's templatefile()
 * replaces it with `local.build_password`, a uuidv4() evaluated once per `packer build`, so
 * the password is new for every build and never written into our output, which therefore
 * stays byte-identical across runs.
 */
export const BUILD_PASSWORD_PLACEHOLDER = '${password}';

/** File name, in cidata/, of the user-data template that node.pkr.hcl renders with templatefile(). */
export const BUILD_USER_DATA_TEMPLATE = 'user-data.pkrtpl.hcl';

/**
 * The build boot's seed, by file name in cidata/: the user-data as a Packer template
 * (rendered into the cidata CD with cd_content) and the meta-data, used as is.
 */
export interface BuildSeed {
  [BUILD_USER_DATA_TEMPLATE]: string;
  'meta-data': string;
}

/**
 * Renders the build boot's seed: a #cloud-config template that only creates the build user
 * with passwordless sudo and password SSH login (Packer's QEMU builder cannot hand its own
 * SSH key to a cloud image), and a fixed instance-id. YAML 1.1 like the node user-data.
 * The template's only HCL interpolation is BUILD_PASSWORD_PLACEHOLDER, double-quoted in
 * the YAML; the rest is plain text to templatefile() (no other `${` or `%{`).
 */
export function buildSeed(cluster: string): BuildSeed {
  const password = new Scalar(BUILD_PASSWORD_PLACEHOLDER);
  password.type = 'QUOTE_DOUBLE';
  const config = {
    users: [{
      name: BUILD_USER,
      shell: '/bin/bash',
      sudo: 'ALL=(ALL) NOPASSWD:ALL',
      lock_passwd: false,
      plain_text_passwd: password,
    }],
    ssh_pwauth: true,
  };
  const body = new Document(config, { version: '1.1' }).toString({ lineWidth: 0 });
  const header = [
    '#cloud-config',
    `# gen-userdata: image build of cluster ${cluster}. Only the temporary build login;`,
    '# the build deletes it, and the password login it enables, before powering off.',
    '# Packer template: node.pkr.hcl fills in a random password for each build.',
  ];
  return {
    [BUILD_USER_DATA_TEMPLATE]: `${header.join('\n')}\n${body}`,
    'meta-data': new Document({ 'instance-id': `gen-userdata-image-${cluster}`, 'local-hostname': `${cluster}-image` }, { version: '1.1' }).toString(),
  };
}

/**
 * What Packer's templatefile() makes of the user-data template for `password`: the
 * placeholder replaced, nothing else (the template has no other interpolation). For tests
 * and for boots of the build seed without Packer. `password` must not need YAML escaping
 * inside double quotes (a uuidv4 does not). Throws when the template does not contain the
 * placeholder exactly once, which would be a bug in buildSeed.
 */
export function fillBuildPassword(template: string, password: string): string {
  if (/["\\\s]/.test(password)) throw new Error('build password must not need escaping in a double-quoted YAML scalar');
  const parts = template.split(BUILD_PASSWORD_PLACEHOLDER);
  if (parts.length !== 2) throw new Error(`build seed template has ${parts.length - 1} password placeholders, expected 1`);
  return parts.join(password);
}

import { Document } from 'yaml';

/** The temporary login Packer uses during the image build (deleted by its shutdown command). */
export const BUILD_USER = 'gen-userdata-build';

/**
 * Its password. Fixed rather than random so the output stays byte-identical across runs;
 * it is only valid while the build VM runs (Packer's forwarded SSH port), and the build
 * deletes the account and the password login before it powers off.
 */
export const BUILD_PASSWORD = 'gen-userdata-build';

/** The NoCloud seed of the build boot: user-data and meta-data for the cidata CD. */
export interface BuildSeed {
  'user-data': string;
  'meta-data': string;
}

/**
 * Renders the build boot's seed: a #cloud-config that only creates the build user with
 * passwordless sudo and password SSH login (Packer's QEMU builder cannot hand its own
 * SSH key to a cloud image), and a fixed instance-id. YAML 1.1 like the node user-data.
 */
export function buildSeed(cluster: string): BuildSeed {
  const config = {
    users: [{
      name: BUILD_USER,
      shell: '/bin/bash',
      sudo: 'ALL=(ALL) NOPASSWD:ALL',
      lock_passwd: false,
      plain_text_passwd: BUILD_PASSWORD,
    }],
    ssh_pwauth: true,
  };
  const body = new Document(config, { version: '1.1' }).toString({ lineWidth: 0 });
  const header = [
    '#cloud-config',
    `# gen-userdata: image build of cluster ${cluster}. Only the temporary build login;`,
    '# the build deletes it, and the password login it enables, before powering off.',
  ];
  return {
    'user-data': `${header.join('\n')}\n${body}`,
    'meta-data': new Document({ 'instance-id': `gen-userdata-image-${cluster}`, 'local-hostname': `${cluster}-image` }, { version: '1.1' }).toString(),
  };
}

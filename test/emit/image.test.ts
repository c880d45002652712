// The golden-image files checked with real tools: provision.sh with bash -n and
// shellcheck, node.pkr.hcl and the build seed template with HashiCorp's HCL parser,
// the rendered build seed with cloud-init schema; plus the Packer template's structure.
import t from 'tap';
import { assertCloudConfigValid } from '../helpers/cloud-init-schema.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { parse as parseYaml } from 'yaml';
import { generateImage } from '../../src/output/generate-image.js';
import { renderPackerTemplate } from '../../src/emit/image/packer-template.js';
import { buildSeed, fillBuildPassword, BUILD_PASSWORD_PLACEHOLDER, BUILD_USER, BUILD_USER_DATA_TEMPLATE } from '../../src/emit/image/build-seed.js';
import type { Profile } from '../../src/profile/types.js';
import { bundledTemplates, profileAt } from '../helpers/fixtures.js';
import { lintNodeScripts } from '../helpers/shellcheck.js';
import { IMAGE_LIBRARY_PARTS, shellLibraryFile } from '../../src/plan/shell-library.js';
import { airgapProfile, prebakedVariant } from '../helpers/image-fixtures.js';

const templates = bundledTemplates();
const lab = profileAt('profiles/lab.yaml');
const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-image-'));
const text = (files: ReturnType<typeof generateImage>, path: string): string => {
  const f = files.find((x) => x.path === path);
  if (f === undefined) throw new Error(`${path} not generated`);
  return Buffer.from(f.content).toString('utf8');
};

const variants: [string, Profile][] = [
  ['lab', lab],
  ['lab-prebaked', prebakedVariant(lab)],
  ['airgap', airgapProfile()],
  ['flannel-iptables', profileAt('test/fixtures/profiles/flannel.yaml')],
];

for (const [name, profile] of variants) {
  t.test(`${name}: provision.sh passes bash -n and shellcheck, with the shell library it writes and sources`, async (t) => {
    const provision = text(generateImage(profile, templates), 'provision.sh');
    const library = shellLibraryFile(templates, 'cloud-init', IMAGE_LIBRARY_PARTS, [provision]);
    t.match(provision, `\n${library.content}GEN_USERDATA_EOF\n`, 'provision.sh writes the library with the functions it calls');
    t.equal(lintNodeScripts(t, [{ label: name, files: [{ path: '/provision.sh', content: provision }, library] }]), 1);
  });
}

t.test('node.pkr.hcl parses with the HCL parser and has the QEMU build', async (t) => {
  const hcl = renderPackerTemplate(lab, templates);
  const doc = (await parseHcl('node.pkr.hcl', hcl)) as Record<string, any>;
  const plugin = doc['packer'][0]['required_plugins'][0]['qemu'];
  t.equal(plugin.source, 'github.com/hashicorp/qemu');

  const vars = doc['variable'];
  t.match(vars['image_url'][0]['default'], /^https:\/\/cloud-images\.ubuntu\.com\/releases\/24\.04\/.*cloudimg-amd64\.img$/);
  t.match(vars['image_checksum'][0]['default'], /^file:https:\/\/cloud-images\.ubuntu\.com\/releases\/24\.04\/.*SHA256SUMS$/);
  t.match(vars['image_url'][0]['description'], /debian-12-genericcloud-amd64\.qcow2/, 'the Debian 12 alternative is documented');

  const source = doc['source']['qemu']['node'][0];
  t.equal(source['iso_url'], '${var.image_url}');
  t.equal(source['iso_checksum'], '${var.image_checksum}');
  t.equal(source['disk_image'], true, 'the cloud image is a disk, not an installer ISO');
  t.equal(source['cd_label'], 'cidata');
  t.equal(source['cd_files'], undefined, 'no static seed files: the user-data is rendered per build');
  t.same(source['cd_content'], {
    'meta-data': '${file("${path.root}/cidata/meta-data")}',
    'user-data': `\${templatefile("\${path.root}/cidata/${BUILD_USER_DATA_TEMPLATE}", { password = local.build_password })}`,
  }, 'the seed gets the same per-build password as ssh_password');
  t.equal(source['ssh_username'], '${local.build_user}');
  t.equal(source['ssh_password'], '${local.build_password}');
  t.same(source['qemuargs'], [['-netdev', 'user,id=user.0,hostfwd=tcp:127.0.0.1:{{ .SSHHostPort }}-:22']], 'SSH forward bound to loopback');
  t.equal(source['vnc_bind_address'], '127.0.0.1');
  t.equal(source['vm_name'], 'lab-node.qcow2');
  t.match(source['shutdown_command'], /userdel --force --remove \$\{local\.build_user\}/, 'the build login is deleted');
  t.match(source['shutdown_command'], /50-cloud-init\.conf/, 'and the password login it enabled');
  t.same(doc['locals'], [{ build_user: BUILD_USER }], 'no password among the plain locals');
  t.same(doc['local']['build_password'], [{ expression: '${uuidv4()}', sensitive: true }], 'a random password per build, kept out of logs');
  t.equal(doc['packer'][0]['required_version'], '>= 1.7.0', 'templatefile() and sensitive locals need Packer 1.7');

  const build = doc['build'][0];
  t.same(build['sources'], ['source.qemu.node']);
  const shells = build['provisioner']['shell'] as Record<string, string>[];
  const provision = shells.find((p) => p['script'] !== undefined);
  t.equal(provision?.['script'], '${path.root}/provision.sh');
  t.match(provision?.['execute_command'], /sudo env \{\{ \.Vars \}\} \{\{ \.Path \}\}/, 'provision.sh runs as root');
});

t.test('a broken template is rejected by the parser (the check can fail)', async (t) => {
  const broken = renderPackerTemplate(lab, templates).replace('cd_label = "cidata"', 'cd_label = ');
  await t.rejects(parseHcl('node.pkr.hcl', broken));
});

// A password of the form uuidv4() gives.
const SAMPLE_PASSWORD = '12345678-9abc-4def-8123-456789abcdef';

t.test('the rendered build seed is valid cloud-config and matches the Packer login', async (t) => {
  const seed = buildSeed('lab');
  const userData = fillBuildPassword(seed[BUILD_USER_DATA_TEMPLATE], SAMPLE_PASSWORD);
  const file = join(dir, 'seed-user-data');
  writeFileSync(file, userData);
  assertCloudConfigValid(t, file, 'build seed');
  const config = parseYaml(userData, { version: '1.1' }) as { users: Record<string, unknown>[]; ssh_pwauth: boolean };
  t.same(config.users.map((u) => [u['name'], u['plain_text_passwd'], u['lock_passwd']]), [[BUILD_USER, SAMPLE_PASSWORD, false]]);
  t.equal(config.ssh_pwauth, true);
  t.same(parseYaml(seed['meta-data']), { 'instance-id': 'gen-userdata-image-lab', 'local-hostname': 'lab-image' });
});

t.test('the build seed template has one interpolation, the password, and no fixed password', async (t) => {
  const template = buildSeed('lab')[BUILD_USER_DATA_TEMPLATE];
  // templatefile() reads the file as an HCL template: ${…} and %{…} are live, $${ and %%{
  // are escapes. The parser rejects a malformed one; a parse that returns the text
  // unchanged means there are no escapes, so the one ${ left is the password.
  const parsed = (await parseHcl('t.hcl', `x = <<EOT\n${template}EOT\n`)) as { x: string };
  t.equal(parsed.x, template);
  t.equal(template.split('${').length - 1, 1, 'one interpolation');
  t.match(template, `plain_text_passwd: "${BUILD_PASSWORD_PLACEHOLDER}"`);
  t.notMatch(template, /%\{/, 'no template directive');
  t.notMatch(template, /\{\{/, 'nothing for Packer\'s own {{ }} interpolation of builder settings');
  await t.rejects(parseHcl('t.hcl', `x = <<EOT\n${template.replace('users:', 'users: %{ if')}EOT\n`), 'the parse can fail');
  t.throws(() => fillBuildPassword(template.replace(BUILD_PASSWORD_PLACEHOLDER, 'x'), SAMPLE_PASSWORD), /0 password placeholders/);
  t.throws(() => fillBuildPassword(template, 'a"b'), /escaping/);
});

t.test('the image directory has the README with the build command, and nothing secret', async (t) => {
  const files = generateImage(lab, templates);
  t.same(files.map((f) => f.path), ['README.md', 'cidata/meta-data', 'cidata/user-data.pkrtpl.hcl', 'node.pkr.hcl', 'provision.sh']);
  t.equal(files.find((f) => f.path === 'provision.sh')?.mode, 0o755);
  t.match(text(files, 'README.md'), 'packer init .\n    packer build .');
  for (const f of files) {
    t.notMatch(Buffer.from(f.content).toString('utf8'), /PRIVATE KEY|token:|certificate-authority-data|plain_text_passwd: "?[^"$]|ssh_password += +"/, `${f.path} carries no secret`);
  }
});

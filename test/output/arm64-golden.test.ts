// The arm64 lab variant (test/fixtures/profiles/lab-arm64.yaml: profiles/lab.yaml with
// arch: arm64 on every node): golden cloud-init, Ignition and golden-image output, and
// what arm64 changes and does not change. Re-record with GEN_USERDATA_RECORD=1.
import t from 'tap';
import { join } from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { generateImage } from '../../src/output/generate-image.js';
import type { IgnitionConfig } from '../../src/emit/ignition/types.js';
import { ROOT, bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';
import { compareGolden } from '../helpers/golden.js';
import { userDataFiles } from '../helpers/cloud-init-files.js';
import { ignitionValidate } from '../fixtures/plans/ignition-check.js';

const arm = profileAt('test/fixtures/profiles/lab-arm64.yaml');
const lab = profileAt('profiles/lab.yaml');
const secrets = fixtureSecrets('lab');
const templates = bundledTemplates();
const text = (files: { path: string; content: Uint8Array }[], path: string) => Buffer.from(files.find((f) => f.path === path)!.content).toString('utf8');

t.test('arm64 lab output matches the golden files byte for byte', async (t) => {
  const files = generateClusterFiles({ profile: arm, secrets, templates, formats: ['cloud-init', 'ignition'] });
  const image = generateImage(arm, templates).map((f) => [`image/${f.path}`, f.content] as const);
  compareGolden(t, join(ROOT, 'test', 'golden', 'lab-arm64'), new Map([...files.map((f) => [f.path, f.content] as const), ...image]));
});

t.test('Ignition: every node downloads the arm64 sysext; configs validate', async (t) => {
  const files = generateClusterFiles({ profile: arm, secrets, templates, formats: ['ignition'] });
  for (const node of ['control-plane', 'worker-1']) {
    const json = text(files, `nodes/${node}/config.ign`);
    t.ok(ignitionValidate(json).ok, `${node} config.ign valid`);
    const cfg = JSON.parse(json) as IgnitionConfig;
    const sysext = cfg.storage.files.find((f) => f.path.startsWith('/opt/extensions/'));
    t.same(sysext?.contents.source, 'https://extensions.flatcar.org/extensions/kubernetes-v1.30.0-arm64.raw');
    t.equal(sysext?.path, '/opt/extensions/kubernetes/kubernetes-v1.30.0-arm64.raw');
    t.equal(cfg.storage.links[0]?.target, sysext?.path);
  }
});

t.test('cloud-init: the bootstrap checks for arm64; every other file is the amd64 lab byte for byte', async (t) => {
  const a = generateClusterFiles({ profile: arm, secrets, templates, formats: ['cloud-init'] });
  const b = generateClusterFiles({ profile: lab, secrets, templates, formats: ['cloud-init'] });
  const bootstrap = '/usr/local/sbin/gen-userdata-bootstrap';
  for (const node of ['control-plane', 'worker-1']) {
    // Compared file by file (decoded): a worker's bootstrap is written gzip+base64.
    const armFiles = userDataFiles(text(a, `nodes/${node}/user-data`));
    const labFiles = userDataFiles(text(b, `nodes/${node}/user-data`));
    const armBootstrap = armFiles.get(bootstrap) ?? '';
    t.match(armBootstrap, /if \[ "\$arch" != arm64 \]; then/);
    const asAmd64 = armBootstrap.replace('"$arch" != arm64 ]', '"$arch" != amd64 ]').replace('this node arch arm64', 'this node arch amd64');
    t.equal(asAmd64, labFiles.get(bootstrap), `${node}: only the expected arch differs in the bootstrap`);
    t.same([...armFiles.keys()], [...labFiles.keys()], `${node}: the same files`);
    for (const [path, content] of armFiles) if (path !== bootstrap) t.equal(content, labFiles.get(path), `${node}: ${path} identical`);
    t.equal(text(a, `nodes/${node}/network-config`), text(b, `nodes/${node}/network-config`));
  }
});

t.test('nocloud-net: the iPXE and GRUB forms do not change with the architecture', async (t) => {
  const opts = { baseUrl: 'http://10.0.0.1/lab' };
  const a = generateClusterFiles({ profile: arm, secrets, templates, formats: ['nocloud-net'], nocloudNet: opts });
  const b = generateClusterFiles({ profile: lab, secrets, templates, formats: ['nocloud-net'], nocloudNet: opts });
  const boot = a.filter((f) => !/\/(user-data|meta-data|network-config)$/.test(f.path) && f.path.startsWith('http/'));
  t.ok(boot.length > 0, 'boot scripts exist');
  for (const f of boot) t.equal(text(a, f.path), text(b, f.path), `${f.path} identical`);
});

t.test('Packer: one arm64 source with qemu-system-aarch64 and an arm64 cloud image', async (t) => {
  const hcl = text(generateImage(arm, templates), 'node.pkr.hcl');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const doc = (await parseHcl('node.pkr.hcl', hcl)) as Record<string, any>;
  t.same(Object.keys(doc['source']['qemu']), ['node-arm64'], 'only the arm64 source: no node needs amd64');
  const src = doc['source']['qemu']['node-arm64'][0];
  t.equal(src['qemu_binary'], 'qemu-system-aarch64');
  t.equal(src['machine_type'], 'virt');
  t.equal(src['cdrom_interface'], 'virtio-scsi', 'virt has no IDE bus for the seed CD');
  t.match(JSON.stringify(src['qemuargs']), /-bios/);
  t.match(doc['variable']['arm64_image_url'][0]['default'], /cloudimg-arm64\.img$/);
  t.same(doc['build'][0]['sources'], ['source.qemu.node-arm64']);

  const mixed = structuredClone(arm);
  mixed.nodes[1]!.arch = 'amd64';
  const both = (await parseHcl('node.pkr.hcl', text(generateImage(mixed, templates), 'node.pkr.hcl'))) as Record<string, any>;
  t.same(Object.keys(both['source']['qemu']).sort(), ['node', 'node-arm64'], 'a mixed cluster builds both images');
  t.same(both['build'][0]['sources'], ['source.qemu.node', 'source.qemu.node-arm64']);
  const auto = structuredClone(arm);
  for (const n of auto.nodes) n.arch = 'auto';
  const autoDoc = (await parseHcl('node.pkr.hcl', text(generateImage(auto, templates), 'node.pkr.hcl'))) as Record<string, any>;
  t.same(autoDoc['build'][0]['sources'], ['source.qemu.node'], 'all-auto nodes get the amd64 image');
});

// `gen-userdata image` end to end: exit codes, output, and which part of out/<cluster>/ it touches.
import t from 'tap';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, fileMode, runCli } from '../helpers/fixtures.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'gen-userdata-image-cli-'));

t.test('writes out/<cluster>/image/ and creates no secrets', async (t) => {
  const cwd = fresh();
  const r = runCli(['image', '--profile', 'lab'], { cwd });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, 'wrote out/lab/image: README.md, cidata/meta-data, cidata/user-data.pkrtpl.hcl, node.pkr.hcl, provision.sh');
  t.match(r.stdout, 'build it: cd out/lab/image && packer init . && packer build .');
  t.match(r.stdout, 'image.prebaked: true', 'reminds that the lab profile is not prebaked');
  t.same(readdirSync(join(cwd, 'out', 'lab')), ['image'], 'no secrets.yaml, no node files');
  t.equal(fileMode(join(cwd, 'out/lab/image/provision.sh')), '755');
  t.equal(readFileSync(join(cwd, 'out/lab/image/node.pkr.hcl'), 'utf8'), readFileSync(join(ROOT, 'test/golden/image/lab/node.pkr.hcl'), 'utf8'));
});

t.test('replaces only image/: node outputs and secrets stay', async (t) => {
  const cwd = fresh();
  mkdirSync(join(cwd, 'out', 'lab'), { recursive: true });
  copyFileSync(join(ROOT, 'test/fixtures/secrets/lab-secrets.yaml'), join(cwd, 'out/lab/secrets.yaml'));
  t.equal(runCli(['--profile', 'lab'], { cwd }).status, 0);
  const before = readFileSync(join(cwd, 'out/lab/nodes/worker-1/user-data'));
  mkdirSync(join(cwd, 'out/lab/image'));
  writeFileSync(join(cwd, 'out/lab/image/stale-file'), 'from an older run\n');
  const r = runCli(['image', '--profile', 'lab'], { cwd });
  t.equal(r.status, 0, r.stderr);
  t.ok(readFileSync(join(cwd, 'out/lab/nodes/worker-1/user-data')).equals(before), 'node user-data untouched');
  t.ok(existsSync(join(cwd, 'out/lab/secrets.yaml')));
  t.ok(existsSync(join(cwd, 'out/lab/manifest.json')));
  t.notOk(existsSync(join(cwd, 'out/lab/image/stale-file')), 'image/ itself is replaced as a whole');
  t.same(readdirSync(join(cwd, 'out/lab')).filter((n) => n.startsWith('.')), [], 'no temporary directories left');
});

t.test('regenerating the node output keeps image/', async (t) => {
  const cwd = fresh();
  t.equal(runCli(['image', '--profile', 'lab'], { cwd }).status, 0);
  const script = readFileSync(join(cwd, 'out/lab/image/provision.sh'));
  const r = runCli(['--profile', 'lab'], { cwd });
  t.equal(r.status, 0, r.stderr);
  t.ok(existsSync(join(cwd, 'out/lab/nodes/worker-1/user-data')));
  t.ok(readFileSync(join(cwd, 'out/lab/image/provision.sh')).equals(script), 'image/ carried over byte for byte');
  t.same(readdirSync(join(cwd, 'out/lab')).filter((n) => n.startsWith('.')), [], 'no temporary directories left');
});

t.test('an invalid profile writes nothing (exit 1)', async (t) => {
  const cwd = fresh();
  const r = runCli(['image', '--profile', join(ROOT, 'test/fixtures/profiles/invalid/no-nodes.yaml')], { cwd });
  t.equal(r.status, 1);
  t.match(r.stderr, 'nothing was written');
  t.notOk(existsSync(join(cwd, 'out')));
});

t.test('a missing keyFile is a diagnostic naming the field (exit 1)', async (t) => {
  const cwd = fresh();
  const profile = readFileSync(join(ROOT, 'test/fixtures/airgap/profile.yaml'), 'utf8').replace('keyFile: kubernetes-apt-key.asc', 'keyFile: no-such-key.asc');
  writeFileSync(join(cwd, 'airgap.yaml'), profile);
  const r = runCli(['image', '--profile', join(cwd, 'airgap.yaml')], { cwd });
  t.equal(r.status, 1);
  t.match(r.stderr, '/packages/aptRepository/keyFile');
  t.match(r.stderr, 'no-such-key.asc');
});

t.test('--help lists the image command; unknown options are usage errors', async (t) => {
  t.match(runCli(['--help']).stdout, /image\s+Write <out>\/<cluster>\/image\//);
  const r = runCli(['image', '--no-such-option']);
  t.equal(r.status, 2);
});

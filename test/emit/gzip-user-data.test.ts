// --compress gzip: nodes/<node>/user-data written gzip'd, deterministically, and
// read back by cloud-init's own user-data processor as the same #cloud-config.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { gzipUserData, isGzip } from '../../src/emit/cloud-init/gzip-user-data.js';
import { USER_DATA_FIT_BYTES } from '../../src/emit/cloud-init/user-data.js';
import { loadZopfli } from '../../src/cli/zopfli.js';
import { ROOT, bundledTemplates, fixtureSecrets, outWithFixtureSecrets, profileAt, runCli } from '../helpers/fixtures.js';

const profile = profileAt('profiles/lab.yaml');
const secrets = fixtureSecrets('lab');
const templates = bundledTemplates();
const plain = generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init', 'iso'] });
const gzipped = generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init', 'iso'], compress: 'gzip' });
const byPath = (files: typeof plain, path: string) => files.find((f) => f.path === path)!.content;

t.test('user-data is gzip -9 of the plain document; other files are unchanged', async (t) => {
  for (const f of gzipped) {
    const before = byPath(plain, f.path);
    if (f.path.endsWith('/user-data')) {
      t.ok(isGzip(f.content), `${f.path} is gzip`);
      t.ok(Buffer.from(gunzipSync(f.content)).equals(Buffer.from(before)), `${f.path} decompresses to the plain user-data`);
      // A worker's tools are packed gzip+base64 already (to fit raw): gzip saves less there.
      t.ok(f.content.byteLength < before.byteLength, `${f.path}: smaller gzip'd`);
    } else if (f.path !== 'manifest.json') {
      t.ok(Buffer.from(f.content).equals(Buffer.from(before)), `${f.path} unchanged (seed ISO stays plain)`);
    }
  }
});

t.test('deterministic: no name, zero mtime, same bytes on every run', async (t) => {
  const again = generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init'], compress: 'gzip' });
  const a = byPath(gzipped, 'nodes/worker-1/user-data');
  t.ok(Buffer.from(a).equals(Buffer.from(byPath(again, 'nodes/worker-1/user-data'))));
  t.equal(a[3]! & 0x08, 0, 'FNAME flag clear');
  t.same([...a.subarray(4, 8)], [0, 0, 0, 0], 'MTIME 0');
});

t.test("cloud-init's user-data processor decompresses it into the same #cloud-config", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-gz-'));
  const file = join(dir, 'user-data');
  writeFileSync(file, byPath(gzipped, 'nodes/control-plane/user-data'));
  const py = [
    'import sys',
    'from cloudinit import helpers, user_data',
    'msg = user_data.UserDataProcessor(helpers.Paths({})).process(open(sys.argv[1], "rb").read())',
    'parts = [p for p in msg.walk() if p.get_content_maintype() != "multipart"]',
    'print(" ".join("%s:%d" % (p.get_content_type(), len(p.get_payload(decode=True))) for p in parts))',
  ].join('\n');
  const r = spawnSync('/usr/bin/python3', ['-c', py, file], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout.trim(), `text/cloud-config:${byPath(plain, 'nodes/control-plane/user-data').byteLength}`);
});

t.test('CLI: --compress gzip writes gzip files and reports them; --stdout into a pipe prints the same bytes', async (t) => {
  const out = outWithFixtureSecrets('lab');
  const r = runCli(['--out', out, '--compress', 'gzip']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /nodes\/worker-1\/user-data: \d+ B gzip as written \(\d+ B raw\)/);
  const stdout = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), '--out', out, '--compress', 'gzip', '--stdout', '--node', 'worker-1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.equal(stdout.status, 0);
  t.ok(Buffer.from(stdout.stdout).equals(Buffer.from(byPath(gzipped, 'nodes/worker-1/user-data'))), 'same bytes as the file');
});

t.test("token rotate keeps the previous run's --compress gzip", async (t) => {
  const out = outWithFixtureSecrets('lab');
  t.equal(runCli(['--out', out, '--compress', 'gzip']).status, 0);
  const r = runCli(['token', 'rotate', '--out', out]);
  t.equal(r.status, 0, r.stderr);
  const after = readFileSync(join(out, 'lab', 'nodes', 'worker-1', 'user-data'));
  t.ok(isGzip(after), 'still gzip');
  t.notOk(Buffer.from(after).equals(Buffer.from(byPath(gzipped, 'nodes/worker-1/user-data'))), 'with the new token');
});

t.test('the strong encoder runs only above the fit limit, and only a smaller result is kept', async (t) => {
  const small = Buffer.from('#cloud-config\n'.repeat(100));
  const big = Buffer.from(Array.from({ length: 3000 }, (_, i) => `line ${i} ${(i * 7919) % 104729}\n`).join(''));
  t.ok(gzipSync(big, { level: 9 }).byteLength > USER_DATA_FIT_BYTES, 'the big document is over the limit at gzip -9');
  let calls = 0;
  const tiny = new Uint8Array([0x1f, 0x8b, 1]);
  const counting = (): Uint8Array => (calls++, tiny);
  t.ok(Buffer.from(gzipUserData(small, counting)).equals(gzipSync(small, { level: 9 })), 'under the limit: zlib -9');
  t.equal(calls, 0, 'under the limit the strong encoder is not called');
  t.equal(gzipUserData(big, counting), tiny, 'over the limit: the smaller result');
  t.equal(calls, 1);
  const larger = (): Uint8Array => new Uint8Array(1_000_000);
  t.ok(Buffer.from(gzipUserData(big, larger)).equals(gzipSync(big, { level: 9 })), 'a larger result is ignored');
});

t.test('zopfli (as the CLI loads it) writes a gzip stream that gunzip and cloud-init read', async (t) => {
  const strong = await loadZopfli();
  const doc = byPath(plain, 'nodes/control-plane/user-data');
  const z = strong(doc);
  t.ok(isGzip(z));
  t.ok(z.byteLength < gzipSync(doc, { level: 9 }).byteLength, 'smaller than zlib -9');
  const dir = mkdtempSync(join(tmpdir(), 'zopfli-'));
  writeFileSync(join(dir, 'ud.gz'), z);
  const gunzip = spawnSync('gunzip', ['-c', join(dir, 'ud.gz')]);
  t.equal(gunzip.status, 0, 'gunzip accepts it');
  t.ok(gunzip.stdout.equals(Buffer.from(doc)), 'and gets the document back');
  t.same(strong(doc), z, 'deterministic');
});

// The CLI end to end: exit codes, stdout, stderr, files and modes.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, fileMode, outWithFixtureSecrets, runCli, snapshotTree } from '../helpers/fixtures.js';

const SECRET_PATTERNS = [/PRIVATE KEY/, /[a-z0-9]{6}\.[a-z0-9]{16}/];
const fresh = () => mkdtempSync(join(tmpdir(), 'gen-userdata-cli-'));



t.test('no flags: the bundled lab profile into out/lab', async (t) => {
  const cwd = fresh();
  const r = runCli([], { cwd });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /wrote out\/lab: 3 nodes/);
  t.match(r.stderr, /created out\/lab\/secrets\.yaml/);
  for (const pattern of SECRET_PATTERNS) {
    t.notMatch(r.stdout, pattern, 'stdout carries no secret');
    t.notMatch(r.stderr, pattern, 'stderr carries no secret');
  }
  for (const node of ['control-plane', 'worker-1', 'worker-2']) {
    for (const f of ['user-data', 'meta-data', 'network-config']) t.ok(existsSync(join(cwd, 'out/lab/nodes', node, f)), `${node}/${f}`);
    t.equal(fileMode(join(cwd, 'out/lab/nodes', node, 'user-data')), '600');
  }
  t.equal(fileMode(join(cwd, 'out/lab/secrets.yaml')), '600');
  t.equal(fileMode(join(cwd, 'out/lab/admin.conf')), '600');
  t.ok(existsSync(join(cwd, 'out/lab/manifest.json')));
  t.notMatch(readFileSync(join(cwd, 'out/lab/nodes/worker-1/user-data'), 'utf8'), /PRIVATE KEY/);
});

t.test('a second run reuses the secrets and writes byte-identical files', async (t) => {
  const out = outWithFixtureSecrets('lab');
  t.equal(runCli(['--profile', 'lab', '--out', out, '--format', 'all']).status, 0);
  const first = snapshotTree(out);
  const r = runCli(['--profile', 'lab', '--out', out, '--format', 'all']);
  t.equal(r.status, 0, r.stderr);
  t.notMatch(r.stderr, /created/);
  t.same(snapshotTree(out), first);
  t.equal(readFileSync(join(out, 'lab/secrets.yaml'), 'utf8'), readFileSync(join(ROOT, 'test/fixtures/secrets/lab-secrets.yaml'), 'utf8'));
});

t.test('--check validates and writes nothing', async (t) => {
  const out = fresh();
  const r = runCli(['--check', '--out', out]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /OK/);
  t.same(readdirSync(out), []);
});

t.test('--stdout prints one node and needs --node when there are several', async (t) => {
  const out = outWithFixtureSecrets('lab');
  const r = runCli(['--out', out, '--stdout', '--node', 'worker-1']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /^#cloud-config\n/);
  t.equal(r.stdout, readFileSync(join(ROOT, 'test/golden/lab/nodes/worker-1/user-data'), 'utf8'));
  const usage = runCli(['--out', out, '--stdout']);
  t.equal(usage.status, 2);
  t.match(usage.stderr, /--node/);
});

t.test('invalid input exits 1, names path and line, and writes nothing', async (t) => {
  const out = fresh();
  const profile = join(out, 'bad.yaml');
  writeFileSync(profile, readFileSync(join(ROOT, 'profiles/lab.yaml'), 'utf8').replace('ip: 192.168.56.103', 'ip: 192.168.57.103'));
  const r = runCli(['--profile', profile, '--out', join(out, 'o')]);
  t.equal(r.status, 1);
  t.match(r.stderr, /bad\.yaml:\d+:\d+: error\[ip-outside-network\] \/nodes\/2\/ip/);
  t.equal(r.stdout, '');
  t.notOk(existsSync(join(out, 'o')), 'nothing written');
});

t.test('a missing profile exits 1', async (t) => {
  const r = runCli(['--profile', './does-not-exist.yaml', '--out', fresh()]);
  t.equal(r.status, 1);
  t.match(r.stderr, /profile-not-found/);
});

t.test('usage errors exit 2', async (t) => {
  const r = runCli(['--format', 'floppy']);
  t.equal(r.status, 2);
  const unknown = runCli(['--no-such-flag']);
  t.equal(unknown.status, 2);
  t.match(unknown.stderr, /Unknown argument/);
});

t.test('--help lists examples and exit codes', async (t) => {
  const r = runCli(['--help']);
  t.equal(r.status, 0);
  t.match(r.stdout, /Examples:/);
  t.match(r.stdout, /Exit codes/);
});

t.test('a damaged secrets file is an error and is never replaced', async (t) => {
  const out = fresh();
  mkdirSync(join(out, 'lab'));
  writeFileSync(join(out, 'lab/secrets.yaml'), 'not: [valid\n');
  const r = runCli(['--out', out]);
  t.equal(r.status, 1);
  t.equal(readFileSync(join(out, 'lab/secrets.yaml'), 'utf8'), 'not: [valid\n');
});

t.test('ca-hash matches openssl, for the cluster CA and for --cert', async (t) => {
  const out = outWithFixtureSecrets('lab');
  const r = runCli(['ca-hash', '--out', out]);
  t.equal(r.status, 0, r.stderr);
  const ca = join(out, 'ca.crt');
  const cert = /ca:\s*\n\s*cert: \|\n((?:\s+.*\n)+?)\s*key:/.exec(readFileSync(join(out, 'lab/secrets.yaml'), 'utf8'));
  t.ok(cert, 'found the CA in secrets.yaml');
  writeFileSync(ca, cert![1]!.split('\n').map((l) => l.trim()).join('\n'));
  const openssl = execFileSync('sh', ['-c', `openssl x509 -pubkey -noout -in ${ca} | openssl rsa -pubin -outform der 2>/dev/null | openssl dgst -sha256 -hex`], { encoding: 'utf8' });
  t.equal(r.stdout.trim(), `sha256:${openssl.trim().split(/\s+/).pop()}`);
  const viaCert = runCli(['ca-hash', '--cert', ca]);
  t.equal(viaCert.stdout, r.stdout);
});

t.test('--version prints our package.json version, not one found above the working directory', async (t) => {
  const cwd = fresh();
  writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 'someone-elses-project', version: '9.9.9' }));
  const r = runCli(['--version'], { cwd });
  t.equal(r.status, 0);
  const ours = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  t.equal(r.stdout.trim(), ours);
});

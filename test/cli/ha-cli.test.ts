// The HA-era commands end to end: kubeconfig, token show/rotate, --dry-run and the
// change plan, node removal; and that only `token show`/`token rotate` print a token.
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT, fileMode, fixtureSecrets, outWithFixtureSecrets, runCli, snapshotTree } from '../helpers/fixtures.js';
import { formatToken } from '../../src/pki/bootstrap-token.js';

const TOKEN_ANYWHERE = /[a-z0-9]{6}\.[a-z0-9]{16}/;
const haToken = formatToken(fixtureSecrets('ha').bootstrapToken);



function manifestHashes(dir: string): Map<string, string> {
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string }[] };
  return new Map(m.files.map((f) => [f.path, f.sha256]));
}

function noToken(t: Test, r: { stdout: string; stderr: string }, what: string): void {
  t.notMatch(r.stdout, TOKEN_ANYWHERE, `${what}: no token on stdout`);
  t.notMatch(r.stderr, TOKEN_ANYWHERE, `${what}: no token on stderr`);
}

t.test('generate (first run, re-run, dry run), kubeconfig and ca-hash never print the token', async (t) => {
  const out = outWithFixtureSecrets('ha');
  const first = runCli(['--profile', 'ha', '--out', out, '--format', 'all']);
  t.equal(first.status, 0, first.stderr);
  t.match(first.stdout, /no previous manifest\.json/);
  noToken(t, first, 'first run');
  const again = runCli(['--profile', 'ha', '--out', out, '--format', 'all']);
  t.match(again.stdout, /no changes: every file is byte-identical/);
  noToken(t, again, 're-run');
  noToken(t, runCli(['--profile', 'ha', '--out', out, '--dry-run']), 'dry run');
  noToken(t, runCli(['kubeconfig', '--profile', 'ha', '--out', out, '--user', 'alice', '--output', join(out, 'a.conf')]), 'kubeconfig');
  noToken(t, runCli(['ca-hash', '--profile', 'ha', '--out', out]), 'ca-hash');
  // The generated files do carry it, so the pattern check above can fail.
  t.match(readFileSync(join(out, 'ha/nodes/worker-1/user-data'), 'utf8'), haToken);
  // admin.conf as the CLI writes it: 0600, and the bytes test/output/ha-real-tools checks with openssl.
  t.equal(fileMode(join(out, 'ha/admin.conf')), '600');
  t.ok(readFileSync(join(out, 'ha/admin.conf')).equals(readFileSync(join(ROOT, 'test/golden/ha/admin.conf'))), 'admin.conf is the golden, openssl-checked one');
});

t.test('token show prints the token and its expiry', async (t) => {
  const out = outWithFixtureSecrets('ha');
  const r = runCli(['token', 'show', '--profile', 'ha', '--out', out]);
  t.equal(r.status, 0, r.stderr);
  const s = fixtureSecrets('ha').bootstrapToken;
  t.equal(r.stdout.split('\n')[0], `token: ${haToken}`);
  t.match(r.stdout, `expires: 2026-01-02T00:00:00.000Z (ttl ${s.ttl} from ${s.createdAt}`);
  const none = runCli(['token', 'show', '--profile', 'ha', '--out', mkdtempSync(join(tmpdir(), 'gen-userdata-empty-'))]);
  t.equal(none.status, 1, 'no secrets yet: nothing to show');
  t.match(none.stderr, /secrets-missing/);
});

t.test('token rotate: new token in secrets.yaml, only token-carrying files change, one command on stdout', async (t) => {
  const out = outWithFixtureSecrets('ha');
  t.equal(runCli(['--profile', 'ha', '--out', out, '--format', 'all']).status, 0);
  const dir = join(out, 'ha');
  const before = manifestHashes(dir);
  const secretsBefore = readFileSync(join(dir, 'secrets.yaml'), 'utf8');
  const r = runCli(['token', 'rotate', '--profile', 'ha', '--out', out]);
  t.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  t.equal(lines.length, 1, 'exactly one line on stdout');
  const m = /^kubeadm token create ([a-z0-9]{6}\.[a-z0-9]{16}) --ttl 24h$/.exec(lines[0] ?? '');
  t.ok(m, lines[0]);
  const newToken = m?.[1] ?? '';
  t.not(newToken, haToken, 'a different token');
  noToken(t, { stdout: '', stderr: r.stderr }, 'rotate');
  t.match(r.stderr, /changed {3}user-data \(changed: \/etc\/kubernetes\/gen-userdata\/kubeadm-config\.yaml\)/);

  // secrets.yaml: 0600, and only the token's lines differ.
  t.equal(fileMode(join(dir, 'secrets.yaml')), '600');
  const secretsAfter = readFileSync(join(dir, 'secrets.yaml'), 'utf8');
  const a = secretsBefore.split('\n');
  const b = secretsAfter.split('\n');
  t.equal(a.length, b.length);
  const differing = a.flatMap((line, i) => (line !== b[i] ? [line.trim().split(':')[0]] : []));
  t.same(differing, ['id', 'secret', 'createdAt'], 'only the token id, secret and creation time changed');
  t.match(secretsAfter, `id: ${newToken.split('.')[0]}`);

  // Output: exactly the files that carry the token changed (manifest.json says so).
  const after = manifestHashes(dir);
  t.same([...after.keys()].sort(), [...before.keys()].sort(), 'same set of files');
  const changed = [...after.keys()].filter((p) => after.get(p) !== before.get(p)).sort();
  const nodes = ['cp-1', 'cp-2', 'cp-3', 'worker-1', 'worker-2', 'worker-3'];
  t.same(changed, ['secrets.yaml', ...nodes.flatMap((n) => [`nodes/${n}/config.ign`, `nodes/${n}/seed.iso`, `nodes/${n}/user-data`])].sort());
  for (const n of nodes) {
    const ud = parse(readFileSync(join(dir, 'nodes', n, 'user-data'), 'utf8')) as { write_files: { path: string; content: string }[] };
    const config = ud.write_files.find((f) => f.path === '/etc/kubernetes/gen-userdata/kubeadm-config.yaml')!.content;
    const docs = parseAllDocuments(config).map((d) => d.toJS() as Record<string, any>);
    const tokens = docs.flatMap((d) => (d['kind'] === 'InitConfiguration' ? [d['bootstrapTokens'][0]['token']] : d['kind'] === 'JoinConfiguration' ? [d['discovery']['bootstrapToken']['token']] : []));
    t.same(tokens, [newToken], `${n}: the new token`);
  }
});

t.test('token rotate without previous output writes cloud-init, and needs secrets', async (t) => {
  const none = runCli(['token', 'rotate', '--profile', 'ha', '--out', mkdtempSync(join(tmpdir(), 'gen-userdata-empty-'))]);
  t.equal(none.status, 1);
  t.equal(none.stdout, '');
  const out = outWithFixtureSecrets('ha');
  const r = runCli(['token', 'rotate', '--profile', 'ha', '--out', out]);
  t.equal(r.status, 0, r.stderr);
  t.ok(existsSync(join(out, 'ha/nodes/cp-2/user-data')));
  t.notOk(existsSync(join(out, 'ha/nodes/cp-2/config.ign')));
});

t.test('kubeconfig: stdout by default, --output 0600, chain verifies with openssl', async (t) => {
  const out = outWithFixtureSecrets('ha');
  const r = runCli(['kubeconfig', '--profile', 'ha', '--out', out, '--user', 'alice', '--group', 'dev', '--group', 'ops', '--ttl', '48h']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /^apiVersion: v1\n/);
  t.match(r.stderr, /kubeconfig for user alice, groups dev, ops, valid until/);
  t.notMatch(r.stderr, /PRIVATE KEY|client-key-data/);
  const kc = parse(r.stdout) as { users: { user: { 'client-certificate-data': string } }[]; clusters: { cluster: { server: string } }[] };
  t.equal(kc.clusters[0]!.cluster.server, 'https://192.168.56.10:6443');
  const certFile = join(out, 'alice.crt');
  const caFile = join(out, 'ca.crt');
  writeFileSync(certFile, Buffer.from(kc.users[0]!.user['client-certificate-data'], 'base64'));
  writeFileSync(caFile, fixtureSecrets('ha').ca.cert);
  // Issued now, by a CA valid 2026–2036: verify at the current time.
  const v = spawnSync('openssl', ['verify', '-purpose', 'sslclient', '-CAfile', caFile, certFile], { encoding: 'utf8' });
  t.equal(v.status, 0, `${v.stdout}${v.stderr}`);
  const subj = spawnSync('openssl', ['x509', '-noout', '-subject', '-nameopt', 'RFC2253', '-in', certFile], { encoding: 'utf8' }).stdout;
  t.match(subj, /CN=alice/);
  t.match(subj, /O=ops/);
  const eku = spawnSync('openssl', ['x509', '-noout', '-ext', 'extendedKeyUsage', '-in', certFile], { encoding: 'utf8' }).stdout;
  t.match(eku, /TLS Web Client Authentication/);

  const file = join(out, 'breakglass.conf');
  const bg = runCli(['kubeconfig', '--profile', 'ha', '--out', out, '--user', 'oncall', '--break-glass', '--ttl', '1h', '--output', file]);
  t.equal(bg.status, 0, bg.stderr);
  t.equal(bg.stdout, '', 'nothing on stdout with --output');
  t.equal(fileMode(file), '600');
  const bgCert = Buffer.from((parse(readFileSync(file, 'utf8')) as typeof kc).users[0]!.user['client-certificate-data'], 'base64').toString('utf8');
  t.match(spawnSync('openssl', ['x509', '-noout', '-subject', '-nameopt', 'RFC2253'], { input: bgCert, encoding: 'utf8' }).stdout, /O=system:masters/);
});

t.test('kubeconfig: mistakes exit 1 or 2 and write nothing', async (t) => {
  const out = outWithFixtureSecrets('ha');
  const bad = runCli(['kubeconfig', '--profile', 'ha', '--out', out, '--user', 'bob', '--ttl', 'forever', '--output', join(out, 'bob.conf')]);
  t.equal(bad.status, 1);
  t.match(bad.stderr, /error\[invalid-duration\] --ttl/);
  t.notOk(existsSync(join(out, 'bob.conf')));
  t.equal(runCli(['kubeconfig', '--profile', 'ha', '--out', out]).status, 2, '--user is required');
  const noSecrets = runCli(['kubeconfig', '--profile', 'ha', '--out', mkdtempSync(join(tmpdir(), 'gen-userdata-empty-')), '--user', 'bob']);
  t.equal(noSecrets.status, 1, 'never invents a new CA');
  t.match(noSecrets.stderr, /secrets-missing/);
});

t.test('--dry-run prints the plan and writes nothing; removing a node deletes its directory and says so', async (t) => {
  const out = outWithFixtureSecrets('ha');
  t.equal(runCli(['--profile', 'ha', '--out', out]).status, 0);
  const profile = join(out, 'ha-smaller.yaml');
  writeFileSync(profile, readFileSync(join(ROOT, 'profiles/ha.yaml'), 'utf8').replace(/ {2}- name: worker-3\n {4}role: worker\n {4}ip: 192\.168\.56\.23\n/, ''));
  const before = snapshotTree(out);
  const dry = runCli(['--profile', profile, '--out', out, '--dry-run']);
  t.equal(dry.status, 0, dry.stderr);
  t.match(dry.stdout, 'worker-3 (removed from the profile): deleting nodes/worker-3/');
  t.match(dry.stdout, /worker-1: 1 changed, 2 unchanged\n {4}changed {3}user-data \(changed: \/etc\/gen-userdata\/hosts\)/);
  t.match(dry.stdout, /cp-1: 1 changed, 2 unchanged\n {4}changed {3}user-data \(changed: \/etc\/gen-userdata\/hosts, \/etc\/gen-userdata\/nodes\)/);
  t.match(dry.stdout, /dry run: nothing written/);
  t.same(snapshotTree(out), before, 'nothing written');
  const real = runCli(['--profile', profile, '--out', out]);
  t.equal(real.status, 0, real.stderr);
  t.match(real.stdout, 'worker-3 (removed from the profile): deleting nodes/worker-3/');
  t.notOk(existsSync(join(out, 'ha/nodes/worker-3')), 'directory deleted');
  t.ok(existsSync(join(out, 'ha/nodes/worker-2/user-data')));
});

t.test('--dry-run on a new cluster saves no secrets', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'gen-userdata-dry-'));
  const r = runCli(['--profile', 'ha', '--out', out, '--dry-run']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /no previous manifest\.json: \d+ new files for 6 node\(s\)/);
  t.same(readdirSync(out), []);
});

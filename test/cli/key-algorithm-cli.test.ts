// pki.keyAlgorithm through the built CLI: new clusters get ECDSA P-256 unless the
// profile says rsa-2048; an existing bundle keeps its keys (the RSA fixtures were
// made before ECDSA existed); a profile that disagrees with its bundle is exit 1
// with the field's path and line, and nothing is written.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, outWithFixtureSecrets, runCli, snapshotTree } from '../helpers/fixtures.js';
import { bash, openssl } from '../fixtures/secrets/openssl.js';

const labProfile = readFileSync(join(ROOT, 'profiles', 'lab.yaml'), 'utf8');

/** The bundled lab profile with a pki section appended, written into `dir`. */
function labWith(dir: string, keyAlgorithm: string): string {
  const file = join(dir, `lab-${keyAlgorithm}.yaml`);
  writeFileSync(file, `${labProfile}\npki:\n  keyAlgorithm: ${keyAlgorithm}\n`);
  return file;
}

function secretsOf(out: string): { ca: { cert: string; key: string }; admin: { cert: string; key: string }; serviceAccount: { privateKey: string } } {
  return parse(readFileSync(join(out, 'lab', 'secrets.yaml'), 'utf8'));
}

t.test('a new cluster gets ECDSA P-256 keys by default, and the CLI says so', async (t) => {
  const out = t.testdir({});
  const r = runCli(['--profile', 'lab', '--out', out]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stderr, /created .*secrets\.yaml \(new cluster CAs with ECDSA P-256 keys/);
  const s = secretsOf(out);
  for (const pem of [s.ca.key, s.admin.key, s.serviceAccount.privateKey]) t.match(pem, /^-----BEGIN EC PRIVATE KEY-----/);
  // Beside the output (a second t.testdir would replace the first).
  const dir = out;
  writeFileSync(join(dir, 'ca.crt'), s.ca.cert);
  writeFileSync(join(dir, 'admin.crt'), s.admin.cert);
  t.equal(openssl(['verify', '-x509_strict', '-CAfile', 'ca.crt', 'admin.crt'], { cwd: dir }).status, 0);
  // The worker's discovery pin is the openssl pipeline over the EC CA's public key.
  const pin = bash('openssl x509 -pubkey -noout -in ca.crt | openssl pkey -pubin -outform der | sha256sum', dir).stdout.split(' ')[0];
  t.match(readFileSync(join(out, 'lab', 'nodes', 'worker-1', 'user-data'), 'utf8'), `sha256:${pin}`);
  t.equal(runCli(['ca-hash', '--profile', 'lab', '--out', out]).stdout, `sha256:${pin}\n`);
});

t.test('pki.keyAlgorithm: rsa-2048 makes an RSA cluster', async (t) => {
  const out = t.testdir({});
  const r = runCli(['--profile', labWith(out, 'rsa-2048'), '--out', out]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stderr, /RSA 2048 keys/);
  const s = secretsOf(out);
  for (const pem of [s.ca.key, s.admin.key, s.serviceAccount.privateKey]) t.match(pem, /^-----BEGIN RSA PRIVATE KEY-----/);
});

t.test('an old RSA bundle keeps working unchanged under a profile that does not say', async (t) => {
  const out = outWithFixtureSecrets('lab');
  const before = readFileSync(join(out, 'lab', 'secrets.yaml'), 'utf8');
  const r = runCli(['--profile', 'lab', '--out', out]);
  t.equal(r.status, 0, r.stderr);
  t.equal(readFileSync(join(out, 'lab', 'secrets.yaml'), 'utf8'), before, 'never changed silently');
  t.match(readFileSync(join(out, 'lab', 'nodes', 'control-plane', 'user-data'), 'utf8'), /BEGIN RSA PRIVATE KEY/, 'the nodes get its RSA keys');
  // And the explicit value that agrees with it is fine too.
  t.equal(runCli(['--profile', labWith(out, 'rsa-2048'), '--out', out]).status, 0);
});

t.test('an explicit pki.keyAlgorithm that disagrees with the bundle: exit 1, path and line, both ways out, nothing written', async (t) => {
  for (const [fixture, asked, held] of [['lab', 'ecdsa-p256', 'rsa-2048'], ['lab-ecdsa', 'rsa-2048', 'ecdsa-p256']] as const) {
    const out = outWithFixtureSecrets(fixture);
    const profile = labWith(out, asked);
    const line = labProfile.split('\n').length + 2;
    const before = snapshotTree(out);
    for (const args of [['--profile', profile, '--out', out], ['--profile', profile, '--out', out, '--dry-run'], ['ca-hash', '--profile', profile, '--out', out]]) {
      const r = runCli(args);
      t.equal(r.status, 1, `${fixture} ${args.join(' ')}`);
      t.match(r.stderr, `${profile}:${line}:`, 'the profile file and the line of keyAlgorithm');
      t.match(r.stderr, /key-algorithm-mismatch/);
      t.match(r.stderr, '/pki/keyAlgorithm');
      t.match(r.stderr, `asks for ${asked} keys`);
      t.match(r.stderr, `set pki.keyAlgorithm to ${held} or remove it`);
      t.match(r.stderr, /move .*secrets\.yaml away and run again/);
      t.equal(r.stdout, '');
    }
    t.same(snapshotTree(out), before, 'nothing written');
  }
});

t.test('kubeconfig for another user under an ECDSA CA', async (t) => {
  const out = outWithFixtureSecrets('lab-ecdsa');
  const r = runCli(['kubeconfig', '--profile', 'lab', '--out', out, '--user', 'alice', '--group', 'dev']);
  t.equal(r.status, 0, r.stderr);
  const kc = parse(r.stdout) as { users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[] };
  const cert = Buffer.from(kc.users[0]!.user['client-certificate-data'], 'base64').toString('utf8');
  t.match(Buffer.from(kc.users[0]!.user['client-key-data'], 'base64').toString('utf8'), /^-----BEGIN EC PRIVATE KEY-----/);
  const ca = secretsOf(out).ca.cert;
  const dir = out;
  writeFileSync(join(dir, 'ca.crt'), ca);
  writeFileSync(join(dir, 'alice.crt'), cert);
  const v = openssl(['verify', '-x509_strict', '-purpose', 'sslclient', '-CAfile', 'ca.crt', 'alice.crt'], { cwd: dir });
  t.equal(v.status, 0, v.stderr);
});

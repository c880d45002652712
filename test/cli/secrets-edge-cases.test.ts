// secrets.yaml in odd states, odd modes, and referenced files that are not regular
// files: each is a diagnostic (exit 1, nothing written) or a warning, never new CAs
// and never a stack trace or a hang.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ROOT, fixtureSecrets, outWithFixtureSecrets, runCli, snapshotTree } from '../helpers/fixtures.js';
import { caValidityDiagnostics } from '../../src/pki/ca-validity.js';
import { createClusterSecrets } from '../../src/pki/cluster-secrets.js';
import { serializeSecrets } from '../../src/pki/serialize-secrets.js';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'gen-userdata-edge-'));

t.test('a dangling secrets.yaml symlink is refused: no new CAs, nothing written', async (t) => {
  const out = fresh();
  mkdirSync(join(out, 'lab'));
  symlinkSync('/nonexistent-volume/lab/secrets.yaml', join(out, 'lab', 'secrets.yaml'));
  const r = runCli(['--profile', 'lab', '--out', out]);
  t.equal(r.status, 1);
  t.match(r.stderr, /error\[secrets-dangling-link\]: is a symbolic link to \/nonexistent-volume\/lab\/secrets\.yaml, which does not exist/);
  t.notMatch(r.stderr, /created|internal error/);
  t.same(readdirSync(out), ['lab'], 'nothing written beside it');
  t.same(readdirSync(join(out, 'lab')), ['secrets.yaml'], 'nothing written');
  t.equal(readlinkSync(join(out, 'lab', 'secrets.yaml')), '/nonexistent-volume/lab/secrets.yaml', 'the link is left as it was');
});

t.test('a directory in place of secrets.yaml is a diagnostic', async (t) => {
  const out = fresh();
  mkdirSync(join(out, 'lab', 'secrets.yaml'), { recursive: true });
  const r = runCli(['--profile', 'lab', '--out', out]);
  t.equal(r.status, 1);
  t.match(r.stderr, /error\[secrets-not-a-file\]: is a directory/);
  t.notMatch(r.stderr, /internal error/);
});

t.test('an alias bomb inside secrets.yaml is a diagnostic, not a stack trace', async (t) => {
  const out = fresh();
  mkdirSync(join(out, 'lab'));
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  writeFileSync(join(out, 'lab', 'secrets.yaml'), `${levels.join('\n')}\n`, { mode: 0o600 });
  const r = runCli(['--profile', 'lab', '--out', out]);
  t.equal(r.status, 1);
  t.match(r.stderr, /error\[invalid-secrets\]: uses YAML aliases/);
  t.notMatch(r.stderr, /internal error|created/);
});

t.test('a secrets file others can read or write: warned (what was exposed) and set to 0600', async (t) => {
  const out = outWithFixtureSecrets('lab');
  const file = join(out, 'lab', 'secrets.yaml');
  chmodSync(file, 0o646);
  const r = runCli(['--profile', 'lab', '--out', out]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stderr, /warning\[secrets-mode\]: had mode 0646: its group and every user could read and replace it; mode set to 0600\. The CA private keys, the service-account key and the bootstrap token in it were exposed/);
  t.equal(statSync(file).mode & 0o777, 0o600);
  const again = runCli(['--profile', 'lab', '--out', out]);
  t.notMatch(again.stderr, /secrets-mode/, 'once fixed, no more warning');
});

t.test('a world-writable output root is warned about', async (t) => {
  const out = outWithFixtureSecrets('lab');
  chmodSync(out, 0o777);
  const r = runCli(['--profile', 'lab', '--out', out]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stderr, /warning\[out-world-writable\]: the output root has mode 0777/);
});

t.test('an expired or not yet valid CA is refused (pure check)', async (t) => {
  const s = fixtureSecrets('lab');
  const { X509Certificate } = await import('node:crypto');
  const cert = new X509Certificate(s.ca.cert);
  const from = new Date(cert.validFrom);
  const to = new Date(cert.validTo);
  t.same(caValidityDiagnostics(s, new Date(from.getTime() + 1000), 'f'), [], 'valid inside its window');
  const early = caValidityDiagnostics(s, new Date(from.getTime() - 86_400_000), 'f');
  t.equal(early[0]?.code, 'ca-not-valid');
  t.equal(early[0]?.path, '/ca/cert');
  t.match(early[0]?.message, /the cluster CA is not valid yet/);
  const late = caValidityDiagnostics(s, new Date(to.getTime() + 86_400_000), 'f');
  t.equal(late.length, 3, 'all three CAs expired');
  t.match(late[0]?.message, /the cluster CA expired/);
});

t.test('an expired CA in secrets.yaml: exit 1, nothing written', async (t) => {
  const out = fresh();
  mkdirSync(join(out, 'lab'));
  const old = await createClusterSecrets({ clusterName: 'lab', now: new Date('2001-01-01T00:00:00Z'), randomBytes: (n) => new Uint8Array(randomBytes(n)), tokenTtl: '24h', keyAlgorithm: 'ecdsa-p256' });
  writeFileSync(join(out, 'lab', 'secrets.yaml'), serializeSecrets(old), { mode: 0o600 });
  const before = snapshotTree(out);
  const r = runCli(['--profile', 'lab', '--out', out]);
  t.equal(r.status, 1);
  t.match(r.stderr, /error\[ca-not-valid\] \/ca\/cert: the cluster CA expired 2010-12-29/);
  t.same(snapshotTree(out), before, 'nothing written');
});

t.test('referenced files must be regular files: /dev/zero, a FIFO and a directory are diagnostics at their JSON path', async (t) => {
  const dir = fresh();
  const profile = readFileSync(join(ROOT, 'profiles', 'lab.yaml'), 'utf8').replace('    version: v3.27.0\n', '    version: v3.27.0\n    manifestFile: cni.yaml\n');
  writeFileSync(join(dir, 'lab.yaml'), profile);
  const cases: [string, () => void, RegExp][] = [
    ['/dev/zero', () => symlinkSync('/dev/zero', join(dir, 'cni.yaml')), /cni\.yaml: is a character device, not a regular file/],
    ['a FIFO', () => execFileSync('mkfifo', [join(dir, 'cni.yaml')]), /cni\.yaml: is a named pipe \(FIFO\), not a regular file/],
    ['a directory', () => mkdirSync(join(dir, 'cni.yaml')), /cni\.yaml: is a directory, not a regular file/],
  ];
  for (const [label, make, message] of cases) {
    execFileSync('rm', ['-rf', join(dir, 'cni.yaml')]);
    make();
    for (const args of [['--check'], []]) {
      const r = runCli(['--profile', join(dir, 'lab.yaml'), '--out', join(dir, 'out'), ...args]);
      t.equal(r.status, 1, `${label} ${args.join(' ')}`);
      t.match(r.stderr, /lab\.yaml:\d+:\d+: error\[file-unreadable\] \/cluster\/cni\/manifestFile: cni\.yaml/, `${label}: names the line and the JSON path`);
      t.match(r.stderr, message);
    }
  }
  execFileSync('rm', ['-rf', join(dir, 'cni.yaml')]);
  writeFileSync(join(dir, 'cni.yaml'), Buffer.alloc(4 * 1024 * 1024 + 1, 0x20));
  const big = runCli(['--profile', join(dir, 'lab.yaml'), '--check']);
  t.equal(big.status, 1);
  t.match(big.stderr, /is 4194305 bytes; the limit is 4194304 bytes/);
});

t.test('--templates: a FIFO among the overrides is a usage error, not a hang', async (t) => {
  const dir = fresh();
  mkdirSync(join(dir, 'tpl'));
  execFileSync('mkfifo', [join(dir, 'tpl', 'bootstrap.sh')]);
  const out = outWithFixtureSecrets('lab');
  copyFileSync(join(ROOT, 'profiles', 'lab.yaml'), join(dir, 'lab.yaml'));
  const r = runCli(['--profile', join(dir, 'lab.yaml'), '--out', out, '--templates', join(dir, 'tpl')]);
  t.equal(r.status, 2);
  t.match(r.stderr, /--templates: .*bootstrap\.sh is a named pipe \(FIFO\), not a regular file/);
});

t.test('--templates: on a new cluster, a bad override stops the run before secrets.yaml is saved', async (t) => {
  // The templates load while the new keys are made (loadOrCreateSecrets' `alongside`):
  // their error must still come before anything is written.
  for (const keyAlgorithm of ['ecdsa-p256', 'rsa-2048']) {
    const dir = fresh();
    mkdirSync(join(dir, 'tpl'));
    writeFileSync(join(dir, 'tpl', 'no-such-template.sh'), '#!/bin/sh\n');
    writeFileSync(join(dir, 'lab.yaml'), `${readFileSync(join(ROOT, 'profiles', 'lab.yaml'), 'utf8')}\npki:\n  keyAlgorithm: ${keyAlgorithm}\n`);
    const out = join(dir, 'out');
    const r = runCli(['--profile', join(dir, 'lab.yaml'), '--out', out, '--templates', join(dir, 'tpl')]);
    t.equal(r.status, 2, keyAlgorithm);
    t.match(r.stderr, /--templates .*unknown template\(s\): no-such-template\.sh/);
    t.notOk(existsSync(join(out, 'lab', 'secrets.yaml')), `${keyAlgorithm}: no secrets.yaml`);
    t.same(readdirSync(out).filter((name) => !name.startsWith('.')), [], `${keyAlgorithm}: nothing written`);
  }
});

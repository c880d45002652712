// The encryption-at-rest key in secrets.yaml, end to end through the CLI: made with
// a new bundle, added (with a notice, never silently) to a bundle from before it,
// rotated by `secrets rotate-encryption-key`, and never on a worker.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseSecrets } from '../../src/pki/parse-secrets.js';
import type { ClusterSecrets } from '../../src/pki/types.js';
import { fileMode, outWithFixtureSecrets, runCli, snapshotTree } from '../helpers/fixtures.js';
import { writeFile } from '../helpers/cloud-init-files.js';

const ENCRYPTION_CONFIG = '/etc/kubernetes/apiserver/encryption-config.yaml';

function secretsAt(out: string): ClusterSecrets {
  const file = join(out, 'lab', 'secrets.yaml');
  const r = parseSecrets(readFileSync(file, 'utf8'), file);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

/** An output root holding the lab fixture bundle as it was before encryption keys existed. */
function outWithoutKey(): string {
  const out = outWithFixtureSecrets('lab-ecdsa');
  const file = join(out, 'lab', 'secrets.yaml');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.slice(0, text.indexOf('encryptionKeys:')), { mode: 0o600 });
  return out;
}

t.test('a new cluster gets its encryption key with its CAs; only control planes carry it, 0600', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'gen-userdata-enc-'));
  const r = runCli(['--profile', 'lab', '--out', out]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stderr, /an encryption-at-rest key/);
  const [key] = secretsAt(out).encryptionKeys!;
  t.equal(key!.name, 'key1');
  t.equal(Buffer.from(key!.secret, 'base64').length, 32);
  const cp = readFileSync(join(out, 'lab', 'nodes', 'control-plane', 'user-data'), 'utf8');
  t.match(writeFile(cp, ENCRYPTION_CONFIG), key!.secret);
  t.match(cp, new RegExp(`path: ${ENCRYPTION_CONFIG}\\n  permissions: "0600"`));
  for (const w of ['worker-1', 'worker-2']) t.notOk(readFileSync(join(out, 'lab', 'nodes', w, 'user-data'), 'utf8').includes(key!.secret), `${w}: no key`);
});

t.test('a bundle without a key: a dry run says it would add one and writes nothing; a run adds it and says so', async (t) => {
  const out = outWithoutKey();
  const before = snapshotTree(out);
  const dry = runCli(['--profile', 'lab', '--out', out, '--dry-run']);
  t.equal(dry.status, 0, dry.stderr);
  t.match(dry.stderr, /would add \(dry run: not saved\) encryption-at-rest key key1/);
  t.same(snapshotTree(out), before, 'a dry run writes nothing');
  const run = runCli(['--profile', 'lab', '--out', out]);
  t.equal(run.status, 0, run.stderr);
  t.match(run.stderr, /secrets\.yaml: added encryption-at-rest key key1 \(security\.encryptionAtRest; the bundle had none\)/);
  const after = secretsAt(out);
  t.equal(after.encryptionKeys?.length, 1);
  t.equal(fileMode(join(out, 'lab', 'secrets.yaml')), '600');
  const again = runCli(['--profile', 'lab', '--out', out]);
  t.notMatch(again.stderr, /encryption-at-rest key/, 'once added, never again');
  t.same(secretsAt(out).encryptionKeys, after.encryptionKeys, 'and never regenerated');
});

t.test('secrets rotate-encryption-key: a new first key, the old one kept, output regenerated, the re-encryption command printed', async (t) => {
  const out = outWithFixtureSecrets('lab-ecdsa');
  t.equal(runCli(['--profile', 'lab', '--out', out]).status, 0);
  const old = secretsAt(out);
  const r = runCli(['secrets', 'rotate-encryption-key', '--profile', 'lab', '--out', out]);
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout, 'kubectl get secrets --all-namespaces -o json | kubectl replace -f -\n');
  t.match(r.stderr, /new encryption key key2 saved in .*, first \(it encrypts from now on\); key1 kept for reading/);
  const now = secretsAt(out);
  t.same(now.encryptionKeys!.map((k) => k.name), ['key2', 'key1']);
  t.same(now.encryptionKeys![1], old.encryptionKeys![0], 'the old key is kept as it was');
  t.same({ ...now, encryptionKeys: undefined }, { ...old, encryptionKeys: undefined }, 'nothing else in the bundle changes');
  const config = writeFile(readFileSync(join(out, 'lab', 'nodes', 'control-plane', 'user-data'), 'utf8'), ENCRYPTION_CONFIG)!;
  t.ok(config.indexOf(now.encryptionKeys![0]!.secret) < config.indexOf(old.encryptionKeys![0]!.secret), 'the new key comes first in the EncryptionConfiguration');
  t.notMatch(r.stderr + r.stdout, new RegExp(now.encryptionKeys![0]!.secret.replace(/[+/]/g, '.')), 'the key is never printed');
});

t.test('rotate-encryption-key refuses a profile with encryption at rest off, and writes nothing', async (t) => {
  const out = outWithFixtureSecrets('lab-ecdsa');
  const profile = join(out, 'plain.yaml');
  writeFileSync(profile, `${readFileSync('profiles/lab.yaml', 'utf8')}\nsecurity:\n  encryptionAtRest: false\n`);
  const before = snapshotTree(out);
  const r = runCli(['secrets', 'rotate-encryption-key', '--profile', profile, '--out', out]);
  t.equal(r.status, 1);
  t.match(r.stderr, /error\[encryption-disabled\] \/security\/encryptionAtRest/);
  t.same(snapshotTree(out), before);
});

t.test('a flag the generator manages: exit 1 with path and line, nothing written', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'gen-userdata-enc-'));
  const r = runCli(['--profile', 'test/fixtures/profiles/invalid/managed-flag.yaml', '--out', out]);
  t.equal(r.status, 1);
  t.match(r.stderr, /managed-flag\.yaml:10:\d+: error\[managed-flag\] \/kubeadm\/apiServer\/extraArgs\/advertise-address: --advertise-address is set by gen-userdata from nodes\[\]\.ip/);
  t.same(snapshotTree(out), new Map(), 'nothing written');
});

// Ignition output through the CLI: the Flatcar rules apply only with --format
// ignition/all, --ignition-version 3.3.0, and --ignition-stub-url (VirtualBox stubs).
import t from 'tap';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outWithFixtureSecrets, runCli, fileMode } from '../helpers/fixtures.js';
import { ignitionValidate } from '../fixtures/plans/ignition-check.js';
import { VIRTUALBOX_GUEST_PROPERTY_MAX } from '../../src/emit/ignition/stub-config.js';

const profileWithout = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-ign-cli-'));
  const file = join(dir, 'p.yaml');
  writeFileSync(file, 'cluster:\n  name: lab\n  kubernetesVersion: 1.32.2\nnetwork:\n  cidr: 10.0.0.0/24\nnodes:\n  - {name: cp-1, role: control-plane, ip: 10.0.0.10}\n');
  return file;
};

t.test('no sysext digest: cloud-init output is fine, Ignition output exits 1 and writes nothing', async (t) => {
  const profile = profileWithout();
  const out = mkdtempSync(join(tmpdir(), 'gen-userdata-ign-out-'));
  t.equal(runCli(['--profile', profile, '--out', out]).status, 0);
  const fresh = mkdtempSync(join(tmpdir(), 'gen-userdata-ign-out-'));
  const r = runCli(['--profile', profile, '--out', fresh, '--format', 'ignition']);
  t.equal(r.status, 1);
  t.match(r.stderr, /p\.yaml:\d+:\d+: error\[sysext-sha256-required\] \/flatcar\/sysextSha256/);
  t.notOk(existsSync(join(fresh, 'lab')), 'nothing written');
  t.equal(runCli(['--profile', profile, '--out', fresh, '--format', 'all', '--check']).status, 1, '--check applies the same rules');
});

t.test('--ignition-version 3.3.0 writes configs the 2.14 validator checks as 3.3.0', async (t) => {
  const out = outWithFixtureSecrets('lab');
  const r = runCli(['--profile', 'lab', '--out', out, '--format', 'ignition', '--ignition-version', '3.3.0']);
  t.equal(r.status, 0, r.stderr);
  for (const node of ['control-plane', 'worker-1']) {
    const json = readFileSync(join(out, 'lab/nodes', node, 'config.ign'), 'utf8');
    t.match(json, /^\{"ignition":\{"version":"3\.3\.0"\}/);
    const v = ignitionValidate(json);
    t.ok(v.ok, `${node}: ${v.output}`);
    t.equal(v.checkedAs, '3.3.0');
  }
  const bad = runCli(['--profile', 'lab', '--out', out, '--format', 'ignition', '--ignition-version', '3.2.0']);
  t.equal(bad.status, 2, 'other versions are a usage error');
});

t.test('--ignition-stub-url: a small stub per node that pins the full config by sha512', async (t) => {
  const out = outWithFixtureSecrets('lab');
  const r = runCli(['--profile', 'lab', '--out', out, '--format', 'ignition', '--ignition-stub-url', 'https://boot.example.internal/lab/']);
  t.equal(r.status, 0, r.stderr);
  for (const node of ['control-plane', 'worker-1', 'worker-2']) {
    const dir = join(out, 'lab/nodes', node);
    const full = readFileSync(join(dir, 'config.ign'), 'utf8');
    const stub = readFileSync(join(dir, 'config.stub.ign'), 'utf8');
    t.ok(Buffer.byteLength(stub) <= VIRTUALBOX_GUEST_PROPERTY_MAX, `${node} stub is ${Buffer.byteLength(stub)} B`);
    t.ok(ignitionValidate(stub).ok, `${node} stub validates`);
    const cfg = JSON.parse(stub) as { ignition: { config: { replace: { source: string; verification: { hash: string } } } } };
    t.equal(cfg.ignition.config.replace.source, `https://boot.example.internal/lab/${node}/config.ign`);
    t.equal(cfg.ignition.config.replace.verification.hash, `sha512-${createHash('sha512').update(full).digest('hex')}`);
    t.equal(fileMode(join(dir, 'config.stub.ign')), '600');
    t.notMatch(stub, /PRIVATE KEY|[a-z0-9]{6}\.[a-z0-9]{16}/, 'no secret in the stub');
  }
});

t.test('stub and version options: usage errors', async (t) => {
  const out = outWithFixtureSecrets('lab');
  const cases: [string[], RegExp][] = [
    [['--ignition-stub-url', 'https://x/'], /need --format ignition/],
    [['--format', 'ignition', '--ignition-stub-url', 'ftp://x/'], /not an http\(s\) URL/],
    [['--format', 'ignition', '--ignition-stub-url', `https://x/${'a'.repeat(900)}`], /VirtualBox takes at most 1024/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(['--profile', 'lab', '--out', out, ...args]);
    t.equal(r.status, 2, args.join(' '));
    t.match(r.stderr, message);
  }
});

t.test('token rotate regenerates Ignition as it was written: spec 3.3.0 and the stubs stay', async (t) => {
  const out = outWithFixtureSecrets('lab');
  const first = runCli(['--profile', 'lab', '--out', out, '--format', 'ignition', '--ignition-version', '3.3.0', '--ignition-stub-url', 'https://boot.example.internal/lab']);
  t.equal(first.status, 0, first.stderr);
  const stubBefore = readFileSync(join(out, 'lab/nodes/worker-1/config.stub.ign'), 'utf8');
  const rotated = runCli(['token', 'rotate', '--profile', 'lab', '--out', out]);
  t.equal(rotated.status, 0, rotated.stderr);
  const dir = join(out, 'lab/nodes/worker-1');
  const full = readFileSync(join(dir, 'config.ign'), 'utf8');
  t.equal((JSON.parse(full) as { ignition: { version: string } }).ignition.version, '3.3.0', 'still spec 3.3.0');
  const stub = readFileSync(join(dir, 'config.stub.ign'), 'utf8');
  const cfg = JSON.parse(stub) as { ignition: { version: string; config: { replace: { source: string; verification: { hash: string } } } } };
  t.equal(cfg.ignition.version, '3.3.0');
  t.equal(cfg.ignition.config.replace.source, 'https://boot.example.internal/lab/worker-1/config.ign', 'the stub keeps its URL');
  t.equal(cfg.ignition.config.replace.verification.hash, `sha512-${createHash('sha512').update(full).digest('hex')}`, 'and pins the new config');
  t.not(stub, stubBefore, 'the stub changed with the config (new token)');
});

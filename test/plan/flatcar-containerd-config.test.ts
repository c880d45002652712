// The Flatcar containerd-config step, run in bash with stand-in systemctl/containerd
// against Flatcar's built-in config (version 2, containerd 1.7) and a version 3 one
// (containerd 2.x): Flatcar's settings survive, ours are set, the result is valid TOML
// (Python's tomllib) and passes the step's own effective-config check.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { ROOT, bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const profile = profileAt('profiles/lab.yaml');
const plans = buildClusterPlans(profile, fixtureSecrets('lab'), bundledTemplates(), 'flatcar');
const body = plans[1]!.bootstrap.steps.find((s) => s.name === 'containerd-config')!.body;

function run(base: string | undefined, runs = 1, step = body, registryAuth?: string): { status: number | null; out: string; config: string; mode: number } {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-flatcar-containerd-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const basePath = join(dir, 'share-config.toml');
  const outPath = join(dir, 'etc', 'containerd', 'config.toml');
  if (base !== undefined) writeFileSync(basePath, base);
  // The stand-in containerd prints the written file as its effective config, as `config dump` would.
  const stubs: Record<string, string> = { systemctl: 'exit 0', sleep: 'exit 0', containerd: `cat ${JSON.stringify(outPath)}` };
  for (const [name, text] of Object.entries(stubs)) {
    writeFileSync(join(bin, name), `#!/bin/bash\n${text}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const authPath = join(dir, 'registry-auth.toml');
  if (registryAuth !== undefined) writeFileSync(authPath, registryAuth);
  const sandboxed = step
    .split(NODE_PATHS.flatcarContainerdDefaults).join(basePath)
    .split(NODE_PATHS.containerdRegistryAuth).join(authPath)
    .split(NODE_PATHS.containerdConfig).join(outPath);
  const script = `set -Eeuo pipefail\nlog() { printf '%s\\n' "$*"; }\nstep() {\n${sandboxed}\n}\n${'step\n'.repeat(runs)}`;
  const r = spawnSync('bash', ['--norc', '-c', script], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` } });
  let config = '';
  let mode = 0;
  try {
    config = readFileSync(outPath, 'utf8');
    mode = statSync(outPath).mode & 0o777;
  } catch { /* not written */ }
  return { status: r.status, out: r.stdout + r.stderr, config, mode };
}

/** Parses TOML with Python's tomllib (3.11+), the strict reference parser at hand. */
function toml(text: string): Record<string, any> {
  const r = spawnSync('python3', ['-c', 'import sys, tomllib, json; print(json.dumps(tomllib.loads(sys.stdin.read())))'], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`not valid TOML: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, any>;
}

const fixture = (name: string) => readFileSync(join(ROOT, 'test', 'fixtures', 'flatcar', name), 'utf8');

t.test("version 2: Flatcar's settings kept, ours set, check passes", async (t) => {
  const r = run(fixture('containerd-config-v2.toml'));
  t.equal(r.status, 0, r.out);
  const c = toml(r.config);
  t.equal(c['version'], 2);
  t.equal(c['subreaper'], true, 'subreaper survives');
  t.equal(c['oom_score'], -999, 'oom_score survives');
  const cri = c['plugins']['io.containerd.grpc.v1.cri'];
  t.equal(cri['enable_selinux'], true, 'enable_selinux survives');
  t.equal(cri['sandbox_image'], 'registry.k8s.io/pause:3.9');
  t.equal(cri['containerd']['runtimes']['runc']['runtime_type'], 'io.containerd.runc.v2');
  t.equal(cri['containerd']['runtimes']['runc']['options']['SystemdCgroup'], true);
  t.equal(cri['registry']['config_path'], '/etc/containerd/certs.d', 'a table Flatcar lacks is added');
  t.equal(c['plugins']['io.containerd.runtime.v1.linux']['shim'], 'containerd-shim');
  t.match(r.out, 'containerd running: SystemdCgroup=true, sandbox registry.k8s.io/pause:3.9');
});

t.test('version 3 (containerd 2.x): values changed in place, check passes', async (t) => {
  const r = run(fixture('containerd-config-v3.toml'));
  t.equal(r.status, 0, r.out);
  const c = toml(r.config);
  const runtime = c['plugins']['io.containerd.cri.v1.runtime'];
  t.equal(runtime['enable_selinux'], true);
  t.equal(runtime['containerd']['runtimes']['runc']['options']['SystemdCgroup'], true, 'cgroupfs replaced');
  t.equal(c['plugins']['io.containerd.cri.v1.images']['pinned_images']['sandbox'], 'registry.k8s.io/pause:3.9', 'old pause replaced');
  t.equal(c['plugins']['io.containerd.cri.v1.images']['registry']['config_path'], '/etc/containerd/certs.d');
  t.equal(c['oom_score'], -999);
});

t.test('idempotent: a second run (a retried bootstrap) gives the same file', async (t) => {
  const once = run(fixture('containerd-config-v2.toml'));
  const twice = run(fixture('containerd-config-v2.toml'), 2);
  t.equal(twice.status, 0, twice.out);
  t.equal(twice.config, once.config);
});

t.test('fails clearly without the base file or with an unknown version', async (t) => {
  const missing = run(undefined);
  t.not(missing.status, 0);
  t.match(missing.out, /is missing: is this Flatcar\?/);
  const v1 = run('root = "/var/lib/containerd"\n');
  t.not(v1.status, 0);
  t.match(v1.out, /config version 1; only versions 2 and 3/);
});

t.test('the cloud-init step does not touch a base file', async (t) => {
  const ci = buildClusterPlans(profile, fixtureSecrets('lab'), bundledTemplates(), 'cloud-init')[1]!;
  const step = ci.bootstrap.steps.find((s) => s.name === 'containerd-config')!;
  t.notMatch(step.body, NODE_PATHS.flatcarContainerdDefaults);
  t.ok(ci.files.some((f) => f.path === NODE_PATHS.containerdConfig), 'cloud-init ships the file');
  t.notOk(plans[1]!.files.some((f) => f.path === NODE_PATHS.containerdConfig), 'Flatcar builds it at boot');
});

t.test("images.auth on a Flatcar control plane: the credentials join the merged config (0600), in each version's table names", async (t) => {
  const site = profileAt('test/fixtures/site/site.yaml');
  const [cp, worker] = buildClusterPlans(site, fixtureSecrets('lab'), bundledTemplates(), 'flatcar');
  const auth = cp!.files.find((f) => f.path === NODE_PATHS.containerdRegistryAuth);
  t.ok(auth?.secret && auth.mode === 0o600, 'the control plane carries the credentials file, 0600');
  t.notOk(worker!.files.some((f) => f.path === NODE_PATHS.containerdRegistryAuth), 'a worker does not');
  const step = cp!.bootstrap.steps.find((s) => s.name === 'containerd-config')!.body;
  const registry = 'registry.example.internal:5000';
  const v2 = run(fixture('containerd-config-v2.toml'), 1, step, auth!.content);
  t.equal(v2.status, 0, v2.out);
  t.equal(v2.mode, 0o600, 'version 2: the merged config is 0600');
  t.equal(toml(v2.config)['plugins']['io.containerd.grpc.v1.cri']['registry']['configs'][registry]['auth']['username'], 'cluster-puller');
  const v3 = run(fixture('containerd-config-v3.toml'), 1, step, auth!.content);
  t.equal(v3.status, 0, v3.out);
  t.equal(v3.mode, 0o600, 'version 3: the merged config is 0600');
  const images = toml(v3.config)['plugins']['io.containerd.cri.v1.images'];
  t.equal(images['registry']['configs'][registry]['auth']['username'], 'cluster-puller', 'renamed for version 3');
  t.equal(images['registry']['config_path'], '/etc/containerd/certs.d', 'the mirror path is kept');
  const workerStep = worker!.bootstrap.steps.find((s) => s.name === 'containerd-config')!.body;
  const plain = run(fixture('containerd-config-v2.toml'), 1, workerStep);
  t.equal(plain.status, 0, plain.out);
  t.notMatch(plain.config, /auth/, 'a worker (no credentials file) gets no auth table');
});

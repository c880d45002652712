// The containerd-config step's check of the effective config, run in bash with
// stand-in systemctl/containerd: an exact string comparison of the sandbox image on
// containerd 1.x and 2.x dumps, the profile's value stays data even if validation
// were bypassed, and the reader works on real `containerd config dump` output of
// containerd 1.6, 1.7 and 2.1 (test/fixtures/containerd, recorded by
// scripts/record-containerd-dumps.sh from Debian's packages).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Profile } from '../../src/profile/types.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';
import { REPO_ROOT } from '../helpers/vm-image.js';

const templates = bundledTemplates();
const secrets = fixtureSecrets('lab');

function runCheck(image: string, dump: string, opts: { stepName?: string; version?: string } = {}): { status: number | null; out: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-sandbox-'));
  const p: Profile = structuredClone(profileAt('profiles/lab.yaml'));
  p.runtime.sandboxImage = image;
  p.packages.install = opts.stepName !== 'containerd';
  const stepName = opts.stepName ?? 'containerd-config';
  const step = buildClusterPlans(p, secrets, templates, 'cloud-init')[0]!.bootstrap.steps.find((s) => s.name === stepName)!;
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(dir, 'dump'), dump);
  writeFileSync(join(dir, 'version'), opts.version ?? 'containerd github.com/containerd/containerd 1.6.20 x\n');
  const stubs: Record<string, string> = {
    systemctl: 'exit 0',
    sleep: 'exit 0',
    containerd: `if [ "$1" = --version ]; then cat ${JSON.stringify(join(dir, 'version'))}; else cat ${JSON.stringify(join(dir, 'dump'))}; fi`,
    touch: `printf '%s\\n' "$*" >>${JSON.stringify(join(dir, 'touched'))}`,
  };
  for (const [name, body] of Object.entries(stubs)) {
    writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const script = `set -Eeuo pipefail\nlog() { printf '%s\\n' "$*"; }\nstep() {\n${step.body}\n}\nstep\n`;
  const r = spawnSync('bash', ['--norc', '-c', script], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` } });
  return { status: r.status, out: r.stdout + r.stderr, dir };
}

const v1 = (image: string): string => `version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "${image}"\n  SystemdCgroup = true\n`;
const v2 = (image: string): string => `version = 3\n[plugins.'io.containerd.cri.v1.images'.pinned_images]\n  sandbox = '${image}'\n  SystemdCgroup = true\n`;

t.test('the configured image must equal the expected one exactly', async (t) => {
  for (const dump of [v1, v2]) {
    const ok = runCheck('registry.k8s.io/pause:3.9', dump('registry.k8s.io/pause:3.9'));
    t.equal(ok.status, 0, ok.out);
    t.match(ok.out, 'sandbox registry.k8s.io/pause:3.9');
    for (const other of ['registry.k8s.io/pause:3.90', 'registry.k8s.io/pause:3', 'registryXk8s.io/pause:3.9']) {
      const bad = runCheck('registry.k8s.io/pause:3.9', dump(other));
      t.not(bad.status, 0, `${other} is not registry.k8s.io/pause:3.9`);
      t.match(bad.out, `containerd sandbox image is ${other}, not registry.k8s.io/pause:3.9`);
    }
  }
});

t.test('a hostile image value is compared and logged as text, never run', async (t) => {
  const hostile = 'registry.k8s.io/pause:3.9$(touch /tmp/pwned)`touch /tmp/pwned`"\'';
  const r = runCheck(hostile, v1('registry.k8s.io/pause:3.9'));
  t.not(r.status, 0);
  t.ok(r.out.includes(`not ${hostile}`), r.out);
  t.notOk(existsSync(join(r.dir, 'touched')), 'touch never ran');
});

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'containerd');
const recorded = readdirSync(FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const fixture = (version: string, name: string): string => readFileSync(join(FIXTURES, version, name), 'utf8');

t.test('the recorded dumps are of the config.toml this generator writes today', async (t) => {
  t.same(recorded, ['1.6.20', '1.7.24', '2.1.9'], 'containerd 1.6, 1.7 and 2.x');
  const plan = buildClusterPlans(profileAt('profiles/lab.yaml'), secrets, templates, 'cloud-init')[0]!;
  const ours = plan.files.find((f) => f.path === NODE_PATHS.containerdConfig)!.content;
  t.equal(readFileSync(join(FIXTURES, 'config.toml'), 'utf8'), ours, 'template changed? re-record with scripts/record-containerd-dumps.sh');
});

t.test('real config dumps: ours passes on 1.6, 1.7 and 2.x; containerd defaults fail', async (t) => {
  for (const version of recorded) {
    const ok = runCheck('registry.k8s.io/pause:3.9', fixture(version, 'ours.toml'));
    t.equal(ok.status, 0, `${version}: ${ok.out}`);
    t.match(ok.out, 'containerd running: SystemdCgroup=true, sandbox registry.k8s.io/pause:3.9', version);
    const defaults = runCheck('registry.k8s.io/pause:3.9', fixture(version, 'default.toml'));
    t.not(defaults.status, 0, `${version} defaults: cgroupfs driver`);
    t.match(defaults.out, 'containerd does not use the systemd cgroup driver', version);
    // Only the sandbox image wrong: the reader finds the default image in this version's own layout.
    const onlyImage = runCheck('registry.k8s.io/pause:3.9', fixture(version, 'default.toml').replace('SystemdCgroup = false', 'SystemdCgroup = true'));
    t.not(onlyImage.status, 0);
    t.match(onlyImage.out, /containerd sandbox image is registry\.k8s\.io\/pause:3\.(6|8|10), not registry\.k8s\.io\/pause:3\.9/, `${version}: default sandbox image read`);
  }
});

t.test('containerd 2.x migrates our version 2 file into config version 3 as expected', async (t) => {
  const dump = fixture('2.1.9', 'ours.toml');
  t.match(dump, /^version = 3$/m);
  const section = (name: string): string => dump.split(/^(?=\s*\[)/m).find((s) => s.trim().startsWith(`[${name}]`)) ?? '';
  t.match(section("plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options"), /^\s*SystemdCgroup = true$/m);
  t.match(section("plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc"), /runtime_type = 'io\.containerd\.runc\.v2'/);
  t.match(section("plugins.'io.containerd.cri.v1.images'.pinned_images"), /sandbox = 'registry\.k8s\.io\/pause:3\.9'/);
  t.match(section("plugins.'io.containerd.cri.v1.images'.registry"), /config_path = '\/etc\/containerd\/certs\.d'/);
  // 2.x keeps a grpc.v1.cri plugin for the streaming server only.
  t.notMatch(dump, /grpc\.v1\.cri'\.(containerd|registry)|sandbox_image/, 'no version 2 runtime, registry or sandbox setting left');
  for (const version of ['1.6.20', '1.7.24']) t.match(fixture(version, 'ours.toml'), /^version = 2$/m, `${version} keeps version 2`);
});

t.test("the version check accepts each recorded containerd's --version line", async (t) => {
  for (const version of recorded) {
    const r = runCheck('registry.k8s.io/pause:3.9', '', { stepName: 'containerd', version: fixture(version, 'version.txt') });
    t.equal(r.status, 0, `${version}: ${r.out}`);
  }
  const old = runCheck('registry.k8s.io/pause:3.9', '', { stepName: 'containerd', version: 'containerd github.com/containerd/containerd 1.5.9 x\n' });
  t.not(old.status, 0, '1.5 is refused');
});

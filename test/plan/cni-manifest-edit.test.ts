// The init node's cni step, run for real in bash on excerpts of the upstream
// Calico and Flannel manifests: the pod CIDR and the node-network address
// detection must land where calico-node and flanneld read them.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Profile } from '../../src/profile/types.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { ROOT, bundledTemplates, fixtureSecrets, profileAt, runCli } from '../helpers/fixtures.js';
import { cniManifestProblems } from '../../src/kube/cni-manifest.js';

const templates = bundledTemplates();
const secrets = fixtureSecrets('lab');

/** Runs the init node's cni step with the manifest embedded; returns the applied manifest and the log. */
function runCniStep(profile: Profile, excerpt: string): { status: number | null; applied: string; out: string } {
  return runCniStepOn(profile, readFileSync(join(ROOT, 'test/fixtures/manifests', excerpt), 'utf8'));
}

/** runCniStep with the manifest's text. */
function runCniStepOn(profile: Profile, text: string): { status: number | null; applied: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-cni-'));
  const manifest = join(dir, 'embedded.yaml');
  writeFileSync(manifest, text);
  const p = structuredClone(profile);
  p.cluster.cni.manifest = 'embedded';
  const step = buildClusterPlans(p, secrets, templates, 'cloud-init')[0]!.bootstrap.steps.find((s) => s.name === 'cni')!;
  const body = step.body.replace(`${NODE_PATHS.manifestsDir}/cni-${p.cluster.cni.plugin}.yaml`, manifest);
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'kubectl'), `#!/bin/bash\nwhile [ $# -gt 0 ]; do [ "$1" = -f ] && cp "$2" "${dir}/applied.yaml"; shift; done\n`);
  chmodSync(join(dir, 'bin', 'kubectl'), 0o755);
  const script = `set -Eeuo pipefail\nSTATE_DIR=${dir}\nADMIN_KUBECONFIG=/dev/null\nlog() { printf '%s\\n' "$*"; }\nkubectl_admin() { kubectl --kubeconfig "$ADMIN_KUBECONFIG" "$@"; }\nstep() {\n${body}\n}\nstep\nstep\n`;
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: `${join(dir, 'bin')}:${process.env['PATH']}` } });
  let applied = '';
  try {
    applied = readFileSync(join(dir, 'applied.yaml'), 'utf8');
  } catch {
    // left empty: the assertions below report it
  }
  return { status: r.status, applied, out: r.stdout + r.stderr };
}

function calicoEnv(applied: string): { name: string; value?: string }[] {
  const body = applied.split('\n').filter((l) => !l.startsWith('#')).join('\n');
  return (parseAllDocuments(`root:\n${body}`)[0]!.toJS() as { root: { env: { name: string; value?: string }[] } }).root.env;
}

t.test('Calico: pool CIDR and IP autodetection on the node network', async (t) => {
  const lab = profileAt('profiles/lab.yaml');
  const r = runCniStep(lab, 'calico-excerpt.yaml');
  t.equal(r.status, 0, r.out);
  const env = calicoEnv(r.applied);
  t.same(env.find((e) => e.name === 'CALICO_IPV4POOL_CIDR'), { name: 'CALICO_IPV4POOL_CIDR', value: lab.cluster.podSubnet });
  t.same(env.find((e) => e.name === 'IP_AUTODETECTION_METHOD'), { name: 'IP_AUTODETECTION_METHOD', value: `cidr=${lab.network.cidr}` });
  t.equal(env.filter((e) => e.name === 'IP_AUTODETECTION_METHOD').length, 1, 'inserted once, even when the step runs twice');
  t.same(env.find((e) => e.name === 'IP'), { name: 'IP', value: 'autodetect' }, 'IP itself is kept');
});

t.test('Flannel: net-conf Network and --iface', async (t) => {
  const p = structuredClone(profileAt('profiles/lab.yaml'));
  p.cluster.cni = { plugin: 'flannel', version: 'v0.25.1' };
  p.cluster.podSubnet = '10.200.0.0/16';
  const r = runCniStep(p, 'flannel-excerpt.yaml');
  t.equal(r.status, 0, r.out);
  t.match(r.applied, '"Network": "10.200.0.0/16"');
  t.match(r.applied, /\n {8}- --kube-subnet-mgr\n {8}- --iface=enp0s8\n/);
  t.equal(r.applied.split('--iface=').length, 2, 'added once');
});

t.test('an unexpected manifest fails the step instead of applying a wrong pool', async (t) => {
  const r = runCniStep(profileAt('profiles/lab.yaml'), 'flannel-excerpt.yaml');
  t.not(r.status, 0);
  t.match(r.out, 'could not set CALICO_IPV4POOL_CIDR');
  t.equal(r.applied, '', 'nothing applied');
});

// Validation refuses these values; the step must still treat whatever it gets as data.
t.test('values are data: a hostile interface or pod subnet is written literally, never run', async (t) => {
  const pwned = join(mkdtempSync(join(tmpdir(), 'gen-userdata-pwn-')), 'pwned');
  const hostile = `x|;1eid;#$(touch ${pwned})\`touch ${pwned}\`'"\\1&`;
  const flannel = structuredClone(profileAt('profiles/lab.yaml'));
  flannel.cluster.cni = { plugin: 'flannel', version: 'v0.25.1' };
  flannel.network.interface = hostile;
  flannel.cluster.podSubnet = `10.200.0.0/16${hostile}`;
  const f = runCniStep(flannel, 'flannel-excerpt.yaml');
  t.equal(f.status, 0, f.out);
  t.ok(f.applied.includes(`- --iface=${hostile}\n`), 'interface written as given');
  t.ok(f.applied.includes(`"Network": "10.200.0.0/16${hostile}"`), 'pod subnet written as given');
  const calico = structuredClone(profileAt('profiles/lab.yaml'));
  calico.cluster.podSubnet = `10.200.0.0/16${hostile}`;
  calico.network.cidr = `192.168.56.0/24${hostile}`;
  const c = runCniStep(calico, 'calico-excerpt.yaml');
  t.equal(c.status, 0, c.out);
  t.ok(c.applied.includes(`value: "cidr=192.168.56.0/24${hostile}"`), 'autodetection written as given');
  t.notOk(existsSync(pwned), 'no payload ran');
  t.notMatch(f.out + c.out, /uid=\d+/, "sed's e command never ran id");
});

// The generation-time check (cniManifestProblems, error[cni-manifest]) and the node's
// step must agree: on the excerpts and on every copy with one line removed, the step
// succeeds exactly when the check finds nothing.
t.test('the generation-time manifest check agrees with the node step, line by line', async (t) => {
  const lab = profileAt('profiles/lab.yaml');
  const flannel = structuredClone(lab);
  flannel.cluster.cni = { plugin: 'flannel', version: 'v0.25.1' };
  for (const [profile, excerpt] of [
    [lab, 'calico-excerpt.yaml'],
    [flannel, 'flannel-excerpt.yaml'],
    [lab, 'flannel-excerpt.yaml'],
    [flannel, 'calico-excerpt.yaml'],
  ] as const) {
    const lines = readFileSync(join(ROOT, 'test/fixtures/manifests', excerpt), 'utf8').split('\n');
    const variants = [lines.join('\n'), ...lines.map((_, i) => lines.filter((__, j) => j !== i).join('\n'))];
    let agreed = 0;
    let accepted = 0;
    for (const text of variants) {
      const values = { podSubnet: profile.cluster.podSubnet, nodeCidr: profile.network.cidr, iface: profile.network.interface };
      const checkOk = cniManifestProblems(profile.cluster.cni.plugin, text, values).length === 0;
      const stepOk = runCniStepOn(profile, text).status === 0;
      if (checkOk === stepOk) agreed++;
      else t.fail(`${excerpt} (${profile.cluster.cni.plugin}): check says ${checkOk ? 'ok' : 'problem'}, step ${stepOk ? 'succeeds' : 'fails'}:\n${text}`);
      if (stepOk) accepted++;
    }
    t.equal(agreed, variants.length, `${excerpt} with ${profile.cluster.cni.plugin}: ${variants.length} variants, ${accepted} accepted by both`);
  }
});

t.test('an embedded manifest the step cannot edit is error[cni-manifest] at generation', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-cni-check-'));
  writeFileSync(join(dir, 'calico.yaml'), readFileSync(join(ROOT, 'test/fixtures/manifests/flannel-excerpt.yaml')));
  writeFileSync(
    join(dir, 'profile.yaml'),
    readFileSync(join(ROOT, 'profiles/lab.yaml'), 'utf8').replace(/^( {2}cni:\n(?: {4}.*\n)*)/m, '  cni:\n    plugin: calico\n    manifestFile: calico.yaml\n'),
  );
  const r = runCli(['--check', '--profile', join(dir, 'profile.yaml')]);
  t.equal(r.status, 1, r.stderr);
  t.match(r.stderr, /profile\.yaml:\d+:\d+: error\[cni-manifest\] \/cluster\/cni\/manifestFile: calico\.yaml: the init node's cni step could not edit this calico manifest; it needs the commented CALICO_IPV4POOL_CIDR entry/);
  t.match(r.stderr, /error\[cni-manifest\] \/cluster\/cni\/manifestFile: .*"- name: IP"/);
  writeFileSync(join(dir, 'calico.yaml'), readFileSync(join(ROOT, 'test/fixtures/manifests/calico-excerpt.yaml')));
  t.equal(runCli(['--check', '--profile', join(dir, 'profile.yaml')]).status, 0, 'the upstream excerpt passes');
});

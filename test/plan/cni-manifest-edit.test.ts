// The init node's cni step, run for real in bash on excerpts of the upstream
// Calico and Flannel manifests: the pod CIDR and the node-network address
// detection must land where calico-node and flanneld read them.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Profile } from '../../src/profile/types.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { ROOT, bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const templates = bundledTemplates();
const secrets = fixtureSecrets('lab');

/** Runs the init node's cni step with the manifest embedded; returns the applied manifest and the log. */
function runCniStep(profile: Profile, excerpt: string): { status: number | null; applied: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-cni-'));
  const manifest = join(dir, 'embedded.yaml');
  writeFileSync(manifest, readFileSync(join(ROOT, 'test/fixtures/manifests', excerpt), 'utf8'));
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

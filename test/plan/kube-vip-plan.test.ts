// kube-vip in node plans: which file each node gets, which kubeconfig it mounts per
// Kubernetes version, and where the bootstrap installs or switches it.
import t from 'tap';
import { parse } from 'yaml';
import type { NodePlan } from '../../src/plan/types.js';
import type { Profile } from '../../src/profile/types.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { NODE_PATHS, shellLibraryPath } from '../../src/plan/paths.js';
import { KUBE_VIP_MANIFEST_PATH } from '../../src/kube/kube-vip.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const ha = profileAt('profiles/ha.yaml');
const secrets = fixtureSecrets('ha');
const templates = bundledTemplates();

interface Pod {
  spec: {
    containers: { image: string; env: { name: string; value?: string }[]; volumeMounts: { mountPath: string }[] }[];
    volumes: { hostPath: { path: string } }[];
  };
}

function withVersion(version: string): Profile {
  const p = structuredClone(ha);
  p.cluster.kubernetesVersion = version;
  return p;
}

function pod(plan: NodePlan, path: string): Pod | undefined {
  const f = plan.files.find((x) => x.path === path);
  return f === undefined ? undefined : (parse(f.content) as Pod);
}

const hostKubeconfig = (p: Pod | undefined): string | undefined => p?.spec.volumes[0]?.hostPath.path;
const stepNames = (plan: NodePlan): string[] => plan.bootstrap.steps.map((s) => s.name);

for (const target of ['cloud-init', 'flatcar'] as const) {
  for (const [version, initFirst] of [
    ['1.28.9', '/etc/kubernetes/admin.conf'],
    ['1.29.4', '/etc/kubernetes/super-admin.conf'],
    ['1.31.2', '/etc/kubernetes/super-admin.conf'],
    ['1.34.1', '/etc/kubernetes/super-admin.conf'],
  ] as const) {
    t.test(`${target} ${version}: manifest per node`, async (t) => {
      const plans = buildClusterPlans(withVersion(version), secrets, templates, target);
      for (const plan of plans) {
        const active = pod(plan, KUBE_VIP_MANIFEST_PATH);
        const staged = pod(plan, NODE_PATHS.kubeVipStaged);
        const name = plan.node.name;
        if (plan.node.role === 'worker') {
          t.equal(active, undefined, `${name}: no kube-vip on a worker`);
          t.equal(staged, undefined, `${name}: nothing staged on a worker`);
          t.notOk(stepNames(plan).some((s) => s.startsWith('kube-vip')), `${name}: no kube-vip step`);
          continue;
        }
        for (const p of [active, staged]) {
          if (p === undefined) continue;
          const c = p.spec.containers[0]!;
          t.equal(c.image, 'ghcr.io/kube-vip/kube-vip:v0.8.0', `${name}: pinned image`);
          t.equal(c.env.find((e) => e.name === 'address')?.value, '192.168.56.10', `${name}: VIP`);
          t.equal(c.env.find((e) => e.name === 'vip_interface')?.value, 'enp0s8', `${name}: interface`);
          t.same(c.volumeMounts.map((m) => m.mountPath), ['/etc/kubernetes/admin.conf'], `${name}: mounted where kube-vip reads it`);
        }
        if (plan.node.init) {
          t.equal(hostKubeconfig(active), initFirst, `${name}: starts on ${initFirst}`);
          if (initFirst.endsWith('super-admin.conf')) {
            t.equal(hostKubeconfig(staged), '/etc/kubernetes/admin.conf', `${name}: admin.conf flavour staged for the switch`);
            const steps = stepNames(plan);
            t.equal(steps[steps.indexOf('kubeadm-init') + 1], 'kube-vip-admin-conf', `${name}: switched right after kubeadm init`);
            const body = plan.bootstrap.steps.find((s) => s.name === 'kube-vip-admin-conf')!.body;
            t.match(body, `staged=${NODE_PATHS.kubeVipStaged} manifest=${KUBE_VIP_MANIFEST_PATH}`);
          } else {
            t.equal(staged, undefined, `${name}: nothing to switch before 1.29`);
            t.notOk(stepNames(plan).some((s) => s.startsWith('kube-vip')), `${name}: no switch step before 1.29`);
          }
        } else {
          t.equal(active, undefined, `${name}: joining control planes keep /etc/kubernetes/manifests empty for kubeadm join`);
          t.equal(hostKubeconfig(staged), '/etc/kubernetes/admin.conf', `${name}: always admin.conf`);
          const steps = stepNames(plan);
          t.equal(steps[steps.indexOf('kubeadm-join') + 1], 'kube-vip', `${name}: installed right after the join`);
          // Only enabling the node's timers (etcd snapshots, certificate renewal) comes after it.
          t.same(steps.slice(steps.indexOf('kube-vip') + 1), ['enable-units']);
        }
      }
    });
  }
}

t.test('without cluster.vip there is no kube-vip anywhere', async (t) => {
  const p = profileAt('test/fixtures/profiles/ha.yaml');
  for (const plan of buildClusterPlans(p, secrets, templates, 'cloud-init')) {
    t.notOk(plan.files.some((f) => f.content.includes('kube-vip')), `${plan.node.name}: no kube-vip file, and no kube-vip in any script`);
    t.notOk(stepNames(plan).some((s) => s.startsWith('kube-vip')), `${plan.node.name}: no kube-vip step`);
  }
});

t.test('reset_node keeps the kube-vip manifest across kubeadm reset', async (t) => {
  const script = buildClusterPlans(ha, secrets, templates, 'cloud-init')[0]!.files.find((f) => f.path === shellLibraryPath('cloud-init'))!.content;
  const reset = /reset_node\(\) \{\n([\s\S]*?)\n\}\n/.exec(script)?.[1] ?? '';
  const save = reset.indexOf('cp -a "$vip" "$vip_keep"');
  const resetAt = reset.indexOf('kubeadm reset -f');
  const restore = reset.indexOf('mv -f "$vip_keep" "$vip"');
  t.ok(save >= 0 && resetAt > save && restore > resetAt, 'saved before, restored after kubeadm reset');
});

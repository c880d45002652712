// The production-settings rules on Profiles, around their boundaries.
import t from 'tap';
import { componentBindAddress, componentFlags, defaultDenyNamespaces, kubeletMaySetLabel, nodeLabelsAndTaints } from '../../src/profile/rules/production-rules.js';
import type { Profile } from '../../src/profile/types.js';
import { loadFile } from '../fixtures/profiles/load-fixture.js';

const loaded = loadFile('test/fixtures/profiles/minimal.yaml');
if (!loaded.ok) throw new Error('minimal fixture must load');
const base: Profile = loaded.value;
const profile = (change: (p: Profile) => void): Profile => {
  const p = structuredClone(base);
  change(p);
  return p;
};
const codes = (fs: { code: string }[]): string[] => fs.map((f) => f.code);

t.test('managed flags are refused with the field to use; the others pass', async (t) => {
  const f = componentFlags(profile((p) => {
    p.kubeadm.apiServer.extraArgs = { 'service-cluster-ip-range': '10.0.0.0/16', 'request-timeout': '2m' };
    p.kubeadm.controllerManager.extraArgs = { 'cluster-cidr': '10.1.0.0/16' };
    p.kubeadm.scheduler.extraArgs = { 'feature-gates': 'A=true' };
    p.kubeadm.etcd.extraArgs = { 'initial-cluster': 'x', 'quota-backend-bytes': '1' };
  }));
  t.same(f.map((x) => [x.code, x.path]), [
    ['managed-flag', '/kubeadm/apiServer/extraArgs/service-cluster-ip-range'],
    ['managed-flag', '/kubeadm/controllerManager/extraArgs/cluster-cidr'],
    ['managed-flag', '/kubeadm/scheduler/extraArgs/feature-gates'],
    ['managed-flag', '/kubeadm/etcd/extraArgs/initial-cluster'],
  ]);
  t.match(f[0]!.message, /cluster\.serviceSubnet/);
  t.match(f[2]!.message, /kubeadm\.featureGates/);
});

t.test('the encryption and audit flags are managed only while the generator sets them', async (t) => {
  const args = { 'encryption-provider-config': '/etc/kms.yaml', 'audit-log-path': '/var/log/a.log' };
  t.same(codes(componentFlags(profile((p) => (p.kubeadm.apiServer.extraArgs = args)))), ['managed-flag', 'managed-flag']);
  const own = profile((p) => {
    p.kubeadm.apiServer.extraArgs = args;
    p.security.encryptionAtRest = false;
    p.security.audit.enabled = false;
  });
  t.same(componentFlags(own), [], 'with encryption and audit off, your own KMS config or audit flags are yours');
});

t.test('bind-address: 127.0.0.1 silent, 0.0.0.0 a warning naming the port, anything else an error', async (t) => {
  const at = (component: 'controllerManager' | 'scheduler', v: string, firewall: 'ports' | 'disabled' = 'ports') =>
    componentBindAddress(profile((p) => ((p.kubeadm[component].extraArgs = { 'bind-address': v }), (p.firewall.mode = firewall))));
  t.same(at('controllerManager', '127.0.0.1'), []);
  const w = at('scheduler', '0.0.0.0');
  t.same(codes(w), ['component-exposed']);
  t.equal(w[0]!.severity, 'warning');
  t.match(w[0]!.message, /10259.*beyond localhost.*firewall opens 10259\/tcp from 10\.10\.0\.0\/24 only/);
  t.notMatch(at('scheduler', '0.0.0.0', 'disabled')[0]!.message, /firewall/);
  t.same(codes(at('controllerManager', '10.10.0.10')), ['invalid-bind-address']);
});

t.test('kubelet label restrictions', async (t) => {
  for (const ok of ['example.com/role', 'role', 'node.kubernetes.io/pool', 'x.node.kubernetes.io/a', 'kubelet.kubernetes.io/a', 'topology.kubernetes.io/zone', 'kubernetes.io.example.com/a']) {
    t.ok(kubeletMaySetLabel(ok), ok);
  }
  for (const bad of ['node-role.kubernetes.io/worker', 'kubernetes.io/role', 'k8s.io/a', 'foo.k8s.io/a']) t.notOk(kubeletMaySetLabel(bad), bad);
});

t.test('a taint listed twice with one effect is refused; the same key with two effects is fine', async (t) => {
  const with2 = (effects: ('NoSchedule' | 'NoExecute')[]) =>
    nodeLabelsAndTaints(profile((p) => (p.nodes[0]!.taints = effects.map((effect) => ({ key: 'a', effect }))))) ;
  t.same(codes(with2(['NoSchedule', 'NoExecute'])), []);
  t.same(with2(['NoSchedule', 'NoSchedule']).map((f) => [f.code, f.path]), [['duplicate-taint', '/nodes/0/taints']]);
});

t.test('default-deny: Flannel warns that nothing is enforced; the smoke namespace warns', async (t) => {
  const f = defaultDenyNamespaces(profile((p) => {
    p.security.defaultDenyNamespaces = ['apps', 'gen-userdata-smoke'];
    p.cluster.cni = { plugin: 'flannel', version: 'v0.25.1' };
    p.verify.smokeTest = true;
  }));
  t.same(f.map((x) => [x.severity, x.code]), [['warning', 'default-deny-smoke'], ['warning', 'network-policy-not-enforced']]);
  t.same(defaultDenyNamespaces(profile((p) => (p.security.defaultDenyNamespaces = ['apps']))), [], 'Calico enforces them');
});

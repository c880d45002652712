// Capacity-driven kubelet reservations reach each node through a kubeadm patch, for both API versions.
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { buildKubeadmDocuments } from '../../src/kube/kubeadm-config.js';
import { KUBELET_PATCH_FILE, kubeletReservationPatch } from '../../src/kube/kubelet-reservation-patch.js';
import { buildNodePlan } from '../../src/plan/build-node-plan.js';
import { loadProfile } from '../../src/profile/load-profile.js';
import { bundledTemplates, fixtureSecrets } from '../helpers/fixtures.js';

const TOKEN = 'abcdef.0123456789abcdef';
const HASH = `sha256:${'0123456789abcdef'.repeat(4)}`;

function profile(version: string, kubelet = '') {
  const r = loadProfile(`cluster: {name: cap, kubernetesVersion: "${version}"}
network: {cidr: 192.168.56.0/24}
${kubelet}
nodeDefaults: {capacity: {cpu: 4, memory: 16Gi}}
nodes:
  - {name: cp-1, role: control-plane, ip: 192.168.56.101, capacity: {cpu: 2, memory: 8Gi}}
  - {name: w-1, role: worker, ip: 192.168.56.102}
  - {name: w-2, role: worker, ip: 192.168.56.103, capacity: {cpu: 8, memory: 32Gi}}
`, 'cap.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

for (const [version, api] of [['1.30.0', 'kubeadm.k8s.io/v1beta3'], ['1.31.0', 'kubeadm.k8s.io/v1beta4']] as const) {
  t.test(`${api}: patches.directory on init and join, per-node values in the patch`, async (t) => {
    const p = profile(version);
    const [cp, w1, w2] = p.nodes;
    const init = buildKubeadmDocuments({ profile: p, node: cp!, init: true, token: TOKEN, caCertHash: HASH, keyAlgorithm: 'ecdsa-p256' });
    t.equal(init[0]!.apiVersion, api);
    t.same(init[0]!.patches, { directory: '/etc/kubernetes/gen-userdata/patches' });
    const kubelet = init.find((d) => d.kind === 'KubeletConfiguration')!;
    t.notOk('kubeReserved' in kubelet, 'the cluster-wide KubeletConfiguration carries no per-node values');
    const join = buildKubeadmDocuments({ profile: p, node: w1!, init: false, token: TOKEN, caCertHash: HASH, keyAlgorithm: 'ecdsa-p256' });
    t.same(join[0]!.patches, { directory: '/etc/kubernetes/gen-userdata/patches' });
    // 2 cores / 8 GiB: 70m; 1024 + 819.2 = 1843.2 → 1844Mi.
    t.same(parseAllDocuments(kubeletReservationPatch(p, cp!)!)[0]!.toJS(), { systemReserved: { cpu: '100m', memory: '100Mi' }, kubeReserved: { cpu: '70m', memory: '1844Mi' } });
    t.same(parseAllDocuments(kubeletReservationPatch(p, w1!)!)[0]!.toJS().kubeReserved, { cpu: '80m', memory: '2663Mi' });
    t.same(parseAllDocuments(kubeletReservationPatch(p, w2!)!)[0]!.toJS().kubeReserved, { cpu: '90m', memory: '3646Mi' });
  });
}

t.test('the profile reservations stay cluster-wide and need no patch', async (t) => {
  const p = profile('1.30.0', 'kubelet: {systemReserved: {cpu: 200m, memory: 512Mi}, kubeReserved: {cpu: 300m, memory: 1Gi}}');
  const [cp] = p.nodes;
  t.equal(kubeletReservationPatch(p, cp!), undefined);
  const init = buildKubeadmDocuments({ profile: p, node: cp!, init: true, token: TOKEN, caCertHash: HASH, keyAlgorithm: 'ecdsa-p256' });
  t.same(init.find((d) => d.kind === 'KubeletConfiguration')!.kubeReserved, { cpu: '300m', memory: '1Gi' });
});

t.test('the plan ships the patch file on each node with a capacity', async (t) => {
  const p = profile('1.30.0');
  const plan = buildNodePlan({ profile: p, secrets: fixtureSecrets('lab-ecdsa'), node: p.nodes[1]!, templates: bundledTemplates(), target: 'cloud-init' });
  const f = plan.files.find((x) => x.path === KUBELET_PATCH_FILE);
  t.equal(KUBELET_PATCH_FILE, '/etc/kubernetes/gen-userdata/patches/kubeletconfiguration1+merge.yaml', 'target kubeletconfiguration, suffix 1, merge patch');
  t.ok(f);
  t.match(f!.content, /kubeReserved:\n {2}cpu: 80m\n {2}memory: 2663Mi/);
  t.equal(f!.mode, 0o644);
});

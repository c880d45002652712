// Scenario 1: the first control plane's generated seed, booted with real
// cloud-init in a network-less VM whose kubeadm/kubelet/kubectl are recording
// stand-ins. Checks host preparation, PKI, the kubeadm config and call,
// kubeconfig copies and the CNI manifest with the pod CIDR wired in.
import type { Test } from 'tap';
import {
  assertCloudInit,
  assertKubeletResolvConf,
  assertHostPrepared,
  assertMarkers,
  assertProbed,
  assertSteps,
  assertUfwActive,
  COMMON_STEPS,
  docOfKind,
  yamlDocs,
} from '../../helpers/vm-asserts.js';
import { copiedInput, kubeadmCalls, type NodeRun, type RawProfile } from '../../helpers/vm-node.js';

const KUBEADM_CONFIG = '/etc/kubernetes/gen-userdata/kubeadm-config.yaml';

/** Asserts everything scenario 1 expects of the init node's boot `run` (node name run.node). */
export async function checkControlPlane(t: Test, run: NodeRun, profile: RawProfile): Promise<void> {
  const NODE = run.node;
  if (!assertProbed(t, run)) return;

  assertMarkers(t, run);
  assertSteps(t, run, [...COMMON_STEPS, 'kubeadm-init', 'kubeconfig', 'cni', 'addons', 'verify']);
  t.notOk(run.steps.some((s) => s.name === 'kubeadm-join'), 'the init node does not join');
  assertHostPrepared(t, run, profile);
  assertCloudInit(t, run, true);
  assertKubeletResolvConf(t, run);

  await t.test('PKI: shared CAs and the service-account pair, with key modes', async (t) => {
    const want: [string, string][] = [
      ['ca.crt', '0644'],
      ['ca.key', '0600'],
      ['front-proxy-ca.crt', '0644'],
      ['front-proxy-ca.key', '0600'],
      ['sa.pub', '0644'],
      ['sa.key', '0600'],
      ['etcd/ca.crt', '0644'],
      ['etcd/ca.key', '0600'],
    ];
    for (const [f, mode] of want) {
      const st = run.stat.get(`/etc/kubernetes/pki/${f}`);
      t.ok(st, `/etc/kubernetes/pki/${f} exists`);
      if (!st) continue;
      // Certificates may be 0644 or tighter; keys must be exactly 0600.
      if (mode === '0600') t.equal(st.mode, '0600', `${f} is 0600`);
      else t.equal(st.mode, '0644', `${f} is 0644`);
      t.equal(st.owner, 'root:root', `${f} is owned by root`);
    }
  });

  await t.test('kubeadm config and the kubeadm init call', async (t) => {
    const text = run.file(KUBEADM_CONFIG);
    t.ok(text, `${KUBEADM_CONFIG} exists`);
    const docs = yamlDocs(text ?? '');
    t.same(
      docs.map((d) => d.kind).sort(),
      ['ClusterConfiguration', 'InitConfiguration', 'KubeProxyConfiguration', 'KubeletConfiguration'],
      'Init, Cluster, Kubelet and KubeProxy configuration documents',
    );
    for (const k of ['InitConfiguration', 'ClusterConfiguration']) {
      t.equal(docOfKind(docs, k)?.apiVersion, 'kubeadm.k8s.io/v1beta3', `${k} uses kubeadm.k8s.io/v1beta3 for 1.30`);
    }
    const cc = docOfKind(docs, 'ClusterConfiguration');
    t.equal(cc?.kubernetesVersion, 'v1.30.0', 'kubernetesVersion v1.30.0');
    t.equal(cc?.networking?.podSubnet, profile.cluster.podSubnet, 'podSubnet from the profile');
    t.equal(docOfKind(docs, 'KubeProxyConfiguration')?.mode, 'ipvs', 'kube-proxy in ipvs mode');
    t.equal(docOfKind(docs, 'KubeletConfiguration')?.cgroupDriver, 'systemd', 'kubelet uses the systemd cgroup driver');
    const ic = docOfKind(docs, 'InitConfiguration');
    const cp = profile.nodes.find((n) => n.name === NODE)!;
    t.equal(ic?.localAPIEndpoint?.advertiseAddress, cp.ip, 'advertiseAddress is the node IP');

    const inits = kubeadmCalls(run.calls, 'init');
    t.equal(inits.length, 1, 'kubeadm init ran once', { calls: run.calls.map((c) => [c.tool, ...c.argv].join(' ')) });
    const init = inits[0];
    if (!init) return;
    t.equal(init.rc, 0, 'kubeadm init (stand-in) accepted the config and succeeded', { stderr: init.stderr });
    const cfgIdx = init.argv.indexOf('--config');
    t.equal(init.argv[cfgIdx + 1], KUBEADM_CONFIG, 'kubeadm init --config points at the generated config');
    t.equal(copiedInput(run, init, '--config'), text, 'kubeadm read exactly the file on disk');
    t.equal(kubeadmCalls(run.calls, 'join').length, 0, 'no kubeadm join on the init node');
  });

  await t.test('admin kubeconfig copied for root and the profile user', async (t) => {
    const admin = run.file('/etc/kubernetes/admin.conf');
    t.ok(admin, 'kubeadm init wrote /etc/kubernetes/admin.conf');
    t.equal(run.file('/root/.kube/config'), admin, '/root/.kube/config is admin.conf');
    for (const u of profile.access?.users ?? []) {
      const path = `/home/${u.name}/.kube/config`;
      t.equal(run.file(path), admin, `${path} is admin.conf`);
      const st = run.stat.get(path);
      t.equal(st?.owner, `${u.name}:${u.name}`, `${path} belongs to ${u.name}`);
      t.equal(st?.mode, '0600', `${path} is 0600`);
    }
  });

  await t.test('CNI manifest applied with the pod CIDR', async (t) => {
    const applies = run.calls.filter((c) => c.tool === 'kubectl' && c.argv.includes('apply'));
    t.ok(applies.length >= 1, 'kubectl apply ran', { calls: run.calls.map((c) => [c.tool, ...c.argv].join(' ')) });
    const cni = applies.find((c) => (copiedInput(run, c, '-f') ?? '').includes('calico-node'));
    t.ok(cni, 'the Calico manifest was applied');
    if (!cni) return;
    t.equal(cni.rc, 0, 'kubectl apply succeeded');
    const kcIdx = cni.argv.indexOf('--kubeconfig');
    t.equal(cni.argv[kcIdx + 1], '/etc/kubernetes/admin.conf', 'applied with --kubeconfig /etc/kubernetes/admin.conf');
    const manifest = copiedInput(run, cni, '-f') ?? '';
    t.match(
      manifest,
      new RegExp(`^\\s*- name: CALICO_IPV4POOL_CIDR\\n\\s*value: "${profile.cluster.podSubnet.replace(/\./g, '\\.')}"$`, 'm'),
      'CALICO_IPV4POOL_CIDR is uncommented with the profile podSubnet',
    );
    t.notMatch(manifest, /#\s*- name: CALICO_IPV4POOL_CIDR/, 'no commented pool line is left');
    const ds = yamlDocs(manifest).find((d) => d.kind === 'DaemonSet') as Record<string, any> | undefined;
    const env: { name: string; value: string }[] = ds?.spec?.template?.spec?.containers?.[0]?.env ?? [];
    t.same(
      env.find((e) => e.name === 'CALICO_IPV4POOL_CIDR'),
      { name: 'CALICO_IPV4POOL_CIDR', value: profile.cluster.podSubnet },
      'the parsed DaemonSet env has the pool CIDR',
    );
    // calico-node must pick its address on the node network, not the first NIC (e.g. a NAT one).
    const nodeCidr = (profile as RawProfile & { network?: { cidr?: string } }).network?.cidr;
    t.same(
      env.find((e) => e.name === 'IP_AUTODETECTION_METHOD'),
      { name: 'IP_AUTODETECTION_METHOD', value: `cidr=${nodeCidr}` },
      'IP_AUTODETECTION_METHOD selects the node network',
    );
  });

  await t.test('add-on manifest (metrics-server) applied after the CNI', async (t) => {
    const applies = run.calls.filter((c) => c.tool === 'kubectl' && c.argv.includes('apply'));
    const ms = applies.findIndex((c) => /name: metrics-server/.test(copiedInput(run, c, '-f') ?? ''));
    const cni = applies.findIndex((c) => (copiedInput(run, c, '-f') ?? '').includes('calico-node'));
    t.ok(ms >= 0, 'the metrics-server manifest was applied');
    t.ok(ms > cni, 'after the CNI');
    const call = applies[ms];
    if (call) {
      t.equal(call.rc, 0, 'kubectl apply succeeded');
      t.equal(call.argv[call.argv.indexOf('--kubeconfig') + 1], '/etc/kubernetes/admin.conf', 'with the admin kubeconfig');
    }
  });

  await t.test('firewall opens the control-plane and Calico ports', async (t) => {
    const allowed = assertUfwActive(t, run);
    for (const port of ['6443/tcp', '10250/tcp', '179/tcp', '4789/udp', '22/tcp', '31080/tcp']) {
      t.equal(allowed.get(port), 'Anywhere', `ufw allows ${port} from anywhere`);
    }
    // The controller manager and scheduler listen on 127.0.0.1 unless kubeadm.*.extraArgs
    // bind-address exposes them: their ports stay closed.
    for (const port of ['10257/tcp', '10259/tcp']) t.equal(allowed.get(port), undefined, `ufw does not open ${port}`);
    t.equal(allowed.get('2379:2380/tcp'), profile.network.cidr, 'etcd only from the node network');
  });
}

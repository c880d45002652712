import t from 'tap';
import { buildClusterPlans, isInitNode } from '../../src/plan/build-node-plan.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const lab = profileAt('profiles/lab.yaml');
const secrets = fixtureSecrets('lab');
const templates = bundledTemplates();
const plans = buildClusterPlans(lab, secrets, templates, 'cloud-init');
const byName = (name: string) => plans.find((p) => p.node.name === name)!;

t.test('the first control plane inits; the others join', async (t) => {
  t.ok(isInitNode(lab, lab.nodes[0]!));
  t.same(byName('control-plane').bootstrap.steps.map((s) => s.name), [
    'arch', 'hostname', 'swap', 'kernel-modules', 'sysctl', 'firewall', 'containerd', 'containerd-config',
    'kubernetes-packages', 'kubelet', 'kubeadm-init', 'kubeconfig', 'wait-api', 'cni', 'addons', 'enable-units', 'verify',
  ]);
  t.same(byName('worker-1').bootstrap.steps.map((s) => s.name), [
    'arch', 'hostname', 'swap', 'kernel-modules', 'sysctl', 'firewall', 'containerd', 'containerd-config',
    'kubernetes-packages', 'kubelet', 'kubeadm-join',
  ]);
});

t.test('files are sorted, and the bootstrap script is one of them', async (t) => {
  for (const plan of plans) {
    const paths = plan.files.map((f) => f.path);
    t.same(paths, [...paths].sort(), `${plan.node.name}: sorted`);
    const script = plan.files.find((f) => f.path === plan.bootstrap.scriptPath);
    t.equal(script?.mode, 0o755);
    for (const s of plan.bootstrap.steps) t.match(script?.content, `run_step ${s.name} step_${s.name.replace(/-/g, '_')}`);
  }
});

t.test('ipvs mode loads the ipvs modules and installs ipset/ipvsadm', async (t) => {
  const modules = byName('worker-1').files.find((f) => f.path === NODE_PATHS.modulesLoad)!.content;
  for (const m of ['overlay', 'br_netfilter', 'ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_sh', 'nf_conntrack']) t.match(modules, new RegExp(`^${m}$`, 'm'));
  const iptables = structuredClone(lab);
  iptables.cluster.kubeProxyMode = 'iptables';
  const plain = buildClusterPlans(iptables, secrets, templates, 'cloud-init')[1]!.files.find((f) => f.path === NODE_PATHS.modulesLoad)!.content;
  t.notMatch(plain, /ip_vs/);
  const pkgStep = byName('worker-1').bootstrap.steps.find((s) => s.name === 'kubernetes-packages')!.body;
  t.match(pkgStep, 'ipset ipvsadm');
  t.match(pkgStep, 'kubelet=1.30.0-1.1');
  t.notMatch(pkgStep, /-00\b/);
  t.match(pkgStep, 'https://pkgs.k8s.io/core:/stable:/v1.30/deb/');
  t.match(pkgStep, 'apt-mark hold kubelet kubeadm kubectl');
});

t.test('containerd gets SystemdCgroup and the pause image of the version', async (t) => {
  const toml = byName('worker-1').files.find((f) => f.path === NODE_PATHS.containerdConfig)!.content;
  t.match(toml, 'SystemdCgroup = true');
  t.match(toml, 'sandbox_image = "registry.k8s.io/pause:3.9"');
  const v131 = structuredClone(lab);
  v131.cluster.kubernetesVersion = '1.31.0';
  const toml131 = buildClusterPlans(v131, secrets, templates, 'cloud-init')[0]!.files.find((f) => f.path === NODE_PATHS.containerdConfig)!.content;
  t.match(toml131, 'sandbox_image = "registry.k8s.io/pause:3.10"');
  const override = structuredClone(lab);
  override.runtime.sandboxImage = 'mirror.example/pause:3.9';
  const tomlOverride = buildClusterPlans(override, secrets, templates, 'cloud-init')[0]!.files.find((f) => f.path === NODE_PATHS.containerdConfig)!.content;
  t.match(tomlOverride, 'sandbox_image = "mirror.example/pause:3.9"');
});

t.test('the init node wires the pod CIDR into Calico and Flannel', async (t) => {
  const calico = byName('control-plane').bootstrap.steps.find((s) => s.name === 'cni')!.body;
  t.match(calico, 'CALICO_IPV4POOL_CIDR');
  t.match(calico, '10.244.0.0/16');
  t.match(calico, 'https://raw.githubusercontent.com/projectcalico/calico/v3.27.0/manifests/calico.yaml');
  const flannelProfile = structuredClone(lab);
  flannelProfile.cluster.cni = { plugin: 'flannel', version: 'v0.25.1' };
  flannelProfile.cluster.podSubnet = '10.200.0.0/16';
  const flannel = buildClusterPlans(flannelProfile, secrets, templates, 'cloud-init')[0]!.bootstrap.steps.find((s) => s.name === 'cni')!.body;
  t.match(flannel, 'pod_subnet=10.200.0.0/16', 'net-conf Network set to the pod subnet');
});

t.test('join waits for the endpoint and is bounded by joinTimeout', async (t) => {
  const join = byName('worker-2').bootstrap.steps.find((s) => s.name === 'kubeadm-join')!.body;
  t.match(join, 'host=192.168.56.101 port=6443 limit=3600');
  t.match(join, 'reset_node');
  const short = structuredClone(lab);
  short.cluster.joinTimeoutSeconds = 120;
  t.match(buildClusterPlans(short, secrets, templates, 'cloud-init')[1]!.bootstrap.steps.find((s) => s.name === 'kubeadm-join')!.body, 'limit=120');
});

t.test('/etc/hosts list and network come from the profile', async (t) => {
  const hosts = byName('worker-2').files.find((f) => f.path === NODE_PATHS.hostsList)!.content;
  t.equal(hosts, '192.168.56.101 control-plane\n192.168.56.102 worker-1\n192.168.56.103 worker-2\n');
  t.same(byName('worker-2').network, {
    match: { name: 'enp0s8' }, interfaceName: 'enp0s8', address: '192.168.56.103/24',
    nameservers: ['1.1.1.1', '8.8.8.8'], dhcpInterfaces: ['enp0s3'],
  });
});

t.test('firewall ports mode opens the role and CNI ports', async (t) => {
  const cp = byName('control-plane').bootstrap.steps.find((s) => s.name === 'firewall')!.body;
  // One rule per protocol and source: each ufw call costs seconds on a small VM.
  // 31080: the verifier's smoke-test NodePort (verify.smokeTest is on: lab has workers).
  t.match(cp, "ufw allow proto tcp from any to any port 22,179,5473,6443,10250,10256,31080 comment 'ssh, Calico BGP, ");
  t.match(cp, "ufw allow proto udp from any to any port 4789 comment 'Calico VXLAN'");
  t.notMatch(cp, /10257|10259/, 'controller manager and scheduler listen on 127.0.0.1: nothing to open');
  // etcd only from the node network (the other control planes), not from anywhere.
  t.match(cp, "ufw allow proto tcp from 192.168.56.0/24 to any port 2379:2380 comment");
  t.equal(cp.match(/^\s*ufw allow /gm)?.length, 4, 'three port rules and the pod network');
  const worker = byName('worker-1').bootstrap.steps.find((s) => s.name === 'firewall')!.body;
  t.match(worker, 'ufw allow proto tcp from any to any port 22,179,5473,10250,10256,30000:32767 comment');
  t.notMatch(worker, '6443');
});

t.test('flatcar plans verify instead of installing', async (t) => {
  const flatcar = buildClusterPlans(lab, secrets, templates, 'flatcar');
  for (const plan of flatcar) {
    t.equal(plan.bootstrap.scriptPath, '/opt/bin/gen-userdata-bootstrap');
    const body = plan.bootstrap.steps.map((s) => s.body).join('\n');
    t.notMatch(body, /apt-get/);
  }
});

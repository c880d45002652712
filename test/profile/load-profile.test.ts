// The happy path: bundled and fixture profiles load, defaults are filled, and
// warnings ride along with the value.
import t, { type Test } from 'tap';
import type { Diagnostic } from '../../src/diagnostics.js';
import { loadProfile } from '../../src/profile/load-profile.js';
import type { Profile } from '../../src/profile/types.js';
import { loadFile } from '../fixtures/profiles/load-fixture.js';
import { DEFAULT_KUBEADM, DEFAULT_SECURITY } from '../helpers/default-settings.js';

function mustLoad(t: Test, rel: string): { value: Profile; warnings: Diagnostic[] } {
  const r = loadFile(rel);
  if (!r.ok) {
    t.fail(`${rel} did not load`, { diagnostics: r.diagnostics });
    throw new Error('stop');
  }
  return r;
}

t.test('profiles/lab.yaml loads without diagnostics and with the expected defaults', async (t) => {
  const { value: p, warnings } = mustLoad(t, 'profiles/lab.yaml');
  t.strictSame(warnings, []);
  t.equal(p.cluster.controlPlaneEndpoint, '192.168.56.101:6443');
  t.equal(p.cluster.controlPlaneEndpointExplicit, false);
  t.equal(p.cluster.kubernetesVersion, '1.30.0');
  t.equal(p.cluster.podSubnet, '10.244.0.0/16');
  t.equal(p.cluster.kubeProxyMode, 'ipvs');
  t.strictSame(p.cluster.cni, { plugin: 'calico', version: 'v3.27.0' });
  t.strictSame(p.cluster.token, { ttl: '24h', revokeWhenJoined: true });
  t.equal(p.cluster.joinTimeoutSeconds, 3600);
  t.equal(p.cluster.vip, undefined);
  t.strictSame(p.runtime, { name: 'containerd' });
  t.strictSame(p.packages, { install: true, aptRepository: { url: 'https://pkgs.k8s.io/core:/stable:' } });
  t.strictSame(p.network, {
    cidr: '192.168.56.0/24',
    nameservers: ['1.1.1.1', '8.8.8.8'],
    interface: 'enp0s8',
    dhcpInterfaces: ['enp0s3'],
    hostsEntries: 'auto',
  });
  t.equal(p.firewall.mode, 'ports');
  t.equal(p.access.users.length, 1);
  t.match(p.access.users[0], { name: 'kube', sudo: true, shell: '/bin/bash', kubeconfig: true });
  t.strictSame(p.kubelet, {
    systemReserved: { cpu: '100m', memory: '256Mi' },
    kubeReserved: { cpu: '100m', memory: '256Mi' },
    maxPods: 110,
    serverTLSBootstrap: true,
    protectKernelDefaults: false,
  });
  t.strictSame(p.addons.metricsServer, { enabled: true, version: 'v0.7.1' });
  t.strictSame(p.addons.ingressNginx, { enabled: false, version: 'controller-v1.10.1', expose: 'hostPort' });
  t.strictSame(p.verify, { smokeTest: true, keepSmokeWorkloads: false, rolloutTimeoutSeconds: 300 });
  t.strictSame(p.images, { prebaked: false, auth: [] });
  t.strictSame(p.trust, {});
  t.strictSame(p.time, { servers: [] });
  t.equal(p.proxy, undefined);
  t.strictSame(p.flatcar, { sysextSha256: {}, sysextSha256Single: false, allowUnverifiedSysext: true });
  t.strictSame(
    p.nodes.map((n) => [n.name, n.role, n.ip]),
    [
      ['control-plane', 'control-plane', '192.168.56.101'],
      ['worker-1', 'worker', '192.168.56.102'],
      ['worker-2', 'worker', '192.168.56.103'],
    ],
  );
});

t.test('minimal profile: every default', async (t) => {
  const { value: p, warnings } = mustLoad(t, 'test/fixtures/profiles/minimal.yaml');
  t.strictSame(warnings, []);
  t.strictSame(p, {
    cluster: {
      name: 'mini',
      kubernetesVersion: '1.31.2',
      controlPlaneEndpoint: '10.10.0.10:6443',
      controlPlaneEndpointExplicit: false,
      podSubnet: '10.244.0.0/16',
      serviceSubnet: '10.96.0.0/12',
      dnsDomain: 'cluster.local',
      kubeProxyMode: 'iptables',
      cni: { plugin: 'calico', version: 'v3.27.0' },
      token: { ttl: '24h', revokeWhenJoined: true },
      joinTimeoutSeconds: 3600,
    },
    runtime: { name: 'containerd' },
    packages: { install: true, aptRepository: { url: 'https://pkgs.k8s.io/core:/stable:' } },
    network: { cidr: '10.10.0.0/24', nameservers: [], interface: 'eth0', dhcpInterfaces: [], hostsEntries: 'auto' },
    firewall: { mode: 'disabled' },
    pki: { keyAlgorithm: 'ecdsa-p256', keyAlgorithmExplicit: false },
    access: { users: [] },
    kubelet: { systemReserved: {}, kubeReserved: {}, maxPods: 110, serverTLSBootstrap: true, protectKernelDefaults: false },
    addons: {
      metricsServer: { enabled: false, version: 'v0.7.1' },
      ingressNginx: { enabled: false, version: 'controller-v1.10.1', expose: 'hostPort' },
    },
    verify: { smokeTest: false, keepSmokeWorkloads: false, rolloutTimeoutSeconds: 300 },
    images: { prebaked: false, auth: [] },
    flatcar: { sysextSha256: {}, sysextSha256Single: false, allowUnverifiedSysext: false },
    security: DEFAULT_SECURITY,
    kubeadm: DEFAULT_KUBEADM,
    nodeDefaults: { labels: {}, taints: [] },
    trust: {},
    time: { servers: [] },
    backup: { etcd: { enabled: true, schedule: 'daily', keep: 7, dir: '/var/backups/etcd' } },
    certificates: { autoRenew: true, renewBefore: '720h', renewBeforeSeconds: 2592000 },
    nodes: [{ name: 'cp-1', role: 'control-plane', ip: '10.10.0.10', arch: 'amd64' as const }],
  } satisfies Profile);
});

t.test('full profile: every field reaches the Profile', async (t) => {
  const { value: p, warnings } = mustLoad(t, 'test/fixtures/profiles/full.yaml');
  t.strictSame(warnings, []);
  t.strictSame(p, {
    cluster: {
      name: 'full',
      kubernetesVersion: '1.31.2',
      controlPlaneEndpoint: '172.16.0.100:8443',
      controlPlaneEndpointExplicit: true,
      podSubnet: '10.100.0.0/16',
      serviceSubnet: '10.200.0.0/16',
      dnsDomain: 'k8s.example.internal',
      kubeProxyMode: 'ipvs',
      cni: { plugin: 'calico', version: 'v3.28.1', manifestFile: 'manifests/calico.yaml' },
      token: { ttl: '2h', revokeWhenJoined: false },
      joinTimeoutSeconds: 5400,
      vip: { address: '172.16.0.100', interface: 'bond0', kubeVipVersion: 'v0.8.2' },
    },
    runtime: { name: 'containerd', sandboxImage: 'registry.example.internal/pause:3.10' },
    packages: {
      install: false,
      aptRepository: { url: 'https://apt-mirror.example.internal/core:/stable:', keyFile: 'keys/kubernetes.asc' },
    },
    network: {
      cidr: '172.16.0.0/24',
      gateway: '172.16.0.1',
      nameservers: ['172.16.0.2', '2001:db8::53'],
      interface: 'bond0',
      dhcpInterfaces: ['eth1'],
      hostsEntries: 'control-planes',
    },
    firewall: { mode: 'ports' },
    pki: { keyAlgorithm: 'rsa-2048', keyAlgorithmExplicit: true },
    access: {
      users: [
        {
          name: 'ops',
          sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZ1bGwtcHJvZmlsZS1leGFtcGxlLWtleQAAAAAAAAAA ops@example'],
          sudo: false,
          shell: '/bin/sh',
          kubeconfig: false,
        },
      ],
    },
    kubelet: {
      // YAML `cpu: 1` is a number; the Profile holds strings, keys sorted.
      systemReserved: { cpu: '1', memory: '512Mi' },
      kubeReserved: { 'ephemeral-storage': '1Gi' },
      maxPods: 200,
      serverTLSBootstrap: false,
      protectKernelDefaults: true,
    },
    addons: {
      metricsServer: {
        enabled: true,
        version: 'v0.7.2',
        manifestUrl: 'https://mirror.example.internal/metrics-server/components.yaml',
      },
      ingressNginx: { enabled: true, version: 'controller-v1.11.0', manifestFile: 'manifests/ingress-nginx.yaml', expose: 'nodePort' },
    },
    verify: { smokeTest: false, keepSmokeWorkloads: true, rolloutTimeoutSeconds: 600 },
    images: { repository: 'registry.example.internal:5000/mirror', prebaked: true, auth: [] },
    trust: {},
    time: { servers: [] },
    flatcar: {
      sysextUrl: 'https://mirror.example.internal/kubernetes-v1.31.2-x86-64.raw',
      sysextSha256: { amd64: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' },
      sysextSha256Single: true,
      allowUnverifiedSysext: false,
    },
    security: {
      encryptionAtRest: false,
      podSecurity: { enforce: 'restricted', audit: 'restricted', warn: 'baseline', exemptNamespaces: ['monitoring'] },
      audit: { enabled: false, maxAge: 30, maxBackup: 10, maxSizeMB: 200 },
      defaultDenyNamespaces: ['apps'],
    },
    kubeadm: {
      // YAML numbers and booleans become the flag's text; names sorted.
      apiServer: {
        extraArgs: { profiling: 'false', v: '2' },
        extraVolumes: [{ name: 'cloud', hostPath: '/etc/cloud.conf', mountPath: '/etc/cloud.conf', readOnly: true, pathType: 'File' }],
        certSANs: ['api.example.internal', '*.k8s.example.internal', '172.16.0.200'],
      },
      controllerManager: { extraArgs: { 'bind-address': '127.0.0.1' } },
      scheduler: { extraArgs: { profiling: 'false' } },
      etcd: { extraArgs: { 'quota-backend-bytes': '8589934592' } },
      featureGates: { InPlacePodVerticalScaling: true },
    },
    nodeDefaults: {
      labels: { 'example.com/pool': 'general' },
      taints: [{ key: 'example.com/dedicated', value: 'general', effect: 'PreferNoSchedule' }],
    },
    backup: { etcd: { enabled: true, schedule: '*-*-* 03:30:00', keep: 14, dir: '/srv/backups/etcd' } },
    certificates: { autoRenew: false, renewBefore: '1440h', renewBeforeSeconds: 5184000 },
    nodes: [
      // nodeDefaults apply to workers only.
      { name: 'cp-1', role: 'control-plane', ip: '172.16.0.11', mac: '52:54:00:ab:cd:11', arch: 'amd64' as const },
      {
        name: 'worker-1.k8s.example.internal',
        role: 'worker',
        ip: '172.16.0.21',
        arch: 'amd64' as const,
        // The node's own value wins; labels sorted by key.
        labels: { 'example.com/pool': 'fast', 'topology.kubernetes.io/zone': 'a' },
        // Its own taint replaces the default with the same key and effect.
        taints: [
          { key: 'example.com/dedicated', value: 'fast', effect: 'PreferNoSchedule' },
          { key: 'example.com/gpu', effect: 'NoSchedule' },
        ],
      },
    ],
  } satisfies Profile);
});

t.test('flannel profile loads with the Flannel version default', async (t) => {
  const { value: p, warnings } = mustLoad(t, 'test/fixtures/profiles/flannel.yaml');
  t.strictSame(warnings, []);
  t.strictSame(p.cluster.cni, { plugin: 'flannel', version: 'v0.25.1' });
  t.equal(p.cluster.podSubnet, '10.244.0.0/16');
});

t.test('HA profile with 3 control planes and an endpoint without port', async (t) => {
  const { value: p, warnings } = mustLoad(t, 'test/fixtures/profiles/ha.yaml');
  t.strictSame(warnings, []);
  t.equal(p.cluster.controlPlaneEndpoint, 'k8s-api.example.internal:6443');
  t.equal(p.cluster.controlPlaneEndpointExplicit, true);
  t.equal(p.nodes.filter((n) => n.role === 'control-plane').length, 3);
});

t.test('HA profile with a VIP: the VIP is the endpoint and inherits network.interface', async (t) => {
  const { value: p, warnings } = mustLoad(t, 'test/fixtures/profiles/ha-vip.yaml');
  t.strictSame(warnings, []);
  t.equal(p.cluster.controlPlaneEndpoint, '10.30.0.100:6443');
  t.equal(p.cluster.controlPlaneEndpointExplicit, true);
  t.strictSame(p.cluster.vip, { address: '10.30.0.100', interface: 'ens3', kubeVipVersion: 'v0.8.0' });
});

t.test('warning: etcd-quorum for two control planes, with the value', async (t) => {
  const { value, warnings } = mustLoad(t, 'test/fixtures/profiles/warnings/etcd-quorum.yaml');
  t.equal(value.cluster.name, 'two-cp');
  t.equal(warnings.length, 1);
  t.match(warnings[0], { severity: 'warning', code: 'etcd-quorum', path: '/nodes', line: 8, col: 1 });
  t.match(warnings[0]?.message, /tolerate 0 failures/);
});

t.test('warning: token that never expires (ttl: 0 as a YAML integer)', async (t) => {
  const { value, warnings } = mustLoad(t, 'test/fixtures/profiles/warnings/token-never-expires.yaml');
  t.equal(value.cluster.token.ttl, '0');
  t.strictSame(
    warnings.map((w) => [w.code, w.path, w.line]),
    [['token-never-expires', '/cluster/token/ttl', 6]],
  );
});

t.test('warning: ipvs-deprecated on 1.35 is reported alongside the errors', async (t) => {
  // 1.35 is not in the version table yet, so the profile fails; the warning
  // must still be reported (with its position) next to the error.
  const r = loadFile('test/fixtures/profiles/warnings/ipvs-deprecated.yaml');
  t.equal(r.ok, false);
  if (r.ok) return;
  const w = r.diagnostics.find((d) => d.code === 'ipvs-deprecated');
  t.match(w, { severity: 'warning', path: '/cluster/kubeProxy/mode', line: 6, col: 11 });
});

t.test('empty optional sections and lists count as absent', async (t) => {
  const text = [
    'cluster: {name: x, kubernetesVersion: 1.30.0}',
    'runtime:',
    'addons:',
    '  metricsServer:',
    'access:',
    '  users:',
    'network:',
    '  cidr: 10.0.0.0/24',
    '  nameservers:',
    'nodes: [{name: a, role: control-plane, ip: 10.0.0.2}]',
  ].join('\n');
  const r = loadProfile(text, 'inline.yaml');
  t.ok(r.ok, 'loads');
  if (!r.ok) return;
  t.strictSame(r.value.network.nameservers, []);
  t.strictSame(r.value.access.users, []);
  t.strictSame(r.value.addons.metricsServer, { enabled: false, version: 'v0.7.1' });
});

t.test('YAML anchors and merge keys are resolved', async (t) => {
  const text = [
    'cluster: {name: x, kubernetesVersion: 1.30.0}',
    'network: {cidr: 10.0.0.0/24}',
    'x-worker: &worker {role: worker}',
    'nodes:',
    '  - {name: a, role: control-plane, ip: 10.0.0.2}',
    '  - {<<: *worker, name: b, ip: 10.0.0.3}',
  ].join('\n');
  const r = loadProfile(text, 'inline.yaml');
  // x-worker is not a profile key: anchors must live inside known sections.
  t.equal(r.ok, false);
  if (!r.ok) t.match(r.diagnostics, [{ code: 'unknown-key', path: '/x-worker', line: 3 }]);

  const ok = loadProfile(
    [
      'cluster: {name: x, kubernetesVersion: 1.30.0}',
      'network: {cidr: 10.0.0.0/24}',
      'nodes:',
      '  - &cp {name: a, role: control-plane, ip: 10.0.0.2}',
      '  - {<<: *cp, name: b, role: worker, ip: 10.0.0.3}',
    ].join('\n'),
    'inline.yaml',
  );
  t.ok(ok.ok);
  if (ok.ok) t.strictSame(ok.value.nodes[1], { name: 'b', role: 'worker', ip: '10.0.0.3', arch: 'amd64' as const });
});

t.test('an alias bomb is a diagnostic, not a crash', async (t) => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  const r = loadProfile(lines.join('\n'), 'bomb.yaml');
  t.equal(r.ok, false);
  if (!r.ok) t.equal(r.diagnostics[0]?.code, 'too-many-aliases');
});

t.test('a stage reports all of its errors at once, ordered by position', async (t) => {
  const text = [
    'cluster:',
    '  name: Bad_Name', // 2
    '  kubernetesVersion: 1.30.0',
    '  podSubnett: 10.0.0.0/16', // 4
    'network:',
    '  cidr: 10.0.0.0/24',
    'nodes:',
    '  - {name: a, role: boss, ip: 10.0.0.256}', // 8
  ].join('\n');
  const r = loadProfile(text, 'multi.yaml');
  t.equal(r.ok, false);
  if (r.ok) return;
  t.strictSame(
    r.diagnostics.map((d) => [d.code, d.path, d.line]),
    [
      ['invalid-hostname', '/cluster/name', 2],
      ['unknown-key', '/cluster/podSubnett', 4],
      ['invalid-value', '/nodes/0/role', 8],
      ['invalid-ip', '/nodes/0/ip', 8],
    ],
  );
});

import { execFileSync } from 'node:child_process';
import t, { type Test } from 'tap';
import { parseAllDocuments } from 'yaml';
import { buildKubeadmConfig, buildKubeadmDocuments, type KubeadmConfigInput } from '../../src/kube/kubeadm-config.js';
import type { Profile, ProfileNode } from '../../src/profile/types.js';
import { DEFAULT_KUBEADM, DEFAULT_SECURITY, MANAGED_APISERVER_ARGS } from '../helpers/default-settings.js';

const TOKEN = 'abcdef.0123456789abcdef';
const HASH = `sha256:${'0123456789abcdef'.repeat(4)}`;

/** A complete Profile (after defaults) modelled on profiles/lab.yaml. */
function makeProfile(over: { version?: string; nodes?: ProfileNode[]; endpoint?: string; ttl?: string; mode?: 'ipvs' | 'iptables'; repo?: string; name?: string; vip?: Profile['cluster']['vip']; kubeadm?: Partial<Profile['kubeadm']>; security?: Partial<Profile['security']> } = {}): Profile {
  const nodes = over.nodes ?? [
    { name: 'control-plane', role: 'control-plane', ip: '192.168.56.101', arch: 'amd64' as const },
    { name: 'worker-1', role: 'worker', ip: '192.168.56.102', arch: 'amd64' as const },
    { name: 'worker-2', role: 'worker', ip: '192.168.56.103', arch: 'amd64' as const },
  ];
  return {
    cluster: {
      name: over.name ?? 'lab',
      kubernetesVersion: over.version ?? '1.30.0',
      controlPlaneEndpoint: over.endpoint ?? '192.168.56.101:6443',
      controlPlaneEndpointExplicit: over.endpoint !== undefined,
      podSubnet: '10.244.0.0/16',
      serviceSubnet: '10.96.0.0/12',
      dnsDomain: 'cluster.local',
      kubeProxyMode: over.mode ?? 'ipvs',
      cni: { plugin: 'calico', version: 'v3.27.0' },
      token: { ttl: over.ttl ?? '24h', revokeWhenJoined: true },
      joinTimeoutSeconds: 3600,
      ...(over.vip ? { vip: over.vip } : {}),
    },
    runtime: { name: 'containerd' },
    backup: { etcd: { enabled: true, schedule: 'daily', keep: 7, dir: '/var/backups/etcd' } },
    certificates: { autoRenew: true, renewBefore: '720h', renewBeforeSeconds: 2592000 },
    packages: { install: true, aptRepository: { url: 'https://pkgs.k8s.io/core:/stable:' } },
    network: { cidr: '192.168.56.0/24', nameservers: ['1.1.1.1'], interface: 'enp0s8', dhcpInterfaces: ['enp0s3'], hostsEntries: 'auto' },
    firewall: { mode: 'ports' },
    pki: { keyAlgorithm: 'ecdsa-p256', keyAlgorithmExplicit: false },
    access: { users: [] },
    kubelet: { systemReserved: { memory: '256Mi', cpu: '100m' }, kubeReserved: { cpu: '100m', memory: '256Mi' }, maxPods: 110, serverTLSBootstrap: true, protectKernelDefaults: false },
    addons: {
      metricsServer: { enabled: true, version: 'v0.7.1' },
      ingressNginx: { enabled: false, version: 'controller-v1.10.1', expose: 'hostPort' },
    },
    verify: { smokeTest: true, keepSmokeWorkloads: false, rolloutTimeoutSeconds: 300 },
    images: over.repo ? { repository: over.repo, prebaked: false, auth: [] } : { prebaked: false, auth: [] },
    flatcar: { sysextSha256: {}, sysextSha256Single: false, allowUnverifiedSysext: false },
    security: { ...DEFAULT_SECURITY, ...over.security },
    kubeadm: { ...DEFAULT_KUBEADM, ...over.kubeadm },
    nodeDefaults: { labels: {}, taints: [] },
    trust: {},
    time: { servers: [] },
    nodes,
  };
}

/** Three control planes, so a joining control plane exists. */
const HA_NODES: ProfileNode[] = [
  { name: 'cp-1', role: 'control-plane', ip: '192.168.56.11', arch: 'amd64' as const },
  { name: 'cp-2', role: 'control-plane', ip: '192.168.56.12', arch: 'amd64' as const },
  { name: 'cp-3', role: 'control-plane', ip: '192.168.56.13', arch: 'amd64' as const },
  { name: 'worker-1', role: 'worker', ip: '192.168.56.21', arch: 'amd64' as const },
];

type Kind = 'init' | 'control-plane' | 'worker';

function inputFor(kind: Kind, version: string): KubeadmConfigInput {
  const profile = makeProfile({ version, nodes: HA_NODES, endpoint: 'api.lab.example:6443' });
  const node = HA_NODES[kind === 'init' ? 0 : kind === 'control-plane' ? 1 : 3]!;
  return { profile, node, init: kind === 'init', token: TOKEN, caCertHash: HASH, keyAlgorithm: 'rsa-2048' };
}

/** Parses a multi-document stream with the yaml library, failing on any error. */
function parseDocs(t: Test, text: string): any[] {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new Error('expected a document stream');
  for (const d of docs) t.same(d.errors, [], 'document parses without errors');
  return docs.map((d) => d.toJS());
}

/** Parses with PyYAML (YAML 1.1), the reader cloud-init uses. */
function pyyaml(text: string): unknown[] {
  const out = execFileSync('python3', ['-c', 'import sys, json, yaml; print(json.dumps(list(yaml.safe_load_all(sys.stdin))))'], { input: text });
  return JSON.parse(out.toString()) as unknown[];
}

const byKind = (docs: any[], kind: string): any => docs.find((d) => d.kind === kind);

t.test('apiVersion follows the Kubernetes minor on all three node kinds', async (t) => {
  for (const [version, api] of [
    ['1.30.0', 'kubeadm.k8s.io/v1beta3'],
    ['1.31.0', 'kubeadm.k8s.io/v1beta4'],
  ] as const) {
    for (const kind of ['init', 'control-plane', 'worker'] as const) {
      const docs = parseDocs(t, buildKubeadmConfig(inputFor(kind, version)));
      const kubeadmDocs = docs.filter((d) => String(d.apiVersion).startsWith('kubeadm.k8s.io/'));
      t.ok(kubeadmDocs.length > 0, `${version} ${kind} has kubeadm documents`);
      for (const d of kubeadmDocs) t.equal(d.apiVersion, api, `${version} ${kind} ${d.kind}`);
    }
  }
});

t.test('documents come out with the expected kinds in order', async (t) => {
  for (const version of ['1.30.0', '1.31.0']) {
    const init = parseDocs(t, buildKubeadmConfig(inputFor('init', version)));
    t.same(
      init.map((d) => d.kind),
      ['InitConfiguration', 'ClusterConfiguration', 'KubeletConfiguration', 'KubeProxyConfiguration'],
    );
    t.equal(init[2].apiVersion, 'kubelet.config.k8s.io/v1beta1');
    t.equal(init[3].apiVersion, 'kubeproxy.config.k8s.io/v1alpha1');
    t.same(parseDocs(t, buildKubeadmConfig(inputFor('control-plane', version))).map((d) => d.kind), ['JoinConfiguration']);
    t.same(parseDocs(t, buildKubeadmConfig(inputFor('worker', version))).map((d) => d.kind), ['JoinConfiguration']);
  }
});

t.test('kubeletExtraArgs: map in v1beta3, list of {name, value} in v1beta4', async (t) => {
  for (const kind of ['init', 'control-plane', 'worker'] as const) {
    const ip = inputFor(kind, '1.30.0').node.ip;
    const v3 = parseDocs(t, buildKubeadmConfig(inputFor(kind, '1.30.0')))[0];
    t.same(v3.nodeRegistration.kubeletExtraArgs, { 'node-ip': ip }, `v1beta3 ${kind}`);
    const v4 = parseDocs(t, buildKubeadmConfig(inputFor(kind, '1.31.0')))[0];
    t.same(v4.nodeRegistration.kubeletExtraArgs, [{ name: 'node-ip', value: ip }], `v1beta4 ${kind}`);
  }
});

t.test('nodeRegistration names the node and containerd socket', async (t) => {
  for (const kind of ['init', 'control-plane', 'worker'] as const) {
    const input = inputFor(kind, '1.31.0');
    const doc = parseDocs(t, buildKubeadmConfig(input))[0];
    t.equal(doc.nodeRegistration.name, input.node.name);
    t.equal(doc.nodeRegistration.criSocket, 'unix:///var/run/containerd/containerd.sock');
  }
});

t.test('timeouts sit where each API version expects them', async (t) => {
  const v3init = parseDocs(t, buildKubeadmConfig(inputFor('init', '1.30.0')));
  t.equal(byKind(v3init, 'ClusterConfiguration').apiServer.timeoutForControlPlane, '5m0s');
  t.notOk('timeouts' in byKind(v3init, 'InitConfiguration'), 'v1beta3 InitConfiguration has no timeouts');

  const v4init = parseDocs(t, buildKubeadmConfig(inputFor('init', '1.31.0')));
  t.same(byKind(v4init, 'InitConfiguration').timeouts, { controlPlaneComponentHealthCheck: '5m0s' });
  t.notOk('timeoutForControlPlane' in byKind(v4init, 'ClusterConfiguration').apiServer, 'v1beta4 apiServer has no timeoutForControlPlane');

  for (const kind of ['control-plane', 'worker'] as const) {
    const v3 = parseDocs(t, buildKubeadmConfig(inputFor(kind, '1.30.0')))[0];
    t.equal(v3.discovery.timeout, '5m0s', `v1beta3 ${kind} discovery.timeout`);
    t.notOk('timeouts' in v3, `v1beta3 ${kind} has no timeouts block`);

    const v4 = parseDocs(t, buildKubeadmConfig(inputFor(kind, '1.31.0')))[0];
    t.equal(v4.timeouts.discovery, '5m0s', `v1beta4 ${kind} timeouts.discovery`);
    t.notOk('timeout' in v4.discovery, `v1beta4 ${kind} has no discovery.timeout`);
  }
  const v4cp = parseDocs(t, buildKubeadmConfig(inputFor('control-plane', '1.31.0')))[0];
  t.equal(v4cp.timeouts.controlPlaneComponentHealthCheck, '5m0s', 'joining control plane waits for its API server');
  const v4w = parseDocs(t, buildKubeadmConfig(inputFor('worker', '1.31.0')))[0];
  t.notOk('controlPlaneComponentHealthCheck' in v4w.timeouts, 'a worker has no control-plane health check');
});

t.test('bootstrap token fields', async (t) => {
  for (const [ttl, want] of [
    ['24h', '24h'],
    ['90m', '90m'],
    ['0', '0s'],
  ] as const) {
    const input = inputFor('init', '1.31.0');
    input.profile.cluster.token.ttl = ttl;
    const text = buildKubeadmConfig(input);
    const init = parseDocs(t, text)[0];
    t.equal(init.bootstrapTokens.length, 1);
    const bt = init.bootstrapTokens[0];
    t.equal(bt.token, TOKEN);
    t.match(bt.token, /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    t.equal(bt.ttl, want, `ttl ${ttl}`);
    t.equal(typeof bt.ttl, 'string', 'ttl is a string, never the integer 0');
    t.same(bt.usages, ['signing', 'authentication']);
    t.same(bt.groups, ['system:bootstrappers:kubeadm:default-node-token']);
    t.same(Object.keys(bt), ['token', 'ttl', 'usages', 'groups']);
  }
});

t.test('join discovery pins the CA hash against the endpoint', async (t) => {
  for (const kind of ['control-plane', 'worker'] as const) {
    const d = parseDocs(t, buildKubeadmConfig(inputFor(kind, '1.30.0')))[0];
    t.same(d.discovery.bootstrapToken, { apiServerEndpoint: 'api.lab.example:6443', token: TOKEN, caCertHashes: [HASH] });
  }
});

t.test('certSANs: endpoint host, VIP, every control plane IP and name, sorted and deduplicated', async (t) => {
  const profile = makeProfile({
    nodes: [
      { name: 'cp-b', role: 'control-plane', ip: '192.168.56.12', arch: 'amd64' as const },
      { name: 'cp-a', role: 'control-plane', ip: '192.168.56.11', arch: 'amd64' as const },
      { name: 'cp-c', role: 'control-plane', ip: '192.168.56.13', arch: 'amd64' as const },
      { name: 'w-1', role: 'worker', ip: '192.168.56.21', arch: 'amd64' as const },
    ],
    endpoint: 'api.lab.example:6443',
    vip: { address: '192.168.56.10', interface: 'enp0s8', kubeVipVersion: 'v0.8.0' },
  });
  const node = profile.nodes[1]!;
  const cc = byKind(parseDocs(t, buildKubeadmConfig({ profile, node, init: true, token: TOKEN, caCertHash: HASH, keyAlgorithm: 'rsa-2048' })), 'ClusterConfiguration');
  t.same(cc.apiServer.certSANs, [
    '192.168.56.10',
    '192.168.56.11',
    '192.168.56.12',
    '192.168.56.13',
    'api.lab.example',
    'cp-a',
    'cp-b',
    'cp-c',
  ]);
  t.notOk(cc.apiServer.certSANs.includes('w-1'), 'workers are not SANs');

  // Endpoint defaulted to the first control plane's IP: no duplicate SAN.
  const lab = makeProfile();
  const labCc = byKind(parseDocs(t, buildKubeadmConfig({ profile: lab, node: lab.nodes[0]!, init: true, token: TOKEN, caCertHash: HASH, keyAlgorithm: 'rsa-2048' })), 'ClusterConfiguration');
  t.same(labCc.apiServer.certSANs, ['192.168.56.101', 'control-plane']);
});

t.test('encryptionAlgorithm: ECDSA-P256 for an ECDSA cluster on v1beta4 only; RSA clusters and v1beta3 keep kubeadm\'s default', async (t) => {
  const cc = (version: string, keyAlgorithm: string): any => {
    const profile = makeProfile({ version });
    return byKind(parseDocs(t, buildKubeadmConfig({ profile, node: profile.nodes[0]!, init: true, token: TOKEN, caCertHash: HASH, keyAlgorithm })), 'ClusterConfiguration');
  };
  t.equal(cc('1.31.2', 'ecdsa-p256').apiVersion, 'kubeadm.k8s.io/v1beta4');
  t.equal(cc('1.31.2', 'ecdsa-p256').encryptionAlgorithm, 'ECDSA-P256', 'kubeadm makes its leaf keys ECDSA like the CAs');
  t.notOk('encryptionAlgorithm' in cc('1.31.2', 'rsa-2048'), 'RSA-2048 is kubeadm\'s default: left out');
  t.equal(cc('1.30.0', 'ecdsa-p256').apiVersion, 'kubeadm.k8s.io/v1beta3');
  t.notOk('encryptionAlgorithm' in cc('1.30.0', 'ecdsa-p256'), 'v1beta3 has no such field: leaves stay RSA under the ECDSA CA');
  // Joining nodes get no ClusterConfiguration, so nothing to set there.
  const profile = makeProfile({ version: '1.31.2' });
  const join = parseDocs(t, buildKubeadmConfig({ profile, node: profile.nodes[0]!, init: false, token: TOKEN, caCertHash: HASH, keyAlgorithm: 'ecdsa-p256' }));
  t.same(join.map((d) => d.kind), ['JoinConfiguration']);
});

t.test('ClusterConfiguration carries version, endpoint, name and networking', async (t) => {
  const profile = makeProfile({ version: '1.31.2' });
  const cc = byKind(parseDocs(t, buildKubeadmConfig({ profile, node: profile.nodes[0]!, init: true, token: TOKEN, caCertHash: HASH, keyAlgorithm: 'rsa-2048' })), 'ClusterConfiguration');
  t.equal(cc.kubernetesVersion, 'v1.31.2');
  t.equal(cc.controlPlaneEndpoint, '192.168.56.101:6443');
  t.equal(cc.clusterName, 'lab');
  t.same(cc.networking, { podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/12', dnsDomain: 'cluster.local' });
  t.notOk('imageRepository' in cc, 'no imageRepository without a mirror');

  const mirrored = makeProfile({ repo: 'mirror.lab.example:5000/k8s/' });
  const mcc = byKind(parseDocs(t, buildKubeadmConfig({ profile: mirrored, node: mirrored.nodes[0]!, init: true, token: TOKEN, caCertHash: HASH, keyAlgorithm: 'rsa-2048' })), 'ClusterConfiguration');
  t.equal(mcc.imageRepository, 'mirror.lab.example:5000/k8s');
});

t.test('localAPIEndpoint advertises the node IP on the endpoint port', async (t) => {
  const profile = makeProfile({ nodes: HA_NODES, endpoint: '192.168.56.10:8443' });
  const init = parseDocs(t, buildKubeadmConfig({ profile, node: HA_NODES[0]!, init: true, token: TOKEN, caCertHash: HASH, keyAlgorithm: 'rsa-2048' }))[0];
  t.same(init.localAPIEndpoint, { advertiseAddress: '192.168.56.11', bindPort: 8443 });

  const noPort = makeProfile({ nodes: HA_NODES, endpoint: 'api.lab.example' });
  const init2 = parseDocs(t, buildKubeadmConfig({ profile: noPort, node: HA_NODES[0]!, init: true, token: TOKEN, caCertHash: HASH, keyAlgorithm: 'rsa-2048' }))[0];
  t.equal(init2.localAPIEndpoint.bindPort, 6443);
});

t.test('a joining control plane gets controlPlane and no certificateKey', async (t) => {
  for (const version of ['1.30.0', '1.31.0']) {
    const text = buildKubeadmConfig(inputFor('control-plane', version));
    const j = parseDocs(t, text)[0];
    t.same(j.controlPlane, { localAPIEndpoint: { advertiseAddress: '192.168.56.12', bindPort: 6443 } }, version);
    t.notMatch(text, /certificateKey/i, `${version}: no certificateKey anywhere`);
  }
});

t.test('a worker has no controlPlane', async (t) => {
  for (const version of ['1.30.0', '1.31.0']) {
    const j = parseDocs(t, buildKubeadmConfig(inputFor('worker', version)))[0];
    t.notOk('controlPlane' in j, version);
  }
});

t.test('no private key material in any node config', async (t) => {
  for (const version of ['1.30.0', '1.34.1']) {
    for (const kind of ['init', 'control-plane', 'worker'] as const) {
      const text = buildKubeadmConfig(inputFor(kind, version));
      t.notMatch(text, /PRIVATE KEY|BEGIN |certificateKey|-----/, `${version} ${kind}`);
    }
    // The init node owns the CA, so it needs no discovery pin either.
    t.notMatch(buildKubeadmConfig(inputFor('init', version)), HASH, `${version} init has no CA hash`);
  }
});

t.test('kubelet and kube-proxy configuration', async (t) => {
  const docs = parseDocs(t, buildKubeadmConfig(inputFor('init', '1.31.0')));
  t.same(byKind(docs, 'KubeletConfiguration'), {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    cgroupDriver: 'systemd',
    maxPods: 110,
    serverTLSBootstrap: true,
    readOnlyPort: 0,
    rotateCertificates: true,
    systemReserved: { cpu: '100m', memory: '256Mi' },
    kubeReserved: { cpu: '100m', memory: '256Mi' },
  });
  t.same(byKind(docs, 'KubeProxyConfiguration'), {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: 'ipvs',
    ipvs: { strictARP: true },
  });

  const plain = makeProfile({ mode: 'iptables' });
  plain.kubelet = { systemReserved: {}, kubeReserved: {}, maxPods: 250, serverTLSBootstrap: false, protectKernelDefaults: false };
  const pdocs = parseDocs(t, buildKubeadmConfig({ profile: plain, node: plain.nodes[0]!, init: true, token: TOKEN, caCertHash: HASH, keyAlgorithm: 'rsa-2048' }));
  const kc = byKind(pdocs, 'KubeletConfiguration');
  t.notOk('systemReserved' in kc || 'kubeReserved' in kc, 'empty reservations are omitted');
  t.equal(kc.maxPods, 250);
  t.equal(kc.serverTLSBootstrap, false);
  t.same(byKind(pdocs, 'KubeProxyConfiguration'), { apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', mode: 'iptables' });
});

t.test('PyYAML (YAML 1.1) reads exactly what the yaml library reads', async (t) => {
  // Names that YAML 1.1 would turn into booleans if left unquoted.
  const nodes: ProfileNode[] = [
    { name: 'yes', role: 'control-plane', ip: '192.168.56.11', arch: 'amd64' as const },
    { name: 'on', role: 'control-plane', ip: '192.168.56.12', arch: 'amd64' as const },
    { name: 'n', role: 'worker', ip: '192.168.56.21', arch: 'amd64' as const },
  ];
  for (const version of ['1.30.0', '1.31.0']) {
    const profile = makeProfile({ version, nodes, name: 'no', ttl: '0' });
    for (const [node, init] of [
      [nodes[0]!, true],
      [nodes[1]!, false],
      [nodes[2]!, false],
    ] as const) {
      const text = buildKubeadmConfig({ profile, node, init, token: TOKEN, caCertHash: HASH, keyAlgorithm: 'rsa-2048' });
      const js = parseDocs(t, text);
      t.same(pyyaml(text), js, `${version} ${node.name}`);
      t.equal(js[0].nodeRegistration.name, node.name, 'node name stays a string');
      t.match(text, new RegExp(`name: "${node.name}"`), 'boolean-like name is quoted');
    }
    const init = pyyaml(buildKubeadmConfig({ profile, node: nodes[0]!, init: true, token: TOKEN, caCertHash: HASH, keyAlgorithm: 'rsa-2048' })) as any[];
    t.equal(init[1].clusterName, 'no');
    t.equal(init[0].bootstrapTokens[0].ttl, '0s');
  }
});

t.test('output is byte-stable and independent of input key order', async (t) => {
  for (const kind of ['init', 'control-plane', 'worker'] as const) {
    t.equal(buildKubeadmConfig(inputFor(kind, '1.31.0')), buildKubeadmConfig(inputFor(kind, '1.31.0')), kind);
  }
  const a = inputFor('init', '1.30.0');
  const b = inputFor('init', '1.30.0');
  b.profile.kubelet.systemReserved = { memory: '256Mi', cpu: '100m', 'ephemeral-storage': '1Gi' };
  a.profile.kubelet.systemReserved = { 'ephemeral-storage': '1Gi', cpu: '100m', memory: '256Mi' };
  b.profile.nodes = [...b.profile.nodes].reverse();
  t.equal(buildKubeadmConfig(a), buildKubeadmConfig(b));
  t.ok(buildKubeadmConfig(a).endsWith('\n'), 'ends with a newline');
});

t.test('exact output for a worker, v1beta3 and v1beta4', async (t) => {
  t.equal(
    buildKubeadmConfig(inputFor('worker', '1.30.0')),
    `apiVersion: kubeadm.k8s.io/v1beta3
kind: JoinConfiguration
discovery:
  bootstrapToken:
    apiServerEndpoint: api.lab.example:6443
    token: ${TOKEN}
    caCertHashes:
      - ${HASH}
  timeout: 5m0s
nodeRegistration:
  name: worker-1
  criSocket: unix:///var/run/containerd/containerd.sock
  kubeletExtraArgs:
    node-ip: 192.168.56.21
patches:
  directory: /etc/kubernetes/gen-userdata/patches
`,
  );
  t.equal(
    buildKubeadmConfig(inputFor('worker', '1.31.0')),
    `apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
discovery:
  bootstrapToken:
    apiServerEndpoint: api.lab.example:6443
    token: ${TOKEN}
    caCertHashes:
      - ${HASH}
nodeRegistration:
  name: worker-1
  criSocket: unix:///var/run/containerd/containerd.sock
  kubeletExtraArgs:
    - name: node-ip
      value: 192.168.56.21
patches:
  directory: /etc/kubernetes/gen-userdata/patches
timeouts:
  discovery: 5m0s
`,
  );
});

t.test('multi-document separators', async (t) => {
  const text = buildKubeadmConfig(inputFor('init', '1.30.0'));
  t.equal(text.split('\n').filter((l) => l === '---').length, 3, 'four documents, three separators');
  t.notMatch(text, /%YAML/, 'no directive');
});

t.test('bugs upstream throw', async (t) => {
  t.throws(() => buildKubeadmConfig(inputFor('init', '1.26.0')), /unsupported Kubernetes version/);
  t.throws(() => buildKubeadmConfig(inputFor('worker', '1.99.0')), /unsupported Kubernetes version/);
  t.throws(() => buildKubeadmConfig({ ...inputFor('worker', '1.30.0'), init: true }), /not a control plane/);
  t.throws(() => buildKubeadmConfig({ ...inputFor('init', '1.30.0'), token: 'ABCDEF.0123456789abcdef' }), /bootstrap token/);
  t.throws(() => buildKubeadmConfig({ ...inputFor('worker', '1.30.0'), token: 'abcdef0123456789abcdef' }), /bootstrap token/);
  t.throws(() => buildKubeadmConfig({ ...inputFor('worker', '1.31.0'), caCertHash: 'sha256:XYZ' }), /CA cert hash/);
  const bad = inputFor('init', '1.30.0');
  bad.profile.cluster.controlPlaneEndpoint = 'host:99999';
  t.throws(() => buildKubeadmConfig(bad), /malformed control-plane endpoint/);
});

t.test('buildKubeadmDocuments returns the same objects the YAML holds', async (t) => {
  const input = inputFor('control-plane', '1.31.0');
  t.same(parseDocs(t, buildKubeadmConfig(input)), buildKubeadmDocuments(input));
});

t.test('component flags, volumes and SANs: maps in v1beta3, lists of {name, value} in v1beta4', async (t) => {
  const kubeadm = {
    apiServer: { extraArgs: { 'request-timeout': '2m' }, extraVolumes: [{ name: 'cloud', hostPath: '/etc/c.conf', mountPath: '/etc/c.conf', readOnly: true, pathType: 'File' }], certSANs: ['k8s.example.com'] },
    controllerManager: { extraArgs: { 'bind-address': '0.0.0.0' } },
    scheduler: { extraArgs: {} },
    etcd: { extraArgs: { 'quota-backend-bytes': '8589934592' } },
    featureGates: { B: false, A: true },
  };
  for (const [version, lists] of [['1.30.0', false], ['1.31.0', true]] as const) {
    const p = makeProfile({ version, kubeadm });
    const cc = byKind(buildKubeadmDocuments({ profile: p, node: p.nodes[0]!, init: true, token: TOKEN, caCertHash: HASH, keyAlgorithm: 'rsa-2048' }), 'ClusterConfiguration');
    const shape = (m: Record<string, string>) => (lists ? Object.entries(m).map(([name, value]) => ({ name, value })) : m);
    t.same(cc.apiServer.extraArgs, shape({
      ...MANAGED_APISERVER_ARGS,
      'feature-gates': 'A=true,B=false',
      'request-timeout': '2m',
    }), `${version}: API server flags, sorted`);
    t.same(cc.controllerManager.extraArgs, shape({ 'bind-address': '0.0.0.0', 'feature-gates': 'A=true,B=false' }));
    t.same(cc.scheduler.extraArgs, shape({ 'feature-gates': 'A=true,B=false' }), 'feature gates reach the scheduler with no flags of its own');
    t.same(cc.etcd, { local: { extraArgs: shape({ 'quota-backend-bytes': '8589934592' }) } });
    t.same(cc.apiServer.extraVolumes.at(-1), { name: 'cloud', hostPath: '/etc/c.conf', mountPath: '/etc/c.conf', readOnly: true, pathType: 'File' });
    t.ok(cc.apiServer.certSANs.includes('k8s.example.com'));
    t.notOk('featureGates' in cc, "kubeadm's own featureGates stay unset");
    const docs = buildKubeadmDocuments({ profile: p, node: p.nodes[0]!, init: true, token: TOKEN, caCertHash: HASH, keyAlgorithm: 'rsa-2048' });
    t.same(byKind(docs, 'KubeletConfiguration').featureGates, { A: true, B: false });
    t.same(byKind(docs, 'KubeProxyConfiguration').featureGates, { A: true, B: false });
  }
  const bare = makeProfile({ security: { encryptionAtRest: false, audit: { enabled: false, maxAge: 7, maxBackup: 3, maxSizeMB: 100 } } });
  const cc = byKind(buildKubeadmDocuments({ profile: bare, node: bare.nodes[0]!, init: true, token: TOKEN, caCertHash: HASH, keyAlgorithm: 'rsa-2048' }), 'ClusterConfiguration');
  t.same(cc.apiServer.extraArgs, { 'admission-control-config-file': '/etc/kubernetes/apiserver/admission.yaml' }, 'Pod Security admission stays on');
  t.same(cc.apiServer.extraVolumes.map((v: any) => v.name), ['gen-userdata-apiserver']);
  t.notOk('controllerManager' in cc || 'scheduler' in cc || 'etcd' in cc, 'empty components are left out');
});

t.test('labels and taints in nodeRegistration for both API versions; a tainted control plane keeps its control-plane taint', async (t) => {
  const nodes: ProfileNode[] = [
    { name: 'cp-1', role: 'control-plane', ip: '192.168.56.11', arch: 'amd64', labels: { 'example.com/a': '1' }, taints: [{ key: 'example.com/x', effect: 'NoExecute' }] },
    { name: 'cp-2', role: 'control-plane', ip: '192.168.56.12', arch: 'amd64' },
    { name: 'cp-3', role: 'control-plane', ip: '192.168.56.13', arch: 'amd64', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
    { name: 'w-1', role: 'worker', ip: '192.168.56.21', arch: 'amd64', labels: { 'example.com/a': '1', 'example.com/b': '' }, taints: [{ key: 'example.com/gpu', value: 'yes', effect: 'NoSchedule' }] },
  ];
  for (const [version, lists] of [['1.30.0', false], ['1.31.0', true]] as const) {
    const p = makeProfile({ version, nodes, endpoint: '192.168.56.10:6443' });
    const reg = (i: number) => {
      const docs = buildKubeadmDocuments({ profile: p, node: nodes[i]!, init: i === 0, token: TOKEN, caCertHash: HASH, keyAlgorithm: 'rsa-2048' });
      return (byKind(docs, 'InitConfiguration') ?? byKind(docs, 'JoinConfiguration')).nodeRegistration;
    };
    const args = (m: Record<string, string>) => (lists ? Object.entries(m).map(([name, value]) => ({ name, value })) : m);
    t.same(reg(0).kubeletExtraArgs, args({ 'node-ip': '192.168.56.11', 'node-labels': 'example.com/a=1' }));
    t.same(reg(0).taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }, { key: 'example.com/x', effect: 'NoExecute' }]);
    t.equal(reg(1).taints, undefined, 'untainted control plane: kubeadm adds its default taint');
    t.same(reg(2).taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }], 'not listed twice');
    t.same(reg(3).kubeletExtraArgs, args({ 'node-ip': '192.168.56.21', 'node-labels': 'example.com/a=1,example.com/b=' }));
    t.same(reg(3).taints, [{ key: 'example.com/gpu', value: 'yes', effect: 'NoSchedule' }]);
  }
});

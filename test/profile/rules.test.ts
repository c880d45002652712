// Semantic rules called directly on Profiles, around their boundaries.
import t from 'tap';
import { RULES, runRules } from '../../src/profile/rules/index.js';
import { ipvsDeprecated, supportedKubernetesVersion, tokenAndJoinTiming } from '../../src/profile/rules/cluster-rules.js';
import { endpointAddress, flannelMaxPods, flannelPodSubnet, subnetSizes } from '../../src/profile/rules/network-rules.js';
import { endpointRequired, etcdQuorum } from '../../src/profile/rules/node-rules.js';
import type { Profile, ProfileNode } from '../../src/profile/types.js';
import { SUPPORTED_MINORS } from '../../src/kube/versions.js';
import { loadFile } from '../fixtures/profiles/load-fixture.js';

const loaded = loadFile('test/fixtures/profiles/minimal.yaml');
if (!loaded.ok) throw new Error('minimal fixture must load');
const base: Profile = loaded.value;

/** A copy of the minimal profile with changes applied. */
function profile(change: (p: Profile) => void): Profile {
  const p = structuredClone(base);
  change(p);
  return p;
}

function nodes(cps: number, workers = 0): ProfileNode[] {
  const out: ProfileNode[] = [];
  for (let i = 0; i < cps; i++) out.push({ name: `cp-${i}`, role: 'control-plane', ip: `10.10.0.${10 + i}`, arch: 'amd64' });
  for (let i = 0; i < workers; i++) out.push({ name: `w-${i}`, role: 'worker', ip: `10.10.0.${100 + i}`, arch: 'amd64' });
  return out;
}

const codes = (fs: { code: string }[]): string[] => fs.map((f) => f.code);

t.test('the minimal profile passes every rule', async (t) => {
  t.strictSame(runRules(base), []);
  t.ok(RULES.length >= 15);
});

t.test('ipvs-deprecated from 1.35 only, and only for ipvs', async (t) => {
  const at = (v: string, mode: 'ipvs' | 'iptables') =>
    ipvsDeprecated(profile((p) => ((p.cluster.kubernetesVersion = v), (p.cluster.kubeProxyMode = mode))));
  t.strictSame(codes(at('1.34.2', 'ipvs')), []);
  t.strictSame(codes(at('1.35.0', 'ipvs')), ['ipvs-deprecated']);
  t.strictSame(codes(at('1.40.1', 'ipvs')), ['ipvs-deprecated']);
  t.strictSame(codes(at('2.0.0', 'ipvs')), ['ipvs-deprecated']);
  t.strictSame(codes(at('1.35.0', 'iptables')), []);
  t.equal(at('1.35.0', 'ipvs')[0]?.severity, 'warning');
  t.equal(at('1.35.0', 'ipvs')[0]?.path, '/cluster/kubeProxy/mode');
});

t.test('Kubernetes version comes from the version table', async (t) => {
  for (const minor of SUPPORTED_MINORS) {
    t.strictSame(supportedKubernetesVersion(profile((p) => (p.cluster.kubernetesVersion = `${minor}.0`))), [], minor);
  }
  const oldest = SUPPORTED_MINORS[0]!.split('.').map(Number);
  const tooOld = `${oldest[0]}.${oldest[1]! - 1}.0`;
  t.strictSame(codes(supportedKubernetesVersion(profile((p) => (p.cluster.kubernetesVersion = tooOld)))), [
    'unsupported-kubernetes-version',
  ]);
  t.strictSame(codes(supportedKubernetesVersion(profile((p) => (p.cluster.kubernetesVersion = '1.99.0')))), [
    'unsupported-kubernetes-version',
  ]);
});

t.test('etcd-quorum warns for 2 and 4 control planes only', async (t) => {
  for (const [n, warn] of [[1, false], [2, true], [3, false], [4, true], [5, false]] as const) {
    const found = etcdQuorum(profile((p) => (p.nodes = nodes(n, 1))));
    t.equal(found.length, warn ? 1 : 0, `${n} control planes`);
    if (warn) t.equal(found[0]?.severity, 'warning');
  }
  t.match(etcdQuorum(profile((p) => (p.nodes = nodes(4))))[0]?.message, /tolerate 1 failure,/);
});

t.test('endpoint-required for more than one control plane without an explicit endpoint', async (t) => {
  t.strictSame(endpointRequired(profile((p) => (p.nodes = nodes(1, 3)))), []);
  t.strictSame(codes(endpointRequired(profile((p) => (p.nodes = nodes(2))))), ['endpoint-required']);
  const explicit = profile((p) => {
    p.nodes = nodes(3);
    p.cluster.controlPlaneEndpoint = 'lb:6443';
    p.cluster.controlPlaneEndpointExplicit = true;
  });
  t.strictSame(endpointRequired(explicit), []);
});

t.test('endpoint must not be a worker; should be the VIP when one is set', async (t) => {
  const onWorker = profile((p) => {
    p.nodes = nodes(1, 1);
    p.cluster.controlPlaneEndpoint = '10.10.0.100:6443';
    p.cluster.controlPlaneEndpointExplicit = true;
  });
  t.strictSame(codes(endpointAddress(onWorker)), ['endpoint-conflict']);
  const notVip = profile((p) => {
    p.cluster.controlPlaneEndpoint = '10.10.0.50:6443';
    p.cluster.controlPlaneEndpointExplicit = true;
    p.cluster.vip = { address: '10.10.0.99', interface: 'eth0', kubeVipVersion: 'v0.8.0' };
  });
  t.strictSame(codes(endpointAddress(notVip)), ['vip-endpoint-mismatch']);
  const dns = profile((p) => {
    p.cluster.controlPlaneEndpoint = 'api.example:6443';
    p.cluster.controlPlaneEndpointExplicit = true;
    p.cluster.vip = { address: '10.10.0.99', interface: 'eth0', kubeVipVersion: 'v0.8.0' };
  });
  t.strictSame(endpointAddress(dns), [], 'a DNS name may resolve to the VIP');
});

t.test('pod and service subnet sizes', async (t) => {
  const pod = (s: string) => codes(subnetSizes(profile((p) => (p.cluster.podSubnet = s))));
  const svc = (s: string) => codes(subnetSizes(profile((p) => (p.cluster.serviceSubnet = s))));
  t.strictSame(pod('10.244.0.0/24'), []);
  t.strictSame(pod('10.244.0.0/25'), ['pod-subnet-too-small']);
  t.strictSame(pod('10.0.0.0/8'), []);
  t.strictSame(pod('0.0.0.0/7'), ['pod-subnet-too-large']);
  t.strictSame(svc('10.96.0.0/12'), []);
  t.strictSame(svc('10.96.0.0/11'), ['service-subnet-too-large']);
  t.strictSame(svc('10.96.0.0/28'), []);
  t.strictSame(svc('10.96.0.0/29'), ['service-subnet-too-small']);
});

t.test('flannel needs a prefix below /24 and one /24 per node', async (t) => {
  const check = (subnet: string, n: number, plugin: 'flannel' | 'calico' = 'flannel') =>
    codes(
      flannelPodSubnet(
        profile((p) => {
          p.cluster.cni.plugin = plugin;
          p.cluster.podSubnet = subnet;
          p.nodes = nodes(1, n - 1);
        }),
      ),
    );
  t.strictSame(check('10.244.0.0/16', 3), []);
  t.strictSame(check('10.244.0.0/23', 2), [], 'two /24 for two nodes');
  t.strictSame(check('10.244.0.0/23', 3), ['flannel-pod-subnet']);
  t.strictSame(check('10.244.0.0/24', 1), ['flannel-pod-subnet'], 'a single /24 never works');
  t.strictSame(check('10.244.0.0/24', 3, 'calico'), [], 'calico has its own IPAM');
  t.strictSame(check('10.244.0.0/26', 1), [], 'left to pod-subnet-too-small');
});

t.test('flannel maxPods beyond a /24', async (t) => {
  const check = (maxPods: number) =>
    codes(flannelMaxPods(profile((p) => ((p.cluster.cni.plugin = 'flannel'), (p.kubelet.maxPods = maxPods)))));
  t.strictSame(check(253), []);
  t.strictSame(check(254), ['max-pods-exceeds-node-cidr']);
});

t.test('token and join timing', async (t) => {
  const check = (ttl: string, revoke: boolean, joinSeconds: number) =>
    codes(
      tokenAndJoinTiming(
        profile((p) => {
          p.cluster.token = { ttl, revokeWhenJoined: revoke };
          p.cluster.joinTimeoutSeconds = joinSeconds;
        }),
      ),
    );
  t.strictSame(check('24h', true, 3600), []);
  t.strictSame(check('0', true, 3600), [], 'never expires but revoked once joined');
  t.strictSame(check('0', false, 3600), ['token-never-expires']);
  t.strictSame(check('30m', true, 3600), ['join-timeout-exceeds-token-ttl']);
  t.strictSame(check('24h', true, 0), ['invalid-duration']);
  t.strictSame(check('30s', true, 10), ['token-ttl-short']);
});

t.test('each rule finding carries a YAML path, not a Profile path', async (t) => {
  const p = profile((p) => {
    p.cluster.kubeProxyMode = 'ipvs';
    p.cluster.kubernetesVersion = '1.35.0';
  });
  const paths = runRules(p).map((f) => f.path);
  t.ok(paths.includes('/cluster/kubeProxy/mode'));
  t.notOk(paths.some((x) => x.includes('kubeProxyMode')));
});

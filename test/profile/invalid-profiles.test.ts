// Every fixture under test/fixtures/profiles/invalid/ must fail with the
// expected code, JSON pointer and line, and nothing else.
import { readdirSync } from 'node:fs';
import t from 'tap';
import { loadFile, repoPath } from '../fixtures/profiles/load-fixture.js';

interface Expect {
  code: string;
  path: string;
  line: number;
  col?: number;
}

const CASES: Record<string, Expect> = {
  'yaml-syntax': { code: 'yaml-syntax', path: '', line: 6, col: 1 },
  'yaml-unclosed-bracket': { code: 'yaml-syntax', path: '', line: 7 },
  'duplicate-key': { code: 'duplicate-key', path: '/cluster/name', line: 5, col: 3 },
  'unknown-key': { code: 'unknown-key', path: '/cluster/podSubnett', line: 5, col: 3 },
  'wrong-type': { code: 'wrong-type', path: '/cluster/kubernetesVersion', line: 4, col: 22 },
  'missing-field': { code: 'missing-field', path: '/network', line: 2 },
  'invalid-value': { code: 'invalid-value', path: '/nodes/1/role', line: 12, col: 11 },
  'invalid-ip': { code: 'invalid-ip', path: '/nodes/1/ip', line: 13, col: 9 },
  'invalid-cidr': { code: 'invalid-cidr', path: '/network/cidr', line: 6, col: 9 },
  'cidr-host-bits': { code: 'invalid-cidr', path: '/network/cidr', line: 6 },
  'invalid-hostname': { code: 'invalid-hostname', path: '/nodes/1/name', line: 11, col: 11 },
  'invalid-cluster-name': { code: 'invalid-hostname', path: '/cluster/name', line: 3 },
  'invalid-duration': { code: 'invalid-duration', path: '/cluster/joinTimeout', line: 5 },
  'invalid-endpoint': { code: 'invalid-endpoint', path: '/cluster/controlPlaneEndpoint', line: 5 },
  'invalid-mac': { code: 'invalid-mac', path: '/nodes/1/mac', line: 14 },
  'no-nodes': { code: 'no-nodes', path: '/nodes', line: 7 },
  'duplicate-node-name': { code: 'duplicate-node-name', path: '/nodes/1/name', line: 11 },
  'duplicate-ip': { code: 'duplicate-ip', path: '/nodes/1/ip', line: 13 },
  'duplicate-mac': { code: 'duplicate-mac', path: '/nodes/1/mac', line: 15 },
  'ip-outside-network': { code: 'ip-outside-network', path: '/nodes/1/ip', line: 13, col: 9 },
  'ip-is-broadcast': { code: 'ip-outside-network', path: '/nodes/1/ip', line: 13 },
  'gateway-outside-network': { code: 'ip-outside-network', path: '/network/gateway', line: 7 },
  'vip-conflict': { code: 'ip-conflict', path: '/cluster/vip/address', line: 6 },
  'cidr-overlap': { code: 'cidr-overlap', path: '/cluster/podSubnet', line: 5, col: 14 },
  'service-overlap': { code: 'cidr-overlap', path: '/cluster/serviceSubnet', line: 6 },
  'pod-subnet-too-small': { code: 'pod-subnet-too-small', path: '/cluster/podSubnet', line: 5 },
  'flannel-pod-subnet': { code: 'flannel-pod-subnet', path: '/cluster/podSubnet', line: 5 },
  'flannel-too-many-nodes': { code: 'flannel-pod-subnet', path: '/cluster/podSubnet', line: 5 },
  'unsupported-kubernetes-version': { code: 'unsupported-kubernetes-version', path: '/cluster/kubernetesVersion', line: 4 },
  'no-control-plane': { code: 'no-control-plane', path: '/nodes', line: 7, col: 1 },
  // No controlPlaneEndpoint key exists, so the position is the `cluster:` line.
  'endpoint-required': { code: 'endpoint-required', path: '/cluster/controlPlaneEndpoint', line: 2, col: 1 },
  'invalid-sandbox-image': { code: 'invalid-image', path: '/runtime/containerd/sandboxImage', line: 7, col: 19 },
  'invalid-interface': { code: 'invalid-interface', path: '/network/interface', line: 7, col: 14 },
  'mutually-exclusive': { code: 'mutually-exclusive', path: '/cluster/cni/manifestFile', line: 7 },
  // Production settings (issue 12): node labels and taints, component flags, policies.
  'invalid-label': { code: 'invalid-label', path: '/nodes/0/labels/example.com~1my role', line: 12, col: 7 },
  'invalid-label-value': { code: 'invalid-label', path: '/nodeDefaults/labels/example.com~1tier', line: 9, col: 23 },
  'label-not-allowed': { code: 'label-not-allowed', path: '/nodes/1/labels/node-role.kubernetes.io~1worker', line: 15 },
  'invalid-taint': { code: 'invalid-taint', path: '/nodes/1/taints/0/effect', line: 16, col: 17 },
  'managed-flag': { code: 'managed-flag', path: '/kubeadm/apiServer/extraArgs/advertise-address', line: 10 },
  'invalid-flag': { code: 'invalid-flag', path: '/kubeadm/scheduler/extraArgs/--profiling', line: 10 },
  'invalid-bind-address': { code: 'invalid-bind-address', path: '/kubeadm/controllerManager/extraArgs/bind-address', line: 10 },
  'invalid-feature-gate': { code: 'invalid-feature-gate', path: '/kubeadm/featureGates/inPlacePodVerticalScaling', line: 9 },
  'duplicate-volume': { code: 'duplicate-volume', path: '/kubeadm/apiServer/extraVolumes/0/name', line: 10 },
  'invalid-san': { code: 'invalid-san', path: '/kubeadm/apiServer/certSANs/1', line: 9, col: 33 },
  'default-deny-kube-system': { code: 'default-deny-kube-system', path: '/security/defaultDenyNamespaces/1', line: 8 },
};

const dir = 'test/fixtures/profiles/invalid';

t.test('every invalid fixture has an expectation', async (t) => {
  const files = readdirSync(repoPath(dir))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
  t.strictSame(files, Object.keys(CASES).sort());
});

for (const [name, want] of Object.entries(CASES)) {
  t.test(name, async (t) => {
    const file = `${dir}/${name}.yaml`;
    const r = loadFile(file);
    if (r.ok) {
      t.fail('profile unexpectedly loaded');
      return;
    }
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    t.equal(errors.length, 1, 'exactly one error', { diagnostics: r.diagnostics });
    const d = errors[0]!;
    t.equal(d.code, want.code, 'code');
    t.equal(d.path, want.path, 'path');
    t.equal(d.line, want.line, 'line');
    if (want.col !== undefined) t.equal(d.col, want.col, 'col');
    t.equal(d.file, file, 'file');
    t.ok(d.message.length > 10, 'has a message');
  });
}

/**
 * Rules about the production settings: control-plane flags (kubeadm.*.extraArgs),
 * feature gates, extra volumes, node labels and taints, and the default-deny
 * network policies. Paths are the YAML's, so every finding lands on its line.
 */
import type { Profile } from '../types.js';
import { error, warning, type Finding } from './finding.js';
import { COMPONENTS, GENERATED_VOLUMES, managedFlagField } from '../../kube/control-plane-flags.js';
import { APISERVER_CONFIG_DIR, AUDIT_LOG_DIR } from '../../kube/apiserver-files.js';
import { SMOKE_NAMESPACE } from '../../kube/smoke-manifests.js';
import { escapeSegment } from '../yaml-positions.js';

const FLAG_NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Errors for extraArgs a component does not take as written (a name that is not a
 * flag name, e.g. with a leading "--") and for flags the generator or kubeadm sets
 * from another profile field, naming that field.
 */
export function componentFlags(p: Profile): Finding[] {
  const out: Finding[] = [];
  for (const component of COMPONENTS) {
    for (const flag of Object.keys(p.kubeadm[component].extraArgs)) {
      const path = `/kubeadm/${component}/extraArgs/${escapeSegment(flag)}`;
      if (!FLAG_NAME.test(flag)) {
        const bare = flag.replace(/^-+/, '');
        const hint = bare !== flag && FLAG_NAME.test(bare) ? `; write it without the leading dashes: ${bare}` : '';
        out.push(error('invalid-flag', path, `"${flag}" is not a flag name (lowercase letters, digits and "-")${hint}`));
        continue;
      }
      const field = managedFlagField(p, component, flag);
      if (field !== undefined) {
        out.push(error('managed-flag', path, `--${flag} is set by gen-userdata from ${field}; set that instead of kubeadm.${component}.extraArgs`));
      }
    }
  }
  return out;
}

/**
 * The controller manager and scheduler listen on 127.0.0.1 (kubeadm's default). The
 * guide's bind-address 0.0.0.0 is accepted with a warning (the firewall then opens
 * 10257/10259 from the node network); any other address would be one node's and
 * wrong on the others, so it is refused.
 */
export function componentBindAddress(p: Profile): Finding[] {
  const out: Finding[] = [];
  const ports = { controllerManager: 10257, scheduler: 10259 } as const;
  for (const component of ['controllerManager', 'scheduler'] as const) {
    const value = p.kubeadm[component].extraArgs['bind-address'];
    if (value === undefined || value === '127.0.0.1') continue;
    const path = `/kubeadm/${component}/extraArgs/bind-address`;
    if (value === '0.0.0.0') {
      const firewall = p.firewall.mode === 'ports' ? `; the firewall opens ${ports[component]}/tcp from ${p.network.cidr} only` : '';
      out.push(warning('component-exposed', path, `bind-address 0.0.0.0 exposes ${component}'s port ${ports[component]} (metrics, profiling, health) beyond localhost${firewall}`));
    } else {
      out.push(error('invalid-bind-address', path, `bind-address must be 127.0.0.1 (the default) or 0.0.0.0; ${value} would be one node's address, wrong on every other control plane`));
    }
  }
  return out;
}

/** Errors for feature gate names that are not Kubernetes gate names (UpperCamelCase). */
export function featureGateNames(p: Profile): Finding[] {
  return Object.keys(p.kubeadm.featureGates)
    .filter((g) => !/^[A-Z][A-Za-z0-9]*$/.test(g))
    .map((g) => error('invalid-feature-gate', `/kubeadm/featureGates/${escapeSegment(g)}`, `"${g}" is not a feature gate name such as "InPlacePodVerticalScaling" (letters and digits, starting with a capital)`));
}

/** Errors for extra API server volumes whose name or mount path collides with another, or with the generator's. */
export function extraVolumes(p: Profile): Finding[] {
  const out: Finding[] = [];
  const names = new Set<string>(Object.values(GENERATED_VOLUMES));
  const mounts = new Set<string>([APISERVER_CONFIG_DIR, AUDIT_LOG_DIR, '/etc/kubernetes/pki', '/etc/ssl/certs']);
  p.kubeadm.apiServer.extraVolumes.forEach((v, i) => {
    if (names.has(v.name)) out.push(error('duplicate-volume', `/kubeadm/apiServer/extraVolumes/${i}/name`, `volume name ${v.name} is already used by another volume of the API server`));
    if (mounts.has(v.mountPath.replace(/\/+$/, ''))) out.push(error('duplicate-volume', `/kubeadm/apiServer/extraVolumes/${i}/mountPath`, `${v.mountPath} is already mounted in the API server`));
    names.add(v.name);
    mounts.add(v.mountPath.replace(/\/+$/, ''));
  });
  return out;
}

// kubelet's --node-labels takes kubernetes.io and k8s.io labels only from this list
// or the kubelet.kubernetes.io and node.kubernetes.io namespaces (kubelet's IsKubeletLabel).
const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname', 'kubernetes.io/arch', 'kubernetes.io/os', 'beta.kubernetes.io/arch', 'beta.kubernetes.io/os',
  'beta.kubernetes.io/instance-type', 'node.kubernetes.io/instance-type', 'failure-domain.beta.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone',
]);

/** True when kubelet may register a node with this label key. */
export function kubeletMaySetLabel(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return true;
  const prefix = key.slice(0, slash);
  const reserved = (ns: string): boolean => prefix === ns || prefix.endsWith(`.${ns}`);
  if (!reserved('kubernetes.io') && !reserved('k8s.io')) return true;
  return KUBELET_LABELS.has(key) || reserved('kubelet.kubernetes.io') || reserved('node.kubernetes.io');
}

/**
 * Errors for labels kubelet refuses to register (it fails to start with them, e.g.
 * node-role.kubernetes.io/worker) and for a taint listed twice with one effect.
 */
export function nodeLabelsAndTaints(p: Profile): Finding[] {
  const out: Finding[] = [];
  const label = (path: string, key: string): void => {
    if (kubeletMaySetLabel(key)) return;
    out.push(error('label-not-allowed', path, `kubelet refuses to register a node with label ${key}: labels under kubernetes.io and k8s.io are reserved except node.kubernetes.io/…, kubelet.kubernetes.io/… and the well-known topology labels; use your own prefix, e.g. example.com/role`));
  };
  const defaults = p.nodeDefaults.labels;
  for (const key of Object.keys(defaults)) label(`/nodeDefaults/labels/${escapeSegment(key)}`, key);
  p.nodes.forEach((n, i) => {
    for (const key of Object.keys(n.labels ?? {})) if (!(key in defaults) || n.role !== 'worker') label(`/nodes/${i}/labels/${escapeSegment(key)}`, key);
  });
  const taints = (path: string, list: readonly { key: string; effect: string }[]): void => {
    const seen = new Set<string>();
    list.forEach((t, j) => {
      const id = `${t.key}:${t.effect}`;
      if (seen.has(id)) out.push(error('duplicate-taint', `${path}/${j}`, `taint ${id} is listed twice`));
      seen.add(id);
    });
  };
  taints('/nodeDefaults/taints', p.nodeDefaults.taints);
  p.nodes.forEach((n, i) => {
    const seen = new Set<string>();
    for (const t of n.taints ?? []) {
      const id = `${t.key}:${t.effect}`;
      // nodeDefaults' taints were merged in without duplicates, so a repeat is the node's own.
      if (seen.has(id)) out.push(error('duplicate-taint', `/nodes/${i}/taints`, `taint ${id} is listed twice`));
      seen.add(id);
    }
  });
  return out;
}

/**
 * Default-deny network policies: refused for kube-system (CoreDNS, the CNI and
 * metrics-server would lose their traffic); a warning with Flannel, which does not
 * enforce NetworkPolicies, and for the smoke namespace, whose checks would fail.
 */
export function defaultDenyNamespaces(p: Profile): Finding[] {
  const out: Finding[] = [];
  const list = p.security.defaultDenyNamespaces;
  list.forEach((ns, i) => {
    const path = `/security/defaultDenyNamespaces/${i}`;
    if (ns === 'kube-system') out.push(error('default-deny-kube-system', path, 'kube-system cannot be default-deny: CoreDNS, the CNI and the add-ons there would lose their traffic'));
    if (ns === SMOKE_NAMESPACE && p.verify.smokeTest) out.push(warning('default-deny-smoke', path, `${ns} holds the smoke workloads; default-deny there makes the verifier's smoke checks fail`));
  });
  if (list.length > 0 && p.cluster.cni.plugin === 'flannel') {
    out.push(warning('network-policy-not-enforced', '/security/defaultDenyNamespaces', 'Flannel does not enforce NetworkPolicies: the default-deny policies are created but block nothing; use Calico to enforce them'));
  }
  return out;
}

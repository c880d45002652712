import { KUBEADM_PATCHES_DIR } from '../kube/kubeadm-api.js';

/** Well-known paths on the node, shared by every emitter and the bootstrap script. */
export const NODE_PATHS = {
  kubeadmConfig: '/etc/kubernetes/gen-userdata/kubeadm-config.yaml',
  /** kubeadm's per-node patches (Init/JoinConfiguration patches.directory); the bootstrap writes the kubelet's. */
  kubeadmPatches: KUBEADM_PATCHES_DIR,
  hostsList: '/etc/gen-userdata/hosts',
  expectedNodes: '/etc/gen-userdata/nodes',
  modulesLoad: '/etc/modules-load.d/gen-userdata-kubernetes.conf',
  sysctl: '/etc/sysctl.d/99-gen-userdata-kubernetes.conf',
  containerdConfig: '/etc/containerd/config.toml',
  /** Flatcar's built-in containerd config, the base of ours there. */
  flatcarContainerdDefaults: '/usr/share/containerd/config.toml',
  /** images.auth on a Flatcar control plane: the credential tables the bootstrap appends to the merged config (0600). */
  containerdRegistryAuth: '/etc/containerd/registry-auth.toml',
  /** Rules Flatcar's iptables-restore.service loads at boot (firewall.mode ports on Flatcar). */
  iptablesRules: '/var/lib/iptables/rules-save',
  crictl: '/etc/crictl.yaml',
  manifestsDir: '/etc/gen-userdata/manifests',
  aptKey: '/etc/gen-userdata/kubernetes-apt-key.asc',
  log: '/var/log/gen-userdata/bootstrap.log',
  successMarker: '/var/lib/gen-userdata/bootstrap.done',
  failureMarker: '/var/lib/gen-userdata/bootstrap.failed',
  pkiDir: '/etc/kubernetes/pki',
  /** kube-vip static pod (admin.conf flavour), installed into /etc/kubernetes/manifests by a bootstrap step. */
  kubeVipStaged: '/etc/gen-userdata/kube-vip.yaml',
  /** Log of the init node's bootstrap-token revoker. */
  tokenRevokeLog: '/var/log/gen-userdata/token-revoke.log',
  /** containerd's per-registry hosts.toml root (config_path in the containerd config). */
  registryHostsDir: '/etc/containerd/certs.d',
  /** Log, success and failure markers of provision.sh, the golden-image build. */
  provisionLog: '/var/log/gen-userdata/provision.log',
  provisionDone: '/var/lib/gen-userdata/provision.done',
  provisionFailed: '/var/lib/gen-userdata/provision.failed',
  /** The cluster verifier's verdict (init node): one of these two markers, and the JSON report. */
  clusterVerified: '/var/lib/gen-userdata/cluster-verified',
  clusterVerifyFailed: '/var/lib/gen-userdata/cluster-verify.failed',
  clusterStatus: '/var/lib/gen-userdata/cluster-status.json',
  verifyLog: '/var/log/gen-userdata/verify.log',
  /** Default-deny NetworkPolicies the init node applies (security.defaultDenyNamespaces). */
  defaultDenyManifest: '/etc/gen-userdata/manifests/default-deny.yaml',
  /** The smoke workloads the verifier applies (verify.smokeTest). */
  smokeManifest: '/etc/gen-userdata/smoke-workloads.yaml',
} as const;

/** Where executables go: /usr is read-only on Flatcar, so it uses /opt/bin. */
export function binDir(target: PlanTarget): string {
  return target === 'flatcar' ? '/opt/bin' : '/usr/local/sbin';
}

/**
 * Where the shared shell library (templates/lib/common.sh) lives on the node; every
 * gen-userdata script sources it from here. Same scheme as binDir: /opt on Flatcar.
 */
export function shellLibraryPath(target: PlanTarget): string {
  return target === 'flatcar' ? '/opt/lib/gen-userdata/common.sh' : '/usr/local/lib/gen-userdata/common.sh';
}

/** The operating-system family a plan is built for. */
export type PlanTarget = 'cloud-init' | 'flatcar';

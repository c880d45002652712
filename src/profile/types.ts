/**
 * The cluster profile after YAML parsing, schema validation and defaults.
 * Every optional field of the YAML has been filled with its default here,
 * except where absence itself carries meaning (documented per field).
 */
import type { KeyAlgorithm } from '../pki/key-algorithm.js';

export type NodeRole = 'control-plane' | 'worker';
export type KubeProxyMode = 'iptables' | 'ipvs';
export type CniPlugin = 'calico' | 'flannel' | 'none';
export type FirewallMode = 'disabled' | 'ports';
/** A node's CPU architecture, as Debian and Kubernetes name it. */
export type CpuArch = 'amd64' | 'arm64';
/** nodes[].arch: a CpuArch, or "auto" (decided at boot from `uname -m`). */
export type NodeArch = CpuArch | 'auto';

export interface ProfileNode {
  /** RFC 1123 hostname; also the Kubernetes node name. */
  name: string;
  role: NodeRole;
  /** IPv4 address inside network.cidr. */
  ip: string;
  /** Optional MAC used to match the interface instead of network.interface. */
  mac?: string;
  /**
   * CPU architecture. Default "amd64"; "auto" lets the bootstrap decide from `uname -m`
   * (cloud-init only: Ignition downloads the arch-specific sysext before anything runs).
   */
  arch: NodeArch;
  /**
   * Labels the kubelet registers the node with (`node-labels`), sorted by key, with
   * nodeDefaults.labels merged in for workers. Absent: none.
   */
  labels?: Record<string, string>;
  /** Taints the node registers with, nodeDefaults.taints merged in for workers. Absent: none. */
  taints?: NodeTaint[];
  /**
   * The node's size (nodes[].capacity, else nodeDefaults.capacity for a worker): drives
   * `gen-userdata capacity` and the default kubelet reservations. Absent: unknown.
   */
  capacity?: NodeCapacity;
}

/** A node's size as Kubernetes quantities, e.g. {cpu: "4", memory: "16Gi"}. */
export interface NodeCapacity {
  cpu: string;
  memory: string;
}

/** A node taint as kubeadm's nodeRegistration.taints takes it. */
export interface NodeTaint {
  key: string;
  /** Absent for a taint without a value. */
  value?: string;
  effect: TaintEffect;
}

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

/** Values every worker gets unless the node sets its own (profile `nodeDefaults`). */
export interface NodeDefaults {
  labels: Record<string, string>;
  taints: NodeTaint[];
}

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** The secure defaults of the control plane (profile `security`). */
export interface SecuritySettings {
  /** Secrets encrypted in etcd (secretbox, key in secrets.yaml). Default true. */
  encryptionAtRest: boolean;
  /** The cluster-wide Pod Security Admission defaults. */
  podSecurity: {
    /** Default baseline. */
    enforce: PodSecurityLevel;
    /** Default restricted. */
    audit: PodSecurityLevel;
    /** Default restricted. */
    warn: PodSecurityLevel;
    /** The profile's own exemptions ([] by default); the generator adds the namespaces that must be exempt. */
    exemptNamespaces: string[];
  };
  /** kube-apiserver audit log. Default enabled, 7 days, 3 files, 100 MB each. */
  audit: { enabled: boolean; maxAge: number; maxBackup: number; maxSizeMB: number };
  /** Namespaces that get default-deny NetworkPolicies from the init node. Default []. */
  defaultDenyNamespaces: string[];
}

/** A hostPath volume of a control-plane static pod (kubeadm's HostPathMount). */
export interface HostPathMount {
  name: string;
  hostPath: string;
  mountPath: string;
  readOnly: boolean;
  /** Absent: kubeadm's default (DirectoryOrCreate). */
  pathType?: string;
}

/** Extra settings for kubeadm's control-plane components (profile `kubeadm`). */
export interface KubeadmSettings {
  apiServer: { extraArgs: Record<string, string>; extraVolumes: HostPathMount[]; certSANs: string[] };
  controllerManager: { extraArgs: Record<string, string> };
  scheduler: { extraArgs: Record<string, string> };
  etcd: { extraArgs: Record<string, string> };
  /** Kubernetes feature gates for every component (API server, controller manager, scheduler, kubelet, kube-proxy). */
  featureGates: Record<string, boolean>;
}

export interface CniSettings {
  plugin: CniPlugin;
  /** e.g. "v3.27.0" for Calico, "v0.25.1" for Flannel; "" for none. */
  version: string;
  /** Overrides the upstream manifest URL derived from plugin and version. */
  manifestUrl?: string;
  /** Local manifest embedded at generation time instead of downloading (air-gapped). Resolved by the CLI into manifest. */
  manifestFile?: string;
  /** Content of manifestFile, filled by the CLI. */
  manifest?: string;
}

export interface TokenSettings {
  /** Go duration ("24h", "90m") or "0" for never expires. Default "24h". */
  ttl: string;
  /** Default true: the init node deletes the token once all nodes joined (issue 5). */
  revokeWhenJoined: boolean;
}

export interface ClusterSettings {
  name: string;
  /** "x.y.z" without the leading v. */
  kubernetesVersion: string;
  /** "host:port". Defaults to the first control-plane IP on 6443. */
  controlPlaneEndpoint: string;
  /** True when controlPlaneEndpoint was given in the profile rather than defaulted. */
  controlPlaneEndpointExplicit: boolean;
  podSubnet: string;
  serviceSubnet: string;
  dnsDomain: string;
  kubeProxyMode: KubeProxyMode;
  cni: CniSettings;
  token: TokenSettings;
  /** Total time a joining node keeps retrying, in seconds. Default 3600. */
  joinTimeoutSeconds: number;
  /** Optional built-in VIP (kube-vip, ARP mode) on every control plane. */
  vip?: { address: string; interface: string; kubeVipVersion: string };
}

export interface RuntimeSettings {
  /** Only containerd is supported. */
  name: 'containerd';
  /** Sandbox (pause) image; undefined means "pick from the Kubernetes version". */
  sandboxImage?: string;
}

export interface PackageSettings {
  /** false: the image already has containerd, kubeadm, kubelet, kubectl; only verify versions. */
  install: boolean;
  /**
   * YAML: packages.aptRepository {url, key | keyFile}.
   * url is the base of the pkgs.k8s.io layout; the minor track is appended: <url>/v1.30/deb/.
   * Default "https://pkgs.k8s.io/core:/stable:".
   */
  aptRepository: {
    url: string;
    /** ASCII-armored key embedded at generation time (inline, or read by the CLI from keyFile). Undefined: fetch <url>/<track>/deb/Release.key at first boot. */
    key?: string;
    /** Path from the profile, resolved relative to the profile file by the CLI, which fills `key`. */
    keyFile?: string;
  };
}

export interface NetworkSettings {
  /** Node network CIDR, e.g. 192.168.56.0/24. */
  cidr: string;
  /** Default gateway; undefined when another interface (e.g. NAT via DHCP) provides the route. */
  gateway?: string;
  nameservers: string[];
  /** Interface name to configure statically; ignored for nodes that have a mac. Default "eth0". */
  interface: string;
  /** Extra interfaces that keep DHCP (e.g. VirtualBox NAT "enp0s3"). Default []. */
  dhcpInterfaces: string[];
  /** Which nodes each node's /etc/hosts block lists. Default "auto". */
  hostsEntries: HostsEntries;
}

/**
 * network.hostsEntries: "all" nodes, the "control-planes" (plus the node itself), or
 * "none"; "auto" is "all" up to 50 nodes and "control-planes" above.
 */
export type HostsEntries = 'auto' | 'all' | 'control-planes' | 'none';

export interface FirewallSettings {
  mode: FirewallMode;
}

export interface LoginUser {
  name: string;
  sshAuthorizedKeys: string[];
  /** Passwordless sudo. Default true. */
  sudo: boolean;
  /** Default "/bin/bash". */
  shell: string;
  /** Receives ~/.kube/config on the init node. Default true. */
  kubeconfig: boolean;
}

export interface AccessSettings {
  users: LoginUser[];
}

export interface KubeletSettings {
  /** e.g. {cpu: "100m", memory: "256Mi"}; {} when unset. */
  systemReserved: Record<string, string>;
  kubeReserved: Record<string, string>;
  /** Default 110. */
  maxPods: number;
  /** Default true; needed so metrics-server can verify kubelet serving certs. */
  serverTLSBootstrap: boolean;
  /**
   * kubelet refuses to start unless the kernel sysctls it checks have its values.
   * Default false; true also writes those sysctls (KUBELET_KERNEL_SYSCTLS) to the drop-in.
   */
  protectKernelDefaults: boolean;
}

/** An add-on installed by the init node after the CNI. */
export interface AddonSpec {
  enabled: boolean;
  version: string;
  manifestUrl?: string;
  manifestFile?: string;
  /** Content of manifestFile, filled by the CLI. */
  manifest?: string;
}

export interface AddonSettings {
  /** metrics-server (enables `kubectl top` and HPA). Default disabled, version v0.7.1. */
  metricsServer: AddonSpec;
  /** ingress-nginx (bare-metal manifest). Default disabled, version controller-v1.10.1. */
  ingressNginx: AddonSpec & {
    /**
     * How the controller answers from outside. "hostPort" (default): one controller pod
     * per worker binds 80/443 on the node. "nodePort": the manifest's NodePort Service.
     */
    expose: IngressExpose;
  };
}

export type IngressExpose = 'hostPort' | 'nodePort';

/** What the init node's cluster verifier checks (gen-userdata-verify.service). */
export interface VerifySettings {
  /** Deploy and check the smoke workloads. Default: true when the profile has a worker. */
  smokeTest: boolean;
  /** Keep namespace gen-userdata-smoke after a successful run. Default false. */
  keepSmokeWorkloads: boolean;
  /** Bound of each rollout or pod wait, in seconds. Default 300 (5m). */
  rolloutTimeoutSeconds: number;
}

/** Credentials for one registry (images.auth); control planes only. */
export interface RegistryAuth {
  /** Registry host as containerd names it, e.g. "registry.example.com:5000". */
  registry: string;
  username: string;
  /** Path from the profile, relative to it; the CLI reads it into `password`. */
  passwordFile: string;
  /** The password, filled by the CLI (one trailing newline removed). Never printed. */
  password?: string;
}

/** Site proxy (profile proxy); absent when neither http nor https is set. */
export interface ProxySettings {
  http?: string;
  https?: string;
  /** The final NO_PROXY list: the automatic entries (no-proxy.ts), then proxy.noProxy. */
  noProxy: string[];
}

/** Extra trusted CAs (profile trust). */
export interface TrustSettings {
  /** PEM bundle: inline, or read by the CLI from caBundleFile. */
  caBundle?: string;
  caBundleFile?: string;
}

/** Clock synchronisation (profile time). */
export interface TimeSettings {
  /** NTP servers; [] leaves the image's own NTP settings alone. */
  servers: string[];
}

export interface ImageSettings {
  /** Registry mirror root for registry.k8s.io, docker.io and quay.io images (air-gapped). */
  repository?: string;
  /** Registry credentials, sorted by registry; [] when none. */
  auth: RegistryAuth[];
  /** Node images already ran provision.sh (golden image); first boot only verifies versions. Default false. */
  prebaked: boolean;
}

export interface FlatcarSettings {
  /** systemd-sysext Kubernetes image URL; default derived from the Kubernetes version. */
  sysextUrl?: string;
  /**
   * sha256 (lowercase hex) of the sysext image per architecture, verified by Ignition.
   * A single digest in the YAML applies to the one architecture the Flatcar nodes use.
   */
  sysextSha256: Partial<Record<CpuArch, string>>;
  /** A single digest was given (it then fits one architecture only). */
  sysextSha256Single: boolean;
  /** Accept a sysext without a known digest (HTTPS only); the generator warns. Default false. */
  allowUnverifiedSysext: boolean;
}

/** Control planes: a systemd timer snapshots etcd (backup.etcd). */
export interface EtcdBackupSettings {
  /** Default true. */
  enabled: boolean;
  /** systemd OnCalendar expression. Default "daily". */
  schedule: string;
  /** Snapshots kept; older ones are deleted. Default 7. */
  keep: number;
  /** Default "/var/backups/etcd". */
  dir: string;
}

/** Control planes: kubeadm leaf-certificate renewal (certificates). */
export interface CertificateSettings {
  /** A daily timer renews the certificates when one expires within renewBefore. Default true. */
  autoRenew: boolean;
  /** Go duration. Default "720h" (30 days). */
  renewBefore: string;
  /** renewBefore in whole seconds. */
  renewBeforeSeconds: number;
}

/** How a new cluster's keys are made (profile `pki`). */
export interface PkiSettings {
  /** Algorithm of the CAs, the service-account key and the admin key of a new cluster; default ecdsa-p256. */
  keyAlgorithm: KeyAlgorithm;
  /**
   * True when the profile sets keyAlgorithm. Only then may it disagree with an
   * existing secrets bundle (a diagnostic); a default never overrides the file.
   */
  keyAlgorithmExplicit: boolean;
}

export interface Profile {
  cluster: ClusterSettings;
  runtime: RuntimeSettings;
  packages: PackageSettings;
  network: NetworkSettings;
  firewall: FirewallSettings;
  pki: PkiSettings;
  access: AccessSettings;
  kubelet: KubeletSettings;
  addons: AddonSettings;
  verify: VerifySettings;
  /** YAML: images.repository (air-gap mirror) and image.prebaked are folded here. */
  images: ImageSettings;
  flatcar: FlatcarSettings;
  proxy?: ProxySettings;
  trust: TrustSettings;
  time: TimeSettings;
  security: SecuritySettings;
  kubeadm: KubeadmSettings;
  nodeDefaults: NodeDefaults;
  backup: { etcd: EtcdBackupSettings };
  certificates: CertificateSettings;
  nodes: ProfileNode[];
}

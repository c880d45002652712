/**
 * The profile as written in YAML, after schema validation and before
 * defaults. Field names follow the YAML; `null` is an empty YAML value, which
 * the schema allows for optional sections and lists and defaults treat as absent.
 */

import type { KeyAlgorithm } from '../pki/key-algorithm.js';
import type { HostsEntries, NodeArch } from './types.js';

type Opt<T> = T | null | undefined;

export interface RawAddon {
  enabled?: boolean;
  version?: string;
  manifestUrl?: string;
  manifestFile?: string;
}

export type RawArgs = Opt<Record<string, string | number | boolean>>;
export type RawLabels = Opt<Record<string, string>>;
export type RawTaints = Opt<{ key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[]>;
type RawLevel = 'privileged' | 'baseline' | 'restricted';
export type RawCapacity = Opt<{ cpu: string | number; memory: string | number }>;

export type RawReserved = Opt<Record<string, string | number>>;

export interface RawProfile {
  cluster: {
    name: string;
    kubernetesVersion: string;
    controlPlaneEndpoint?: string;
    podSubnet?: string;
    serviceSubnet?: string;
    dnsDomain?: string;
    kubeProxy?: Opt<{ mode?: 'iptables' | 'ipvs' }>;
    cni?: Opt<{ plugin?: 'calico' | 'flannel' | 'none'; version?: string; manifestUrl?: string; manifestFile?: string }>;
    token?: Opt<{ ttl?: string | number; revokeWhenJoined?: boolean }>;
    joinTimeout?: string;
    vip?: Opt<{ address: string; interface?: string; kubeVipVersion?: string }>;
  };
  runtime?: Opt<{ containerd?: Opt<{ sandboxImage?: string }> }>;
  packages?: Opt<{ install?: boolean; aptRepository?: Opt<{ url?: string; key?: string; keyFile?: string }> }>;
  network: {
    cidr: string;
    gateway?: string;
    nameservers?: Opt<string[]>;
    interface?: string;
    dhcpInterfaces?: Opt<string[]>;
    hostsEntries?: HostsEntries;
  };
  firewall?: Opt<{ mode?: 'disabled' | 'ports' }>;
  pki?: Opt<{ keyAlgorithm?: KeyAlgorithm }>;
  access?: Opt<{
    users?: Opt<
      {
        name: string;
        sshAuthorizedKeys?: Opt<string[]>;
        sudo?: boolean;
        shell?: string;
        kubeconfig?: boolean;
      }[]
    >;
  }>;
  kubelet?: Opt<{
    systemReserved?: RawReserved;
    kubeReserved?: RawReserved;
    maxPods?: number;
    serverTLSBootstrap?: boolean;
    protectKernelDefaults?: boolean;
  }>;
  addons?: Opt<{ metricsServer?: Opt<RawAddon>; ingressNginx?: Opt<RawAddon & { expose?: 'hostPort' | 'nodePort' }> }>;
  verify?: Opt<{ smokeTest?: boolean; keepSmokeWorkloads?: boolean; rolloutTimeout?: string }>;
  images?: Opt<{ repository?: string; auth?: Opt<Record<string, { username: string; passwordFile: string }>> }>;
  proxy?: Opt<{ http?: string; https?: string; noProxy?: Opt<string[]> }>;
  trust?: Opt<{ caBundle?: string; caBundleFile?: string }>;
  time?: Opt<{ servers?: Opt<string[]> }>;
  image?: Opt<{ prebaked?: boolean }>;
  flatcar?: Opt<{ sysextUrl?: string; sysextSha256?: string | Partial<Record<'amd64' | 'arm64', string>>; allowUnverifiedSysext?: boolean }>;
  security?: Opt<{
    encryptionAtRest?: boolean;
    podSecurity?: Opt<{ enforce?: RawLevel; audit?: RawLevel; warn?: RawLevel; exemptNamespaces?: Opt<string[]> }>;
    audit?: Opt<{ enabled?: boolean; maxAge?: number; maxBackup?: number; maxSizeMB?: number }>;
    defaultDenyNamespaces?: Opt<string[]>;
  }>;
  kubeadm?: Opt<{
    apiServer?: Opt<{
      extraArgs?: RawArgs;
      extraVolumes?: Opt<{ name: string; hostPath: string; mountPath: string; readOnly?: boolean; pathType?: string }[]>;
      certSANs?: Opt<string[]>;
    }>;
    controllerManager?: Opt<{ extraArgs?: RawArgs }>;
    scheduler?: Opt<{ extraArgs?: RawArgs }>;
    etcd?: Opt<{ extraArgs?: RawArgs }>;
    featureGates?: Opt<Record<string, boolean>>;
  }>;
  nodeDefaults?: Opt<{ labels?: RawLabels; taints?: RawTaints; capacity?: RawCapacity }>;
  backup?: Opt<{ etcd?: Opt<{ enabled?: boolean; schedule?: string; keep?: number; dir?: string }> }>;
  certificates?: Opt<{ autoRenew?: boolean; renewBefore?: string }>;
  nodes: { name: string; role: 'control-plane' | 'worker'; ip: string; mac?: string; arch?: NodeArch; labels?: RawLabels; taints?: RawTaints; capacity?: RawCapacity }[];
}

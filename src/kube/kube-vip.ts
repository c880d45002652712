/**
 * The kube-vip static pod that holds the control-plane VIP (cluster.vip) in ARP
 * mode. Shaped like the manifest `kube-vip manifest pod --arp --controlplane
 * --leaderElection` writes, with Service load balancing left off: the VIP is for
 * the API server only.
 *
 * kubeadm ≥ 1.29 and the first control plane: `kubeadm init` writes admin.conf for
 * the group kubeadm:cluster-admins, whose ClusterRoleBinding it creates only near
 * the end of init. kube-vip needs the API (for its leader-election lease) before
 * that, and the VIP must be up for init to finish, so on the init node kube-vip
 * mounts super-admin.conf (group system:masters, written only on that node) until
 * init has finished, and is then switched to admin.conf (kube-vip/kube-vip#684).
 * Joining control planes only ever use admin.conf: it is already bound by then.
 */
import type { ClusterSettings } from '../profile/types.js';
import { requireVersionInfo, parseKubeVersion } from './versions.js';
import { toYamlDocuments } from './yaml-documents.js';

/** Upstream image (without tag). */
export const KUBE_VIP_IMAGE = 'ghcr.io/kube-vip/kube-vip';
/** Where kubelet picks up static pods; kube-vip.yaml must live here to run. */
export const KUBE_VIP_MANIFEST_PATH = '/etc/kubernetes/manifests/kube-vip.yaml';
/** kubeadm's admin kubeconfig on a control plane. */
export const ADMIN_CONF = '/etc/kubernetes/admin.conf';
/** kubeadm's break-glass kubeconfig (1.29+), written on the init node only. */
export const SUPER_ADMIN_CONF = '/etc/kubernetes/super-admin.conf';
/** Name of the leader-election Lease in kube-system (kube-vip's default). */
export const KUBE_VIP_LEASE = 'plndr-cp-lock';

/** The settings the manifest is built from. */
export interface KubeVipInput {
  vip: NonNullable<ClusterSettings['vip']>;
  /** API server port behind the VIP (the controlPlaneEndpoint's port). */
  port: number;
  /** Air-gap mirror root (images.repository); replaces ghcr.io like it replaces registry.k8s.io elsewhere. */
  imageRepository?: string;
  /** Host kubeconfig kube-vip reads: ADMIN_CONF or SUPER_ADMIN_CONF. */
  kubeconfig: typeof ADMIN_CONF | typeof SUPER_ADMIN_CONF;
}

/**
 * True when kubeadm of this version writes super-admin.conf and creates admin.conf
 * for kubeadm:cluster-admins (1.29 and later). Throws on an unsupported version.
 */
export function kubeadmHasSuperAdminConf(kubernetesVersion: string): boolean {
  requireVersionInfo(kubernetesVersion);
  const v = parseKubeVersion(kubernetesVersion);
  return v !== undefined && (v.major > 1 || v.minor >= 29);
}

/**
 * Which host kubeconfig kube-vip must mount on a node when it first starts:
 * super-admin.conf on the init node with kubeadm ≥ 1.29, admin.conf otherwise.
 * Throws on an unsupported version.
 */
export function initialKubeVipKubeconfig(kubernetesVersion: string, init: boolean): KubeVipInput['kubeconfig'] {
  return init && kubeadmHasSuperAdminConf(kubernetesVersion) ? SUPER_ADMIN_CONF : ADMIN_CONF;
}

/** "ghcr.io/kube-vip/kube-vip:<version>", or "<mirror>/kube-vip/kube-vip:<version>". */
export function kubeVipImage(version: string, imageRepository?: string): string {
  const mirror = (imageRepository ?? '').replace(/\/+$/, '');
  const repo = mirror ? `${mirror}/kube-vip/kube-vip` : KUBE_VIP_IMAGE;
  return `${repo}:${version}`;
}

/**
 * The kube-vip Pod object: ARP, control plane only, leader election through the
 * kube-system Lease, host network, NET_ADMIN/NET_RAW, and the chosen host
 * kubeconfig mounted read-only at /etc/kubernetes/admin.conf (where kube-vip reads
 * it). `type: File` keeps kubelet from creating a directory in place of a
 * kubeconfig that kubeadm has not written yet; kubelet retries until it exists.
 * Never throws.
 */
export function kubeVipPod(input: KubeVipInput): Record<string, unknown> {
  const env: Record<string, unknown>[] = [
    { name: 'vip_arp', value: 'true' },
    { name: 'port', value: String(input.port) },
    { name: 'vip_nodename', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    { name: 'vip_interface', value: input.vip.interface },
    { name: 'cp_enable', value: 'true' },
    { name: 'cp_namespace', value: 'kube-system' },
    { name: 'svc_enable', value: 'false' },
    { name: 'vip_leaderelection', value: 'true' },
    { name: 'vip_leasename', value: KUBE_VIP_LEASE },
    // kube-vip's generated defaults: fail over within a few seconds.
    { name: 'vip_leaseduration', value: '5' },
    { name: 'vip_renewdeadline', value: '3' },
    { name: 'vip_retryperiod', value: '1' },
    { name: 'address', value: input.vip.address },
  ];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'kube-vip', namespace: 'kube-system' },
    spec: {
      containers: [
        {
          name: 'kube-vip',
          image: kubeVipImage(input.vip.kubeVipVersion, input.imageRepository),
          imagePullPolicy: 'IfNotPresent',
          args: ['manager'],
          env,
          securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
          volumeMounts: [{ name: 'kubeconfig', mountPath: ADMIN_CONF, readOnly: true }],
        },
      ],
      // kube-vip reaches the local API server as "kubernetes" while the VIP is not up yet.
      hostAliases: [{ ip: '127.0.0.1', hostnames: ['kubernetes'] }],
      hostNetwork: true,
      volumes: [{ name: 'kubeconfig', hostPath: { path: input.kubeconfig, type: 'File' } }],
    },
  };
}

/** The static pod manifest file content (YAML, byte-stable). Never throws. */
export function kubeVipManifest(input: KubeVipInput): string {
  return toYamlDocuments([kubeVipPod(input)]);
}

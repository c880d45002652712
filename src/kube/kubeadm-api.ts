/**
 * The parts of the kubeadm configuration API that differ between v1beta3 and v1beta4,
 * and the values every kubeadm object shares. Field names follow kubeadm's
 * cmd/kubeadm/app/apis/kubeadm/{v1beta3,v1beta4}/types.go.
 */
import type { ProfileNode } from '../profile/types.js';
import type { KubeVersionInfo } from './versions.js';

/** kubeadm config API group/version, e.g. "kubeadm.k8s.io/v1beta4". */
export type KubeadmApiVersion = KubeVersionInfo['kubeadmApiVersion'];

/** containerd's CRI socket; the URL form avoids kubeadm's deprecation warning for bare paths. */
export const CRI_SOCKET = 'unix:///var/run/containerd/containerd.sock';

/**
 * How long a joining node waits for discovery (fetching and verifying cluster-info)
 * per attempt. The bootstrap script retries the join around this, so one attempt
 * need not outlast a slow first control plane.
 */
export const DISCOVERY_TIMEOUT = '5m0s';

/**
 * How long kubeadm waits for the API server (and, in v1beta4, each control-plane
 * component) to become healthy. kubeadm's default is 4m; first boots on small VMs
 * are slower.
 */
export const CONTROL_PLANE_HEALTH_TIMEOUT = '5m0s';

/** kubeadm's v1beta4 form of one command-line argument. */
export interface KubeadmArg {
  name: string;
  value: string;
}

/** True for kubeadm.k8s.io/v1beta4, which uses argument lists and a `timeouts` block. */
export function isV1beta4(api: KubeadmApiVersion): boolean {
  return api === 'kubeadm.k8s.io/v1beta4';
}

/**
 * extraArgs / kubeletExtraArgs in the shape the API version wants, sorted by name:
 * a map in v1beta3, a list of {name, value} in v1beta4.
 */
export function extraArgs(api: KubeadmApiVersion, args: Readonly<Record<string, string>>): Record<string, string> | KubeadmArg[] {
  const names = Object.keys(args).sort();
  if (isV1beta4(api)) return names.map((name) => ({ name, value: args[name] as string }));
  const map: Record<string, string> = {};
  for (const name of names) map[name] = args[name] as string;
  return map;
}

/** The taint kubeadm gives a control plane when nodeRegistration.taints is unset. */
export const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' } as const;

/**
 * Directory of kubeadm's per-node patches, named in Init/JoinConfiguration
 * `patches.directory` (same field in v1beta3 and v1beta4). kubeadm init and join
 * apply a `kubeletconfiguration` patch to this node's kubelet config only, never
 * to the cluster-wide ConfigMap: how a node-specific kubelet setting (resolvConf)
 * gets there. The bootstrap creates the directory; kubeadm fails without it.
 */
export const KUBEADM_PATCHES_DIR = '/etc/kubernetes/gen-userdata/patches';

/**
 * nodeRegistration for init and join: the node name, containerd's socket, and
 * node-ip so the kubelet registers the profile's address (on VirtualBox it would
 * otherwise pick the NAT address 10.0.2.15); the node's labels as kubelet's
 * node-labels, and its taints. kubeadm taints a control plane only while `taints`
 * is unset, so a control plane with taints of its own keeps that one explicitly.
 */
export function nodeRegistration(api: KubeadmApiVersion, node: ProfileNode): Record<string, unknown> {
  const args: Record<string, string> = { 'node-ip': node.ip };
  const labels = Object.entries(node.labels ?? {});
  if (labels.length > 0) args['node-labels'] = labels.map(([k, v]) => `${k}=${v}`).join(',');
  const reg: Record<string, unknown> = { name: node.name, criSocket: CRI_SOCKET, kubeletExtraArgs: extraArgs(api, args) };
  if (node.taints !== undefined && node.taints.length > 0) {
    const own = node.taints.map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect }));
    const keep = node.role === 'control-plane' && !own.some((t) => t.key === CONTROL_PLANE_TAINT.key && t.effect === CONTROL_PLANE_TAINT.effect);
    reg.taints = keep ? [{ ...CONTROL_PLANE_TAINT }, ...own] : own;
  }
  return reg;
}

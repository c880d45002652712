import type { KubeProxyMode } from '../profile/types.js';

/** API group/version of KubeProxyConfiguration (unchanged across the supported minors). */
export const KUBE_PROXY_CONFIG_API_VERSION = 'kubeproxy.config.k8s.io/v1alpha1';

/**
 * The KubeProxyConfiguration kubeadm init uploads: the proxy mode and, for ipvs,
 * strictARP. In ipvs mode every service IP sits on the kube-ipvs0 dummy interface,
 * and without strict ARP each node answers ARP for all of them; kube-vip and
 * MetalLB in ARP (layer 2) mode need strictARP to announce addresses correctly,
 * and a cluster without them loses nothing. kube-proxy derives clusterCIDR from
 * the ClusterConfiguration, so it is not repeated here. The profile's feature gates
 * (kubeadm.featureGates) apply to kube-proxy too.
 */
export function buildKubeProxyConfiguration(mode: KubeProxyMode, featureGates: Readonly<Record<string, boolean>> = {}): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    apiVersion: KUBE_PROXY_CONFIG_API_VERSION,
    kind: 'KubeProxyConfiguration',
    mode,
  };
  if (mode === 'ipvs') doc.ipvs = { strictARP: true };
  if (Object.keys(featureGates).length > 0) doc.featureGates = { ...featureGates };
  return doc;
}

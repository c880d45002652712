import type { KubeletSettings } from '../profile/types.js';

/** API group/version of KubeletConfiguration (unchanged across the supported minors). */
export const KUBELET_CONFIG_API_VERSION = 'kubelet.config.k8s.io/v1beta1';

/**
 * The cluster-wide KubeletConfiguration kubeadm init uploads (joining nodes read it
 * from the kubelet-config ConfigMap): the systemd cgroup driver to match containerd,
 * maxPods, serverTLSBootstrap, and reservations when the profile sets any.
 */
export function buildKubeletConfiguration(kubelet: KubeletSettings): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    apiVersion: KUBELET_CONFIG_API_VERSION,
    kind: 'KubeletConfiguration',
    cgroupDriver: 'systemd',
    maxPods: kubelet.maxPods,
    // Serving certificates signed by the cluster CA (after CSR approval) let
    // metrics-server verify kubelets without --kubelet-insecure-tls.
    serverTLSBootstrap: kubelet.serverTLSBootstrap,
  };
  if (Object.keys(kubelet.systemReserved).length > 0) doc.systemReserved = sortedRecord(kubelet.systemReserved);
  if (Object.keys(kubelet.kubeReserved).length > 0) doc.kubeReserved = sortedRecord(kubelet.kubeReserved);
  return doc;
}

function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k] as string;
  return out;
}

import type { KubeletSettings } from '../profile/types.js';

/** API group/version of KubeletConfiguration (unchanged across the supported minors). */
export const KUBELET_CONFIG_API_VERSION = 'kubelet.config.k8s.io/v1beta1';

/**
 * The sysctls kubelet's protectKernelDefaults checks (kubelet's
 * pkg/kubelet/cm/container_manager_linux.go setupKernelTunables): with the flag on,
 * kubelet refuses to start unless each has this value, so the generator writes them
 * to the sysctl drop-in whenever it turns the flag on.
 */
export const KUBELET_KERNEL_SYSCTLS: readonly (readonly [string, string])[] = [
  ['kernel.keys.root_maxbytes', '25000000'],
  ['kernel.keys.root_maxkeys', '1000000'],
  ['kernel.panic', '10'],
  ['kernel.panic_on_oops', '1'],
  ['vm.overcommit_memory', '1'],
  ['vm.panic_on_oom', '0'],
];

/**
 * The cluster-wide KubeletConfiguration kubeadm init uploads (joining nodes read it
 * from the kubelet-config ConfigMap): the systemd cgroup driver to match containerd,
 * maxPods, serverTLSBootstrap, the hardening (read-only port 0, client certificate
 * rotation, protectKernelDefaults when the profile asks), reservations when the
 * profile sets any, and the profile's feature gates.
 */
export function buildKubeletConfiguration(kubelet: KubeletSettings, featureGates: Readonly<Record<string, boolean>> = {}): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    apiVersion: KUBELET_CONFIG_API_VERSION,
    kind: 'KubeletConfiguration',
    cgroupDriver: 'systemd',
    maxPods: kubelet.maxPods,
    // Serving certificates signed by the cluster CA (after CSR approval) let
    // metrics-server verify kubelets without --kubelet-insecure-tls.
    serverTLSBootstrap: kubelet.serverTLSBootstrap,
    // kubelet's defaults today, written out: the unauthenticated port stays closed and
    // the client certificate renews itself, whatever a future default says.
    readOnlyPort: 0,
    rotateCertificates: true,
  };
  if (kubelet.protectKernelDefaults) doc.protectKernelDefaults = true;
  if (Object.keys(kubelet.systemReserved).length > 0) doc.systemReserved = sortedRecord(kubelet.systemReserved);
  if (Object.keys(kubelet.kubeReserved).length > 0) doc.kubeReserved = sortedRecord(kubelet.kubeReserved);
  if (Object.keys(featureGates).length > 0) doc.featureGates = { ...featureGates };
  return doc;
}

function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k] as string;
  return out;
}

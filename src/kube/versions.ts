/**
 * Per-minor facts about Kubernetes/kubeadm releases that the generator depends on.
 * Source: kubeadm's cmd/kubeadm/app/constants (PauseVersion) and API docs.
 */
export interface KubeVersionInfo {
  /** "1.30" */
  minor: string;
  /** kubeadm config API group/version to emit. */
  kubeadmApiVersion: 'kubeadm.k8s.io/v1beta3' | 'kubeadm.k8s.io/v1beta4';
  /** Tag of registry.k8s.io/pause that kubeadm expects. */
  pauseVersion: string;
}

const TABLE: readonly KubeVersionInfo[] = [
  { minor: '1.27', kubeadmApiVersion: 'kubeadm.k8s.io/v1beta3', pauseVersion: '3.9' },
  { minor: '1.28', kubeadmApiVersion: 'kubeadm.k8s.io/v1beta3', pauseVersion: '3.9' },
  { minor: '1.29', kubeadmApiVersion: 'kubeadm.k8s.io/v1beta3', pauseVersion: '3.9' },
  { minor: '1.30', kubeadmApiVersion: 'kubeadm.k8s.io/v1beta3', pauseVersion: '3.9' },
  { minor: '1.31', kubeadmApiVersion: 'kubeadm.k8s.io/v1beta4', pauseVersion: '3.10' },
  { minor: '1.32', kubeadmApiVersion: 'kubeadm.k8s.io/v1beta4', pauseVersion: '3.10' },
];

/** Minors the generator supports, oldest first, e.g. ["1.27", …]. */
export const SUPPORTED_MINORS: readonly string[] = TABLE.map((v) => v.minor);

/** Returns the table row for an "x.y.z" version, or undefined when unsupported. */
export function versionInfo(version: string): KubeVersionInfo | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m) return undefined;
  return TABLE.find((v) => v.minor === `${m[1]}.${m[2]}`);
}

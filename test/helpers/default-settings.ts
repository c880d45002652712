// The production defaults (issue 12) as docs/profile-reference.md states them, written
// out once for the tests that spell out a whole Profile or the flags kubeadm gets.
import type { KubeadmSettings, SecuritySettings } from '../../src/profile/types.js';

/** security: encryption at rest, Pod Security baseline/restricted, audit log, no default-deny namespaces. */
export const DEFAULT_SECURITY: SecuritySettings = {
  encryptionAtRest: true,
  podSecurity: { enforce: 'baseline', audit: 'restricted', warn: 'restricted', exemptNamespaces: [] },
  audit: { enabled: true, maxAge: 7, maxBackup: 3, maxSizeMB: 100 },
  defaultDenyNamespaces: [],
};

/** kubeadm: no extra flags, volumes, SANs or feature gates. */
export const DEFAULT_KUBEADM: KubeadmSettings = {
  apiServer: { extraArgs: {}, extraVolumes: [], certSANs: [] },
  controllerManager: { extraArgs: {} },
  scheduler: { extraArgs: {} },
  etcd: { extraArgs: {} },
  featureGates: {},
};

/** The kube-apiserver flags the generator sets itself with DEFAULT_SECURITY. */
export const MANAGED_APISERVER_ARGS: Readonly<Record<string, string>> = {
  'admission-control-config-file': '/etc/kubernetes/apiserver/admission.yaml',
  'audit-log-maxage': '7',
  'audit-log-maxbackup': '3',
  'audit-log-maxsize': '100',
  'audit-log-path': '/var/log/kubernetes/audit/audit.log',
  'audit-policy-file': '/etc/kubernetes/apiserver/audit-policy.yaml',
  'encryption-provider-config': '/etc/kubernetes/apiserver/encryption-config.yaml',
};

/**
 * The command-line flags of the control-plane components (kubeadm's extraArgs):
 * those the generator sets for the secure defaults and feature gates, the profile's
 * own (`kubeadm.<component>.extraArgs`), and which flags a profile may not set
 * because the generator or kubeadm derives them from another profile field.
 */
import type { HostPathMount, Profile } from '../profile/types.js';
import { APISERVER_CONFIG_DIR, APISERVER_FILES, AUDIT_LOG_DIR } from './apiserver-files.js';

/** The control-plane components whose flags the profile can extend. */
export const COMPONENTS = ['apiServer', 'controllerManager', 'scheduler', 'etcd'] as const;
export type Component = (typeof COMPONENTS)[number];

/** A flag the generator or kubeadm sets, and the profile field that decides its value. */
interface ManagedFlag {
  flag: string;
  field: string;
  /** Only managed when this holds (e.g. the encryption flag only with encryptionAtRest). */
  when?: (p: Profile) => boolean;
}

const gates = (p: Profile): boolean => Object.keys(p.kubeadm.featureGates).length > 0;
const encryption = (p: Profile): boolean => p.security.encryptionAtRest;
const audit = (p: Profile): boolean => p.security.audit.enabled;
const AUDIT_FLAGS = ['audit-policy-file', 'audit-log-path', 'audit-log-maxage', 'audit-log-maxbackup', 'audit-log-maxsize'];
const FEATURE_GATES: ManagedFlag = { flag: 'feature-gates', field: 'kubeadm.featureGates' };

const MANAGED: Record<Component, readonly ManagedFlag[]> = {
  apiServer: [
    { flag: 'advertise-address', field: 'nodes[].ip' },
    { flag: 'secure-port', field: 'cluster.controlPlaneEndpoint (its port)' },
    { flag: 'service-cluster-ip-range', field: 'cluster.serviceSubnet' },
    { flag: 'etcd-servers', field: 'the control-plane nodes (stacked etcd)' },
    { flag: 'encryption-provider-config', field: 'security.encryptionAtRest', when: encryption },
    { flag: 'admission-control-config-file', field: 'security.podSecurity' },
    ...AUDIT_FLAGS.map((flag) => ({ flag, field: 'security.audit', when: audit })),
    FEATURE_GATES,
  ],
  controllerManager: [
    { flag: 'cluster-cidr', field: 'cluster.podSubnet' },
    { flag: 'allocate-node-cidrs', field: 'cluster.podSubnet' },
    { flag: 'service-cluster-ip-range', field: 'cluster.serviceSubnet' },
    { flag: 'cluster-name', field: 'cluster.name' },
    FEATURE_GATES,
  ],
  scheduler: [FEATURE_GATES],
  etcd: [
    ...['name', 'advertise-client-urls', 'initial-advertise-peer-urls', 'listen-client-urls', 'listen-peer-urls', 'initial-cluster', 'initial-cluster-state'].map(
      (flag) => ({ flag, field: 'nodes[] (kubeadm derives it from the node)' }),
    ),
  ],
};

/** The profile field to use instead of `flag` on `component`, or undefined when the profile may set the flag. */
export function managedFlagField(profile: Profile, component: Component, flag: string): string | undefined {
  const m = MANAGED[component].find((f) => f.flag === flag && (f.when === undefined || f.when(profile)));
  return m?.field;
}

/** "A=true,B=false" for --feature-gates, sorted by gate name. */
export function featureGatesFlag(gates: Readonly<Record<string, boolean>>): string {
  return Object.keys(gates)
    .sort()
    .map((g) => `${g}=${gates[g]}`)
    .join(',');
}

/**
 * A component's flags: the generator's (encryption, Pod Security admission and audit
 * for the API server; feature gates for the API server, controller manager and
 * scheduler), then the profile's extraArgs (the rules refused any that collide).
 */
export function componentFlags(profile: Profile, component: Component): Record<string, string> {
  const own: Record<string, string> = {};
  const s = profile.security;
  if (component === 'apiServer') {
    if (s.encryptionAtRest) own['encryption-provider-config'] = APISERVER_FILES.encryption;
    own['admission-control-config-file'] = APISERVER_FILES.admission;
    if (s.audit.enabled) {
      own['audit-policy-file'] = APISERVER_FILES.auditPolicy;
      own['audit-log-path'] = APISERVER_FILES.auditLog;
      own['audit-log-maxage'] = String(s.audit.maxAge);
      own['audit-log-maxbackup'] = String(s.audit.maxBackup);
      own['audit-log-maxsize'] = String(s.audit.maxSizeMB);
    }
  }
  if (component !== 'etcd' && gates(profile)) own['feature-gates'] = featureGatesFlag(profile.kubeadm.featureGates);
  return { ...own, ...profile.kubeadm[component].extraArgs };
}

/** kubeadm's HostPathMount as written: readOnly only when true. */
export type KubeadmHostPathMount = Omit<HostPathMount, 'readOnly'> & { readOnly?: true };

/** Names of the API server volumes the generator adds; a profile's extraVolumes may not reuse them. */
export const GENERATED_VOLUMES = { config: 'gen-userdata-apiserver', auditLog: 'audit-log' } as const;

/**
 * The API server's extra hostPath volumes: the configuration directory (read-only)
 * and, with audit logging, the log directory, then the profile's own.
 */
export function apiServerVolumes(profile: Profile): KubeadmHostPathMount[] {
  const out: KubeadmHostPathMount[] = [
    { name: GENERATED_VOLUMES.config, hostPath: APISERVER_CONFIG_DIR, mountPath: APISERVER_CONFIG_DIR, readOnly: true, pathType: 'DirectoryOrCreate' },
  ];
  if (profile.security.audit.enabled) {
    out.push({ name: GENERATED_VOLUMES.auditLog, hostPath: AUDIT_LOG_DIR, mountPath: AUDIT_LOG_DIR, pathType: 'DirectoryOrCreate' });
  }
  // readOnly: false is kubeadm's default and left out.
  return [...out, ...profile.kubeadm.apiServer.extraVolumes.map(({ readOnly, ...v }) => (readOnly ? { ...v, readOnly } : v))];
}

/** True when the profile binds the controller manager or scheduler to every address (bind-address 0.0.0.0), not kubeadm's 127.0.0.1. */
export function exposedBindAddress(profile: Profile, component: 'controllerManager' | 'scheduler'): boolean {
  return profile.kubeadm[component].extraArgs['bind-address'] === '0.0.0.0';
}

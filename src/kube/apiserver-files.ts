/**
 * The kube-apiserver configuration files behind the secure defaults (profile
 * `security`): the EncryptionConfiguration for Secrets, the AdmissionConfiguration
 * with the Pod Security defaults, and the audit policy. They live on every control
 * plane in one directory that the API server's static pod mounts read-only.
 */
import type { Profile } from '../profile/types.js';
import type { EncryptionKey } from '../pki/types.js';
import { SMOKE_NAMESPACE } from './smoke-manifests.js';
import { toYamlDocuments } from './yaml-documents.js';

/** Host directory (and mount path) of the API server's configuration files. */
export const APISERVER_CONFIG_DIR = '/etc/kubernetes/apiserver';
/** Host directory (and mount path) of the audit log. */
export const AUDIT_LOG_DIR = '/var/log/kubernetes/audit';

/** Paths of the files on a control plane. */
export const APISERVER_FILES = {
  encryption: `${APISERVER_CONFIG_DIR}/encryption-config.yaml`,
  admission: `${APISERVER_CONFIG_DIR}/admission.yaml`,
  auditPolicy: `${APISERVER_CONFIG_DIR}/audit-policy.yaml`,
  auditLog: `${AUDIT_LOG_DIR}/audit.log`,
} as const;

/**
 * The EncryptionConfiguration: Secrets encrypted with secretbox (XSalsa20-Poly1305)
 * under every key, the first one for writing, the others still read (a rotation
 * in progress); `identity` last, so Secrets written before encryption was enabled
 * stay readable until they are rewritten. Throws (a bug) without keys.
 */
export function encryptionConfiguration(keys: readonly EncryptionKey[]): string {
  if (keys.length === 0) throw new Error('bug: encryption at rest without an encryption key');
  return toYamlDocuments([
    {
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'EncryptionConfiguration',
      resources: [
        {
          resources: ['secrets'],
          providers: [{ secretbox: { keys: keys.map((k) => ({ name: k.name, secret: k.secret })) } }, { identity: {} }],
        },
      ],
    },
  ]);
}

/** A namespace the Pod Security defaults must not apply to, and why. */
export interface PodSecurityExemption {
  namespace: string;
  why: string;
}

/**
 * The namespaces exempt from the cluster's Pod Security defaults: kube-system (the
 * static control-plane pods, kube-proxy, calico-node and kube-vip need host access),
 * kube-flannel with Flannel (privileged, host network), ingress-nginx when its pods
 * bind host ports or the enforced level is restricted (it adds NET_BIND_SERVICE and
 * allows privilege escalation), the smoke namespace when restricted is enforced
 * (stock nginx runs as root), then the profile's own, sorted, without duplicates.
 */
export function podSecurityExemptions(profile: Profile): PodSecurityExemption[] {
  const ps = profile.security.podSecurity;
  const restricted = ps.enforce === 'restricted';
  const ingress = profile.addons.ingressNginx;
  const out: PodSecurityExemption[] = [
    { namespace: 'kube-system', why: 'control-plane static pods, kube-proxy, the CNI and kube-vip use the host network and privileges' },
  ];
  if (profile.cluster.cni.plugin === 'flannel') out.push({ namespace: 'kube-flannel', why: 'flanneld is privileged on the host network' });
  if (ingress.enabled && (ingress.expose === 'hostPort' || restricted)) {
    out.push({ namespace: 'ingress-nginx', why: ingress.expose === 'hostPort' ? 'the controller binds host ports 80 and 443' : 'the controller adds NET_BIND_SERVICE' });
  }
  if (restricted && profile.verify.smokeTest) out.push({ namespace: SMOKE_NAMESPACE, why: 'the smoke test runs stock nginx, as root' });
  for (const namespace of ps.exemptNamespaces) out.push({ namespace, why: 'security.podSecurity.exemptNamespaces' });
  const seen = new Set<string>();
  return out.filter((e) => !seen.has(e.namespace) && seen.add(e.namespace)).sort((a, b) => (a.namespace < b.namespace ? -1 : 1));
}

/** The AdmissionConfiguration: the PodSecurity plugin's cluster-wide defaults and exemptions. */
export function admissionConfiguration(profile: Profile): string {
  const ps = profile.security.podSecurity;
  return toYamlDocuments([
    {
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'AdmissionConfiguration',
      plugins: [
        {
          name: 'PodSecurity',
          configuration: {
            apiVersion: 'pod-security.admission.config.k8s.io/v1',
            kind: 'PodSecurityConfiguration',
            // The *-version fields default to "latest"; left out to keep the init node's user-data small.
            defaults: { enforce: ps.enforce, audit: ps.audit, warn: ps.warn },
            exemptions: { namespaces: podSecurityExemptions(profile).map((e) => e.namespace) },
          },
        },
      ],
    },
  ]);
}

/**
 * The audit policy: nothing for health probes, events and leases (noise); metadata only for Secrets, ConfigMaps, service-account tokens
 * and TokenReviews, whose bodies hold secrets; metadata for everything else. No
 * stage RequestReceived (each request would be logged twice).
 */
export function auditPolicy(): string {
  return toYamlDocuments([
    {
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      omitStages: ['RequestReceived'],
      rules: [
        { level: 'None', nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version'] },
        { level: 'None', resources: [{ group: '', resources: ['events'] }, { group: 'coordination.k8s.io', resources: ['leases'] }] },
        {
          level: 'Metadata',
          resources: [
            { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] },
            { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
          ],
        },
        { level: 'Metadata' },
      ],
    },
  ]);
}

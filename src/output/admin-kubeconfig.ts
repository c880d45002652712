import type { Profile } from '../profile/types.js';
import type { ClusterSecrets } from '../pki/types.js';
import { buildKubeconfig } from '../pki/kubeconfig.js';
import { X509Certificate } from 'node:crypto';
import type { Result } from '../diagnostics.js';
import type { RandomBytes } from '../pki/random.js';
import { ADMIN_COMMON_NAME, ADMIN_ORGANIZATION, signClientCertificate } from '../pki/client-certificate.js';
import { clientTtlHours } from './user-kubeconfig.js';

/** The operator's kubeconfig: the stored admin client certificate against https://<controlPlaneEndpoint>. */
export function adminKubeconfig(profile: Profile, secrets: ClusterSecrets): string {
  return buildKubeconfig({
    clusterName: profile.cluster.name,
    server: `https://${profile.cluster.controlPlaneEndpoint}`,
    caCertPem: secrets.ca.cert,
    userName: ADMIN_COMMON_NAME,
    client: secrets.admin,
  });
}

/** When admin.conf's client certificate expires (ISO 8601 UTC). */
export function adminExpiry(secrets: ClusterSecrets): string {
  return new Date(new X509Certificate(secrets.admin.cert).validTo).toISOString();
}

/**
 * The secrets with a newly signed admin client certificate (fresh key, same
 * identity: CN kubernetes-admin, O kubeadm:cluster-admins; a key of the CA's kind) valid for `ttl` from
 * `now`; the CAs, keys and token stay as they are. A bad ttl, or one that would
 * outlive the cluster CA, comes back as a diagnostic.
 */
export async function renewAdminCertificate(req: { secrets: ClusterSecrets; ttl: string; now: Date; randomBytes: RandomBytes }): Promise<Result<ClusterSecrets>> {
  const hours = clientTtlHours(req.ttl, req.secrets, req.now);
  if (typeof hours !== 'number') return { ok: false, diagnostics: [hours] };
  const admin = await signClientCertificate({
    ca: req.secrets.ca,
    commonName: ADMIN_COMMON_NAME,
    organizations: [ADMIN_ORGANIZATION],
    validityHours: hours,
    now: req.now,
    randomBytes: req.randomBytes,
  });
  return { ok: true, value: { ...req.secrets, admin }, warnings: [] };
}

import { generateBootstrapToken } from './bootstrap-token.js';
import { CA_COMMON_NAMES, createCertificateAuthority } from './certificate-authority.js';
import {
  ADMIN_COMMON_NAME,
  ADMIN_ORGANIZATION,
  CLIENT_VALIDITY_HOURS,
  signClientCertificate,
} from './client-certificate.js';
import { nodeForge } from './node-forge.js';
import { normalizePem } from './pem.js';
import type { RandomBytes } from './random.js';
import { generateRsaKeyPair } from './rsa-key.js';
import type { ClusterSecrets } from './types.js';

/**
 * Creates a cluster's complete secrets bundle: the kubernetes, front-proxy and
 * etcd CAs, the service-account signing pair (sa.pub "PUBLIC KEY", sa.key
 * "RSA PRIVATE KEY"), a bootstrap token with `tokenTtl`, and the admin.conf
 * client certificate (CN kubernetes-admin, O kubeadm:cluster-admins, 1 year).
 * Serials, token and dates come from the injected `now`/`randomBytes`; the six
 * RSA keys come from Node's CSPRNG (see rsa-key.ts), so two calls never yield
 * the same keys. Throws (a bug) when tokenTtl is not a valid Go duration.
 */
export function createClusterSecrets(opts: {
  clusterName: string;
  now: Date;
  randomBytes: RandomBytes;
  tokenTtl: string;
}): ClusterSecrets {
  const { now, randomBytes } = opts;
  const ca = createCertificateAuthority({ commonName: CA_COMMON_NAMES.ca, now, randomBytes });
  const frontProxyCa = createCertificateAuthority({ commonName: CA_COMMON_NAMES.frontProxyCa, now, randomBytes });
  const etcdCa = createCertificateAuthority({ commonName: CA_COMMON_NAMES.etcdCa, now, randomBytes });
  const sa = generateRsaKeyPair();
  const bootstrapToken = generateBootstrapToken({ randomBytes, now, ttl: opts.tokenTtl });
  const admin = signClientCertificate({
    ca,
    commonName: ADMIN_COMMON_NAME,
    organizations: [ADMIN_ORGANIZATION],
    validityHours: CLIENT_VALIDITY_HOURS,
    now,
    randomBytes,
  });
  return {
    clusterName: opts.clusterName,
    createdAt: now.toISOString(),
    ca,
    frontProxyCa,
    etcdCa,
    serviceAccount: {
      publicKey: normalizePem(nodeForge().pki.publicKeyToPem(sa.publicKey)),
      privateKey: normalizePem(nodeForge().pki.privateKeyToPem(sa.privateKey)),
    },
    bootstrapToken,
    admin,
  };
}

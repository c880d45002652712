import { generateBootstrapToken } from './bootstrap-token.js';
import { CA_COMMON_NAMES, createCertificateAuthority } from './certificate-authority.js';
import {
  ADMIN_COMMON_NAME,
  ADMIN_ORGANIZATION,
  CLIENT_VALIDITY_HOURS,
  signClientCertificate,
} from './client-certificate.js';
import type { KeyAlgorithm } from './key-algorithm.js';
import { generateClusterKeyPair, privateKeyPem, publicKeyPem } from './key-pair.js';
import { normalizePem } from './pem.js';
import type { RandomBytes } from './random.js';
import type { ClusterSecrets } from './types.js';
import { newEncryptionKey } from './encryption-key.js';

/**
 * Creates a cluster's complete secrets bundle with keys of `keyAlgorithm`: the
 * kubernetes, front-proxy and etcd CAs, the service-account signing pair
 * (sa.pub "PUBLIC KEY", sa.key PKCS#1 or SEC1), a bootstrap token with
 * `tokenTtl`, the admin.conf client certificate (CN kubernetes-admin,
 * O kubeadm:cluster-admins, 1 year) and the first encryption-at-rest key. The five keys are generated concurrently
 * on libuv's thread pool. Serials, token and dates come from the injected
 * `now`/`randomBytes`, drawn in a fixed order (CA, front-proxy CA, etcd CA
 * serials, token, admin serial, encryption key) whatever order the keys finish in; keys come
 * from Node's CSPRNG, so two calls never yield the same keys.
 * Throws (a bug) when tokenTtl is not a valid Go duration.
 */
export async function createClusterSecrets(opts: {
  clusterName: string;
  now: Date;
  randomBytes: RandomBytes;
  tokenTtl: string;
  keyAlgorithm: KeyAlgorithm;
}): Promise<ClusterSecrets> {
  const { now, randomBytes, keyAlgorithm } = opts;
  // Every call below draws its randomness synchronously before its first await.
  const ca = createCertificateAuthority({ commonName: CA_COMMON_NAMES.ca, now, randomBytes, keyAlgorithm });
  const frontProxyCa = createCertificateAuthority({ commonName: CA_COMMON_NAMES.frontProxyCa, now, randomBytes, keyAlgorithm });
  const etcdCa = createCertificateAuthority({ commonName: CA_COMMON_NAMES.etcdCa, now, randomBytes, keyAlgorithm });
  const sa = generateClusterKeyPair(keyAlgorithm);
  const adminKeys = generateClusterKeyPair(keyAlgorithm);
  const bootstrapToken = generateBootstrapToken({ randomBytes, now, ttl: opts.tokenTtl });
  const admin = ca.then((signer) =>
    signClientCertificate({
      ca: signer,
      commonName: ADMIN_COMMON_NAME,
      organizations: [ADMIN_ORGANIZATION],
      validityHours: CLIENT_VALIDITY_HOURS,
      now,
      randomBytes,
      keyPair: adminKeys,
    }),
  );
  const serviceAccount = sa.then((keys) => ({
    publicKey: normalizePem(publicKeyPem(keys.publicKey)),
    privateKey: normalizePem(privateKeyPem(keys.privateKey)),
  }));
  // One Promise.all, so a failure anywhere is one rejection, never an unhandled one.
  const [caPair, frontProxyPair, etcdPair, serviceAccountPair, adminPair] = await Promise.all([
    ca,
    frontProxyCa,
    etcdCa,
    serviceAccount,
    admin,
  ]);
  return {
    clusterName: opts.clusterName,
    createdAt: now.toISOString(),
    ca: caPair,
    frontProxyCa: frontProxyPair,
    etcdCa: etcdPair,
    serviceAccount: serviceAccountPair,
    bootstrapToken,
    admin: adminPair,
    // Drawn last, so the draws before it are the same as in bundles made without it.
    encryptionKeys: [newEncryptionKey(randomBytes)],
  };
}

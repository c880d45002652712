/**
 * The PKI module's public surface: cluster CAs, service-account keys, bootstrap
 * tokens, the discovery CA hash, client certificates and kubeconfigs, and the
 * secrets.yaml format. Import from here rather than from individual files.
 */
export type { BootstrapToken, CertAndKey, ClusterSecrets } from './types.js';
export type { RandomBytes } from './random.js';
export { createClusterSecrets } from './cluster-secrets.js';
export { CA_COMMON_NAMES, createCertificateAuthority } from './certificate-authority.js';
export {
  ADMIN_COMMON_NAME,
  ADMIN_ORGANIZATION,
  BREAK_GLASS_ORGANIZATION,
  CLIENT_VALIDITY_HOURS,
  signClientCertificate,
} from './client-certificate.js';
export { formatToken, generateBootstrapToken, tokenExpiry, TOKEN_PATTERN } from './bootstrap-token.js';
export { caCertHash } from './ca-cert-hash.js';
export { keyMatchesCertificate, publicKeyMatchesPrivateKey } from './key-match.js';
export {
  describeKeyAlgorithm,
  KEY_ALGORITHMS,
  keyAlgorithmOf,
  secretsKeyAlgorithm,
  type KeyAlgorithm,
} from './key-algorithm.js';
export { buildKubeconfig } from './kubeconfig.js';
export { serializeSecrets } from './serialize-secrets.js';
export { parseSecrets } from './parse-secrets.js';
export { INVALID_SECRETS } from './secrets-format.js';
export { parseDuration } from '../util/duration.js';

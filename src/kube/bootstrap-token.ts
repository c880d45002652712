/** Format kubeadm requires of a bootstrap token: "<6-char id>.<16-char secret>". */
export const BOOTSTRAP_TOKEN_PATTERN = /^[a-z0-9]{6}\.[a-z0-9]{16}$/;

/** Format of a discovery CA pin: "sha256:" and 64 lowercase hex digits. */
export const CA_CERT_HASH_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** The group kubeadm's default join token authenticates as. */
export const BOOTSTRAP_TOKEN_GROUP = 'system:bootstrappers:kubeadm:default-node-token';

/** What the token may do: sign cluster-info (discovery) and authenticate the TLS bootstrap. */
export const BOOTSTRAP_TOKEN_USAGES: readonly string[] = ['signing', 'authentication'];

/**
 * A token ttl as kubeadm's Duration field wants it. The profile's "0" (never expires)
 * becomes "0s" because a bare 0 is a YAML integer, which metav1.Duration rejects;
 * other Go durations ("24h", "90m") pass through.
 */
export function tokenTtl(ttl: string): string {
  return ttl === '0' ? '0s' : ttl;
}

/** Throws unless token has kubeadm's format; the token comes from the secrets module, so a bad one is a bug. */
export function assertBootstrapToken(token: string): void {
  if (!BOOTSTRAP_TOKEN_PATTERN.test(token)) throw new Error('bootstrap token does not match [a-z0-9]{6}.[a-z0-9]{16}');
}

/** Throws unless hash is "sha256:<64 lowercase hex>"; it comes from the secrets module, so a bad one is a bug. */
export function assertCaCertHash(hash: string): void {
  if (!CA_CERT_HASH_PATTERN.test(hash)) throw new Error('CA cert hash does not match sha256:<64 lowercase hex>');
}

import { createHash, X509Certificate } from 'node:crypto';

/**
 * Returns kubeadm's discovery hash for a CA certificate: "sha256:" + lowercase
 * hex of SHA-256 over the DER SubjectPublicKeyInfo (what
 * `openssl x509 -pubkey | openssl rsa -pubin -outform der | openssl dgst -sha256`
 * prints for RSA, and `openssl pkey -pubin -outform der` in place of `openssl rsa`
 * for any key type, e.g. ECDSA). Works for every key type Node reads.
 * Throws when certPem is not a certificate (callers validate via parseSecrets).
 */
export function caCertHash(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return 'sha256:' + createHash('sha256').update(spki).digest('hex');
}

import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';

/**
 * Returns true when the private key (PEM, any type Node reads) belongs to the
 * certificate's public key, by comparing DER SubjectPublicKeyInfo.
 * Returns false, rather than throwing, when either PEM cannot be parsed.
 */
export function keyMatchesCertificate(certPem: string, keyPem: string): boolean {
  try {
    const certSpki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
    return publicKeyDerOfPrivate(keyPem).equals(certSpki);
  } catch {
    return false;
  }
}

/**
 * Returns true when a PEM public key (SPKI "PUBLIC KEY" or PKCS#1) is the public
 * half of the PEM private key; false when they differ or either does not parse.
 */
export function publicKeyMatchesPrivateKey(publicPem: string, keyPem: string): boolean {
  try {
    const pub = createPublicKey(publicPem).export({ type: 'spki', format: 'der' });
    return publicKeyDerOfPrivate(keyPem).equals(pub);
  } catch {
    return false;
  }
}

function publicKeyDerOfPrivate(keyPem: string): Buffer {
  return createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
}

import { createHash, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import { normalizePem } from './pem.js';
import { x509Library } from './x509-library.js';

/** One attribute of a distinguished name, in order: "O" or "CN". */
export interface NameAttribute {
  type: 'O' | 'CN';
  value: string;
}

/** Who signs: the issuer's key, and (for a CA-signed leaf) its certificate. */
export type Issuer =
  /** Self-signed: the subject's own key signs; the issuer name is the subject. */
  | { selfSigned: true; privateKey: KeyObject }
  | { selfSigned: false; privateKey: KeyObject; certPem: string };

/** What goes into a certificate. `profile` picks kubeadm's CA or client-certificate extensions. */
export interface CertificateRequest {
  profile: 'ca' | 'client';
  subject: NameAttribute[];
  publicKey: KeyObject;
  issuer: Issuer;
  /** Hex of the DER INTEGER content (see serial-number.ts). */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
}

/**
 * Go's subjectKeyIdentifier (crypto/x509, RFC 5280 method 1): SHA-1 over the
 * subjectPublicKey BIT STRING of the SPKI: the PKCS#1 RSAPublicKey for RSA, the
 * uncompressed point for EC. Throws (a bug) for other key types.
 */
export function subjectKeyIdentifier(publicKey: KeyObject): Buffer {
  let bits: Buffer;
  if (publicKey.asymmetricKeyType === 'rsa') {
    bits = publicKey.export({ type: 'pkcs1', format: 'der' });
  } else if (publicKey.asymmetricKeyType === 'ec') {
    const jwk = publicKey.export({ format: 'jwk' });
    bits = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  } else {
    throw new Error(`unsupported public key type ${String(publicKey.asymmetricKeyType)}`);
  }
  return createHash('sha1').update(bits).digest();
}

/** WebCrypto signature parameters for an issuer key: SHA-256 with RSA PKCS#1 v1.5 or ECDSA P-256. */
function signatureAlgorithm(key: KeyObject): RsaHashedImportParams | EcKeyImportParams {
  if (key.asymmetricKeyType === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return { name: 'ECDSA', namedCurve: 'P-256' };
  }
  throw new Error(`cannot sign with a ${String(key.asymmetricKeyType)} key`);
}

/**
 * Issues one X.509 v3 certificate, for RSA and ECDSA keys alike, signed by
 * OpenSSL through Node's WebCrypto (SHA-256; sha256WithRSAEncryption or
 * ecdsa-with-SHA256 by the issuer's key type):
 * - profile "ca": basicConstraints CA:TRUE (critical), keyUsage keyCertSign +
 *   digitalSignature (+ keyEncipherment for an RSA key) (critical), SKI;
 * - profile "client": keyUsage digitalSignature (+ keyEncipherment for RSA)
 *   (critical), extKeyUsage clientAuth, basicConstraints CA:FALSE (critical),
 *   AKI = the issuer's SKI (computed like Go when the issuer has none).
 * The issuer name is copied byte for byte from the issuer's subject, which Go
 * needs to chain the certificate. RSA signatures are deterministic, so the
 * same request gives the same bytes; ECDSA signatures are not.
 * Returns PEM. Throws only on bugs (unsupported key types, a bad issuer PEM).
 */
export async function issueCertificate(req: CertificateRequest): Promise<string> {
  const x509 = await x509Library();
  const rsaSubject = req.publicKey.asymmetricKeyType === 'rsa';
  const usage = x509.KeyUsageFlags.digitalSignature | (rsaSubject ? x509.KeyUsageFlags.keyEncipherment : 0);
  const subject = new x509.Name(req.subject.map((a) => ({ [a.type]: [a.value] })));

  let issuerName: InstanceType<typeof x509.Name>;
  let extensions: InstanceType<typeof x509.Extension>[];
  if (req.profile === 'ca') {
    if (!req.issuer.selfSigned) throw new Error('a CA certificate here is always self-signed');
    issuerName = subject;
    extensions = [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(usage | x509.KeyUsageFlags.keyCertSign, true),
      new x509.SubjectKeyIdentifierExtension(subjectKeyIdentifier(req.publicKey).toString('hex')),
    ];
  } else {
    if (req.issuer.selfSigned) throw new Error('a client certificate is signed by a CA');
    const ca = new x509.X509Certificate(req.issuer.certPem);
    issuerName = new x509.Name(ca.subjectName.toArrayBuffer());
    const caSki = ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ??
      subjectKeyIdentifier(new X509Certificate(req.issuer.certPem).publicKey).toString('hex');
    extensions = [
      new x509.KeyUsagesExtension(usage, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.AuthorityKeyIdentifierExtension(caSki),
    ];
  }

  const algorithm = signatureAlgorithm(req.issuer.privateKey);
  const signingKey = await webcrypto.subtle.importKey(
    'pkcs8',
    req.issuer.privateKey.export({ type: 'pkcs8', format: 'der' }),
    algorithm,
    false,
    ['sign'],
  );
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: req.serialNumber,
    subject,
    issuer: issuerName,
    notBefore: req.notBefore,
    notAfter: req.notAfter,
    publicKey: req.publicKey.export({ type: 'spki', format: 'der' }),
    signingKey: signingKey as unknown as CryptoKey,
    signingAlgorithm: { ...algorithm, hash: 'SHA-256' },
    extensions,
  });
  return normalizePem(cert.toString('pem'));
}

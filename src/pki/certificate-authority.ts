import { issueCertificate } from './issue-certificate.js';
import type { KeyAlgorithm } from './key-algorithm.js';
import { generateClusterKeyPair, privateKeyPem } from './key-pair.js';
import { normalizePem } from './pem.js';
import type { RandomBytes } from './random.js';
import { randomSerialNumber } from './serial-number.js';
import type { CertAndKey } from './types.js';
import { CA_VALIDITY_HOURS, certificateValidity } from './validity.js';

/** Common names kubeadm gives its three CAs. */
export const CA_COMMON_NAMES = {
  ca: 'kubernetes',
  frontProxyCa: 'front-proxy-ca',
  etcdCa: 'etcd-ca',
} as const;

/**
 * Creates a self-signed CA with a fresh key of `keyAlgorithm` and kubeadm's CA
 * profile: subject CN only, basicConstraints CA:TRUE (critical), keyUsage
 * keyCertSign + digitalSignature (+ keyEncipherment for RSA) (critical), a
 * subjectKeyIdentifier, SHA-256 signature, notBefore = now − 5 min, valid
 * 10 years, random positive serial. Returns PEM cert and PEM key (RSA PKCS#1
 * or EC SEC1). The serial is drawn from `randomBytes` before the first await,
 * so concurrent calls draw in call order. Throws only on bugs.
 */
export async function createCertificateAuthority(opts: {
  commonName: string;
  now: Date;
  randomBytes: RandomBytes;
  keyAlgorithm: KeyAlgorithm;
}): Promise<CertAndKey> {
  const serialNumber = randomSerialNumber(opts.randomBytes);
  const { notBefore, notAfter } = certificateValidity(opts.now, CA_VALIDITY_HOURS);
  const keys = await generateClusterKeyPair(opts.keyAlgorithm);
  const cert = await issueCertificate({
    profile: 'ca',
    subject: [{ type: 'CN', value: opts.commonName }],
    publicKey: keys.publicKey,
    issuer: { selfSigned: true, privateKey: keys.privateKey },
    serialNumber,
    notBefore,
    notAfter,
  });
  return { cert, key: normalizePem(privateKeyPem(keys.privateKey)) };
}

import { nodeForge } from './node-forge.js';
import { normalizePem } from './pem.js';
import type { RandomBytes } from './random.js';
import { generateRsaKeyPair } from './rsa-key.js';
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
 * Creates a self-signed RSA-2048 CA with kubeadm's CA profile: subject CN only,
 * basicConstraints CA:TRUE (critical), keyUsage keyCertSign + digitalSignature +
 * keyEncipherment (critical), a subjectKeyIdentifier, SHA-256 signature,
 * notBefore = now − 5 min, valid 10 years, random positive serial.
 * Returns PEM cert and PEM (PKCS#1) key. Throws only on bugs.
 */
export function createCertificateAuthority(opts: {
  commonName: string;
  now: Date;
  randomBytes: RandomBytes;
}): CertAndKey {
  const forge = nodeForge();
  const keys = generateRsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerialNumber(opts.randomBytes);
  const { notBefore, notAfter } = certificateValidity(opts.now, CA_VALIDITY_HOURS);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const name = [{ name: 'commonName', value: opts.commonName }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true, critical: true },
    // forge derives it from cert.publicKey (SHA-1 of RSAPublicKey), like Go does.
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return {
    cert: normalizePem(forge.pki.certificateToPem(cert)),
    key: normalizePem(forge.pki.privateKeyToPem(keys.privateKey)),
  };
}

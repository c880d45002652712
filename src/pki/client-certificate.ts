import { createPrivateKey } from 'node:crypto';
import { issueCertificate } from './issue-certificate.js';
import type { KeyAlgorithm } from './key-algorithm.js';
import { generateClusterKeyPair, privateKeyPem, type KeyPair } from './key-pair.js';
import { normalizePem } from './pem.js';
import type { RandomBytes } from './random.js';
import { randomSerialNumber } from './serial-number.js';
import type { CertAndKey } from './types.js';
import { certificateValidity } from './validity.js';

/** admin.conf identity kubeadm creates (works once init has bound the group). */
export const ADMIN_COMMON_NAME = 'kubernetes-admin';
export const ADMIN_ORGANIZATION = 'kubeadm:cluster-admins';
/** Break-glass group that bypasses RBAC entirely. */
export const BREAK_GLASS_ORGANIZATION = 'system:masters';
/** kubeadm's leaf certificate lifetime: one year. */
export const CLIENT_VALIDITY_HOURS = 8760;

/** The algorithm of a client key issued under this CA key: ECDSA P-256 under an EC CA, RSA-2048 under an RSA CA. */
export function clientKeyAlgorithm(caKeyPem: string): KeyAlgorithm {
  return createPrivateKey(caKeyPem).asymmetricKeyType === 'ec' ? 'ecdsa-p256' : 'rsa-2048';
}

/**
 * Signs a new client certificate with `ca`: a fresh key of the CA's kind (see
 * clientKeyAlgorithm) unless `keyPair` brings one (generated concurrently by the
 * caller); subject O=<organizations…>, CN=<commonName> (Go's order, like
 * kubeadm); keyUsage digitalSignature (+ keyEncipherment for RSA) (critical);
 * extKeyUsage clientAuth; basicConstraints CA:FALSE; authorityKeyIdentifier =
 * the CA's subjectKeyIdentifier; notBefore = now − 5 min, notAfter = notBefore
 * + validityHours. Returns PEM cert and PEM key. The serial is drawn before the
 * first await. Throws when the CA PEMs do not parse (callers load them through
 * parseSecrets first, so that is a bug) or validityHours is not positive.
 */
export async function signClientCertificate(opts: {
  ca: CertAndKey;
  commonName: string;
  organizations: readonly string[];
  validityHours: number;
  now: Date;
  randomBytes: RandomBytes;
  keyPair?: Promise<KeyPair>;
}): Promise<CertAndKey> {
  const serialNumber = randomSerialNumber(opts.randomBytes);
  const { notBefore, notAfter } = certificateValidity(opts.now, opts.validityHours);
  const caKey = createPrivateKey(opts.ca.key);
  const keys = await (opts.keyPair ?? generateClusterKeyPair(clientKeyAlgorithm(opts.ca.key)));
  const cert = await issueCertificate({
    profile: 'client',
    subject: [
      ...opts.organizations.map((value) => ({ type: 'O' as const, value })),
      { type: 'CN', value: opts.commonName },
    ],
    publicKey: keys.publicKey,
    issuer: { selfSigned: false, privateKey: caKey, certPem: opts.ca.cert },
    serialNumber,
    notBefore,
    notAfter,
  });
  return { cert, key: normalizePem(privateKeyPem(keys.privateKey)) };
}

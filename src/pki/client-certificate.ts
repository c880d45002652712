import type forge from 'node-forge';
import { nodeForge } from './node-forge.js';
import { normalizePem } from './pem.js';
import type { RandomBytes } from './random.js';
import { generateRsaKeyPair } from './rsa-key.js';
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

/**
 * Signs a new client certificate (fresh RSA-2048 key) with `ca`:
 * subject O=<organizations…>, CN=<commonName>; keyUsage digitalSignature +
 * keyEncipherment (critical); extKeyUsage clientAuth; basicConstraints CA:FALSE;
 * authorityKeyIdentifier = the CA's subjectKeyIdentifier; notBefore = now − 5 min,
 * notAfter = notBefore + validityHours. Returns PEM cert and PEM key.
 * Throws when the CA PEMs cannot be parsed by forge (callers load them through
 * parseSecrets first, so that is a bug) or validityHours is not positive.
 */
export function signClientCertificate(opts: {
  ca: CertAndKey;
  commonName: string;
  organizations: string[];
  validityHours: number;
  now: Date;
  randomBytes: RandomBytes;
}): CertAndKey {
  const forge = nodeForge();
  const caCert = forge.pki.certificateFromPem(opts.ca.cert);
  const caKey = forge.pki.privateKeyFromPem(opts.ca.key);
  const keys = generateRsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerialNumber(opts.randomBytes);
  const { notBefore, notAfter } = certificateValidity(opts.now, opts.validityHours);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  // Go's pkix.Name order (O before CN), so the subject reads like kubeadm's.
  cert.setSubject([
    ...opts.organizations.map((o) => ({ name: 'organizationName', value: o })),
    { name: 'commonName', value: opts.commonName },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'basicConstraints', cA: false, critical: true },
    // Must be the CA's key id; forge's `keyIdentifier: true` would use this cert's own key.
    { name: 'authorityKeyIdentifier', keyIdentifier: caKeyIdentifier(caCert) },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return {
    cert: normalizePem(forge.pki.certificateToPem(cert)),
    key: normalizePem(forge.pki.privateKeyToPem(keys.privateKey)),
  };
}

/** The CA's subjectKeyIdentifier as a binary string; computed like Go when the extension is absent. */
function caKeyIdentifier(caCert: forge.pki.Certificate): string {
  const ext = caCert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  if (ext?.subjectKeyIdentifier) return nodeForge().util.hexToBytes(ext.subjectKeyIdentifier);
  return caCert.generateSubjectKeyIdentifier().getBytes();
}

// The one certificate code path for both algorithms: Go's key identifier,
// byte-determinism where the signature scheme allows it, and the issuer name.
import t from 'tap';
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { issueCertificate, subjectKeyIdentifier, type CertificateRequest } from '../../src/pki/issue-certificate.js';
import { certText, openssl } from '../fixtures/secrets/openssl.js';

const notBefore = new Date('2026-01-01T00:00:00Z');
const notAfter = new Date('2027-01-01T00:00:00Z');

function caRequest(keys: { publicKey: import('node:crypto').KeyObject; privateKey: import('node:crypto').KeyObject }): CertificateRequest {
  return {
    profile: 'ca',
    subject: [{ type: 'CN', value: 'test-ca' }],
    publicKey: keys.publicKey,
    issuer: { selfSigned: true, privateKey: keys.privateKey },
    serialNumber: '4f' + '01'.repeat(15),
    notBefore,
    notAfter,
  };
}

t.test('SKI is SHA-1 of the subjectPublicKey bits (Go, RFC 5280 method 1), as openssl computes it', async (t) => {
  for (const keys of [generateKeyPairSync('ec', { namedCurve: 'P-256' }), generateKeyPairSync('rsa', { modulusLength: 2048 })]) {
    // The BIT STRING is the tail of the DER SPKI: 65 bytes for P-256, the PKCS#1 key for RSA.
    const spki = keys.publicKey.export({ type: 'spki', format: 'der' });
    const bits = keys.publicKey.asymmetricKeyType === 'ec' ? spki.subarray(spki.length - 65) : keys.publicKey.export({ type: 'pkcs1', format: 'der' });
    t.same(subjectKeyIdentifier(keys.publicKey), createHash('sha1').update(bits).digest());
    const pem = await issueCertificate(caRequest(keys));
    const ski = /Subject Key Identifier: \n?\s+([0-9A-F:]+)\n/.exec(certText(pem))![1]!.replace(/:/g, '').toLowerCase();
    t.equal(ski, subjectKeyIdentifier(keys.publicKey).toString('hex'), `${keys.publicKey.asymmetricKeyType}: in the certificate`);
    // openssl's own "hash" method is the same computation.
    const dir = t.testdir({ 'key.pem': keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string });
    const ref = openssl(['req', '-x509', '-new', '-key', 'key.pem', '-subj', '/CN=x', '-addext', 'subjectKeyIdentifier=hash', '-noout', '-text'], { cwd: dir });
    t.match(ref.stdout, new RegExp(ski.toUpperCase().replace(/(..)(?!$)/g, '$1:')), 'openssl req agrees');
  }
});

t.test('RSA certificates are byte-deterministic given key, time and serial; ECDSA signatures are not', async (t) => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  t.equal(await issueCertificate(caRequest(rsa)), await issueCertificate(caRequest(rsa)), 'PKCS#1 v1.5 signatures are deterministic');
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const [a, b] = [await issueCertificate(caRequest(ec)), await issueCertificate(caRequest(ec))];
  // Certificate ::= SEQUENCE { tbsCertificate, ... }: the TBS SEQUENCE starts after the
  // outer 4-byte header (30 82 LL LL) and carries its own 4-byte header.
  const tbs = (pem: string): string => {
    const raw = new X509Certificate(pem).raw;
    return raw.subarray(4, 8 + raw.readUInt16BE(6)).toString('hex');
  };
  t.equal(tbs(a), tbs(b), 'ECDSA: the same to-be-signed part');
  t.not(a, b, 'ECDSA: a fresh random k per signature');
});

t.test('a client certificate copies the issuer name byte for byte and takes the CA key\'s signature scheme', async (t) => {
  const caKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caPem = await issueCertificate(caRequest(caKeys));
  const leafKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const leaf = await issueCertificate({
    profile: 'client',
    subject: [{ type: 'O', value: 'g, with comma' }, { type: 'CN', value: 'ü-user' }],
    publicKey: leafKeys.publicKey,
    issuer: { selfSigned: false, privateKey: caKeys.privateKey, certPem: caPem },
    serialNumber: '51' + '02'.repeat(15),
    notBefore,
    notAfter,
  });
  const ca = new X509Certificate(caPem);
  const cert = new X509Certificate(leaf);
  t.ok(cert.checkIssued(ca) && cert.verify(ca.publicKey), 'signed by the CA');
  t.equal(cert.issuer, ca.subject);
  const text = certText(leaf);
  t.match(text, /Signature Algorithm: ecdsa-with-SHA256/, 'an RSA leaf under an ECDSA CA is signed with ECDSA');
  t.match(text, /Digital Signature, Key Encipherment/, 'keyEncipherment follows the leaf\'s own RSA key');
  t.equal(cert.subject, 'O=g\\, with comma\nCN=ü-user', 'one O and one CN: names are values, never parsed');
});

t.test('a self-signed client or a CA with an issuer is a bug', async (t) => {
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await t.rejects(issueCertificate({ ...caRequest(keys), profile: 'client' }));
  await t.rejects(issueCertificate({ ...caRequest(keys), issuer: { selfSigned: false, privateKey: keys.privateKey, certPem: '' } }));
});

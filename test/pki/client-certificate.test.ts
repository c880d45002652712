import t from 'tap';
import {
  BREAK_GLASS_ORGANIZATION,
  signClientCertificate,
} from '../../src/pki/client-certificate.js';
import { createCertificateAuthority } from '../../src/pki/certificate-authority.js';
import { parseSecrets } from '../../src/pki/parse-secrets.js';
import { certDates, certModulus, certPublicKey, certText, fixtureText, keyModulus, openssl, privateKeyPublicKey } from '../fixtures/secrets/openssl.js';
import { seededRandomBytes } from '../fixtures/secrets/seeded-random.js';

const parsed = parseSecrets(fixtureText('lab-secrets.yaml'), 'lab-secrets.yaml');
if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
const lab = parsed.value;
const now = new Date('2026-06-01T12:00:00Z');
// openssl checks validity against this instant, not the machine clock.
const attime = String(now.getTime() / 1000 + 60);

t.test('break-glass user: O system:masters, verifies against the fixture CA', async (t) => {
  const c = await signClientCertificate({
    ca: lab.ca,
    commonName: 'alice',
    organizations: [BREAK_GLASS_ORGANIZATION],
    validityHours: 24,
    now,
    randomBytes: seededRandomBytes('alice'),
  });
  const dir = t.testdir({ 'ca.crt': lab.ca.cert, 'alice.crt': c.cert, 'etcd.crt': lab.etcdCa.cert });
  const ok = openssl(['verify', '-attime', attime, '-x509_strict', '-purpose', 'sslclient', '-CAfile', 'ca.crt', 'alice.crt'], { cwd: dir });
  t.equal(ok.status, 0, ok.stderr);
  t.not(openssl(['verify', '-attime', attime, '-CAfile', 'etcd.crt', 'alice.crt'], { cwd: dir }).status, 0, 'wrong CA fails');

  const text = certText(c.cert);
  t.match(text, /Subject: O ?= ?system:masters, CN ?= ?alice\n/);
  t.match(text, /TLS Web Client Authentication/);
  t.match(text, /CA:FALSE/);
  t.equal(keyModulus(c.key), certModulus(c.cert));
  t.match(c.key, /^-----BEGIN RSA PRIVATE KEY-----/, 'an RSA CA issues RSA client keys');
  const { notBefore, notAfter } = certDates(c.cert);
  t.equal(notBefore.toISOString(), '2026-06-01T11:55:00.000Z');
  t.equal(notAfter.toISOString(), '2026-06-02T11:55:00.000Z', 'notAfter = notBefore + validity');
});

t.test('several organizations keep their order; none is allowed too', async (t) => {
  const rnd = seededRandomBytes('orgs');
  const multi = await signClientCertificate({
    ca: lab.ca,
    commonName: 'bob',
    organizations: ['team-a', 'team-b'],
    validityHours: 1,
    now,
    randomBytes: rnd,
  });
  t.match(certText(multi.cert), /Subject: O ?= ?team-a, O ?= ?team-b, CN ?= ?bob\n/);
  const none = await signClientCertificate({ ca: lab.ca, commonName: 'carol', organizations: [], validityHours: 1, now, randomBytes: rnd });
  t.match(certText(none.cert), /Subject: CN ?= ?carol\n/);
});

t.test('issuer is the CA subject, AKI is the CA SKI, for a CA other than the fixture', async (t) => {
  const ca = await createCertificateAuthority({ commonName: 'other-ca', now, randomBytes: seededRandomBytes('other'), keyAlgorithm: 'rsa-2048' });
  const c = await signClientCertificate({ ca, commonName: 'dave', organizations: [], validityHours: 5, now, randomBytes: seededRandomBytes('d') });
  const dir = t.testdir({ 'ca.crt': ca.cert, 'c.crt': c.cert });
  t.equal(openssl(['verify', '-attime', attime, '-x509_strict', '-CAfile', 'ca.crt', 'c.crt'], { cwd: dir }).status, 0);
  const caSki = /Subject Key Identifier: \n?\s+([0-9A-F:]+)\n/.exec(certText(ca.cert))![1]!;
  const text = certText(c.cert);
  t.match(text, /Issuer: CN ?= ?other-ca\n/);
  t.match(text, new RegExp(`Authority Key Identifier: \\n?\\s+(keyid:)?${caSki}\\n`));
});

t.test('a non-positive validity is a bug and throws', async (t) => {
  await t.rejects(
    signClientCertificate({ ca: lab.ca, commonName: 'x', organizations: [], validityHours: 0, now, randomBytes: seededRandomBytes('x') }),
  );
});

t.test('an ECDSA CA (the lab-ecdsa fixture) issues ECDSA client certificates with ECDSA keys', async (t) => {
  const ecdsa = parseSecrets(fixtureText('lab-ecdsa-secrets.yaml'), 'lab-ecdsa-secrets.yaml');
  if (!ecdsa.ok) throw new Error(JSON.stringify(ecdsa.diagnostics));
  const c = await signClientCertificate({
    ca: ecdsa.value.ca,
    commonName: 'erin',
    organizations: ['ops'],
    validityHours: 24,
    now,
    randomBytes: seededRandomBytes('erin'),
  });
  const dir = t.testdir({ 'ca.crt': ecdsa.value.ca.cert, 'c.crt': c.cert, 'rsa-ca.crt': lab.ca.cert });
  const ok = openssl(['verify', '-attime', attime, '-x509_strict', '-purpose', 'sslclient', '-CAfile', 'ca.crt', 'c.crt'], { cwd: dir });
  t.equal(ok.status, 0, ok.stderr);
  t.not(openssl(['verify', '-attime', attime, '-CAfile', 'rsa-ca.crt', 'c.crt'], { cwd: dir }).status, 0, 'the RSA CA does not verify it');
  const text = certText(c.cert);
  t.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
  t.match(text, /Public Key Algorithm: id-ecPublicKey/);
  t.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature\n/, 'no keyEncipherment for an EC key');
  t.match(text, /Subject: O ?= ?ops, CN ?= ?erin\n/);
  t.match(c.key, /^-----BEGIN EC PRIVATE KEY-----\n/);
  t.equal(privateKeyPublicKey(c.key), certPublicKey(c.cert));
});

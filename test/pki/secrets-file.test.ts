import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { Diagnostic } from '../../src/diagnostics.js';
import { signClientCertificate } from '../../src/pki/client-certificate.js';
import { createCertificateAuthority } from '../../src/pki/certificate-authority.js';
import { parseSecrets } from '../../src/pki/parse-secrets.js';
import { serializeSecrets } from '../../src/pki/serialize-secrets.js';
import type { ClusterSecrets } from '../../src/pki/types.js';
import { fixtureText, openssl } from '../fixtures/secrets/openssl.js';
import { seededRandomBytes } from '../fixtures/secrets/seeded-random.js';

const labText = fixtureText('lab-secrets.yaml');
const labParsed = parseSecrets(labText, 'lab-secrets.yaml');
if (!labParsed.ok) throw new Error(JSON.stringify(labParsed.diagnostics));
const lab = labParsed.value;
const clone = (): ClusterSecrets => structuredClone(lab);

/** 1-based line of `key:` inside the top-level `section:` block (or of a top-level key). */
function lineOf(text: string, section: string, key?: string): number {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${section}:`));
  if (start < 0) throw new Error(`no ${section}`);
  if (key === undefined) return start + 1;
  const i = lines.findIndex((l, j) => j > start && l.startsWith(`  ${key}:`));
  if (i < 0) throw new Error(`no ${section}.${key}`);
  return i + 1;
}

/** Parses, expects failure, returns the diagnostics. */
function failures(t: Test, text: string): Diagnostic[] {
  const r = parseSecrets(text, 'secrets.yaml');
  t.equal(r.ok, false, 'rejected');
  if (r.ok) return [];
  for (const d of r.diagnostics) {
    t.equal(d.code, 'invalid-secrets');
    t.equal(d.severity, 'error');
    t.equal(d.file, 'secrets.yaml');
  }
  return r.diagnostics;
}

t.test('fixture round-trips byte for byte', async (t) => {
  t.equal(serializeSecrets(lab), labText);
  const ha = parseSecrets(fixtureText('ha-secrets.yaml'), 'ha-secrets.yaml');
  t.ok(ha.ok);
  if (ha.ok) {
    t.equal(ha.value.clusterName, 'ha');
    t.equal(serializeSecrets(ha.value), fixtureText('ha-secrets.yaml'));
  }
  t.equal(lab.clusterName, 'lab');
  t.equal(lab.createdAt, '2026-01-01T00:00:00.000Z');
  t.same(labParsed.ok && labParsed.warnings, []);
});

t.test('header comment and layout', async (t) => {
  t.match(labText, /^# gen-userdata cluster secrets for "lab"\.\n# SECRET: /);
  t.match(labText, /Do not delete, regenerate or edit it/);
  const topKeys = labText.split('\n').filter((l) => /^[a-zA-Z]+:/.test(l)).map((l) => l.split(':')[0]);
  t.same(topKeys, ['apiVersion', 'kind', 'clusterName', 'createdAt', 'ca', 'frontProxyCa', 'etcdCa', 'serviceAccount', 'bootstrapToken', 'admin', 'encryptionKeys']);
  t.match(labText, /\n {2}cert: \|\n {4}-----BEGIN CERTIFICATE-----\n/, 'PEM as a literal block');
  t.notMatch(labText, /\r/);
});

t.test('key order does not depend on how the object was built', async (t) => {
  const s = clone();
  const shuffled = {
    encryptionKeys: s.encryptionKeys!.map((k) => ({ secret: k.secret, name: k.name })),
    admin: { key: s.admin.key, cert: s.admin.cert },
    bootstrapToken: { createdAt: s.bootstrapToken.createdAt, ttl: s.bootstrapToken.ttl, secret: s.bootstrapToken.secret, id: s.bootstrapToken.id },
    serviceAccount: { privateKey: s.serviceAccount.privateKey, publicKey: s.serviceAccount.publicKey },
    etcdCa: s.etcdCa,
    frontProxyCa: s.frontProxyCa,
    ca: { key: s.ca.key, cert: s.ca.cert },
    createdAt: s.createdAt,
    clusterName: s.clusterName,
  } as ClusterSecrets;
  t.equal(serializeSecrets(shuffled), labText);
});

t.test('YAML-ambiguous strings survive the round trip', async (t) => {
  const s = clone();
  s.clusterName = 'yes';
  s.bootstrapToken.id = '012345';
  s.bootstrapToken.secret = '1234567890123456';
  s.bootstrapToken.ttl = '0';
  const text = serializeSecrets(s);
  const r = parseSecrets(text, 'x');
  t.ok(r.ok, r.ok ? '' : JSON.stringify(r.diagnostics));
  if (r.ok) t.same(r.value, s);
  t.match(text, /ttl: "0"\n/);
});

t.test('YAML syntax error: line and column of the problem', async (t) => {
  const text = labText.replace('kind: ClusterSecrets', 'kind: [ClusterSecrets');
  const d = failures(t, text);
  t.ok(d.length >= 1);
  t.equal(d[0]!.path, '');
  t.match(d[0]!.message, /YAML syntax/);
  t.ok(d[0]!.line >= lineOf(labText, 'kind'), `line ${d[0]!.line} at or after the damage`);
});

t.test('duplicate key is a syntax error at the duplicate', async (t) => {
  const text = labText.replace('clusterName: lab\n', 'clusterName: lab\nclusterName: other\n');
  const d = failures(t, text);
  t.equal(d[0]!.line, lineOf(labText, 'clusterName') + 1);
});

t.test('missing field names the field, points at its parent', async (t) => {
  const text = labText.replace(/\n {2}secret: [a-z0-9]+\n/, '\n');
  const d = failures(t, text);
  t.equal(d.length, 1);
  t.equal(d[0]!.path, '/bootstrapToken/secret');
  t.match(d[0]!.message, /missing required field "secret"/);
  t.equal(d[0]!.line, lineOf(text, 'bootstrapToken'));
  t.equal(d[0]!.col, 1);
});

t.test('unknown field', async (t) => {
  const text = labText.replace('etcdCa:\n', 'etcdCa:\n  comment: hi\n');
  const d = failures(t, text);
  t.equal(d.length, 1);
  t.equal(d[0]!.path, '/etcdCa/comment');
  t.equal(d[0]!.line, lineOf(text, 'etcdCa', 'comment'));
  t.equal(d[0]!.col, 3);
});

t.test('malformed values: token id, createdAt, apiVersion, wrong type', async (t) => {
  const s = clone();
  const text = serializeSecrets({ ...s, bootstrapToken: { ...s.bootstrapToken, id: 'ABCDEF' } })
    .replace('apiVersion: gen-userdata/v1', 'apiVersion: gen-userdata/v9')
    .replace('clusterName: lab', 'clusterName: 42')
    .replace('createdAt: 2026-01-01T00:00:00.000Z\nca:', 'createdAt: yesterday\nca:');
  const d = failures(t, text);
  const byPath = new Map(d.map((x) => [x.path, x]));
  t.same([...byPath.keys()].sort(), ['/apiVersion', '/bootstrapToken/id', '/clusterName', '/createdAt']);
  t.equal(byPath.get('/bootstrapToken/id')!.line, lineOf(text, 'bootstrapToken', 'id'));
  t.match(byPath.get('/bootstrapToken/id')!.message, /6 characters/);
  t.equal(byPath.get('/apiVersion')!.line, 1 + text.split('\n').findIndex((l) => l.startsWith('apiVersion')));
  t.match(byPath.get('/apiVersion')!.message, /gen-userdata\/v1/);
  t.equal(byPath.get('/clusterName')!.line, lineOf(text, 'clusterName'));
  t.equal(byPath.get('/createdAt')!.line, lineOf(text, 'createdAt'));
});

t.test('invalid ttl', async (t) => {
  const s = clone();
  s.bootstrapToken.ttl = '1d';
  const text = serializeSecrets(s);
  const d = failures(t, text);
  t.same(d.map((x) => [x.path, x.line]), [['/bootstrapToken/ttl', lineOf(text, 'bootstrapToken', 'ttl')]]);
});

t.test('a CA key that belongs to another certificate', async (t) => {
  const s = clone();
  s.ca.key = s.etcdCa.key;
  const text = serializeSecrets(s);
  const d = failures(t, text);
  t.same(d.map((x) => x.path), ['/ca/key']);
  t.equal(d[0]!.line, lineOf(text, 'ca', 'key'));
  t.match(d[0]!.message, /does not belong to \/ca\/cert/);
});

t.test('admin certificate signed by a different CA', async (t) => {
  const s = clone();
  s.admin = await signClientCertificate({
    ca: s.frontProxyCa,
    commonName: 'kubernetes-admin',
    organizations: ['kubeadm:cluster-admins'],
    validityHours: 1,
    now: new Date('2026-01-01T00:00:00Z'),
    randomBytes: seededRandomBytes('x'),
  });
  const text = serializeSecrets(s);
  const d = failures(t, text);
  t.same(d.map((x) => [x.path, x.line]), [['/admin/cert', lineOf(text, 'admin', 'cert')]]);
  t.match(d[0]!.message, /not signed by \/ca\/cert/);
});

t.test('admin certificate from a CA with the same name but a different key', async (t) => {
  const s = clone();
  const impostor = await createCertificateAuthority({ commonName: 'kubernetes', now: new Date('2026-01-01T00:00:00Z'), randomBytes: seededRandomBytes('i'), keyAlgorithm: 'rsa-2048' });
  s.admin = await signClientCertificate({ ca: impostor, commonName: 'kubernetes-admin', organizations: [], validityHours: 1, now: new Date(), randomBytes: seededRandomBytes('y') });
  const d = failures(t, serializeSecrets(s));
  t.same(d.map((x) => x.path), ['/admin/cert']);
});

t.test('a leaf certificate where a CA belongs', async (t) => {
  const s = clone();
  s.etcdCa = s.admin;
  const text = serializeSecrets(s);
  const d = failures(t, text);
  t.same(d.map((x) => [x.path, x.line]), [['/etcdCa/cert', lineOf(text, 'etcdCa', 'cert')]]);
  t.match(d[0]!.message, /not a CA/);
});

t.test('service-account public key that does not match', async (t) => {
  const s = clone();
  s.serviceAccount.publicKey = parsedPublicKeyOf(s.ca.cert);
  const text = serializeSecrets(s);
  const d = failures(t, text);
  t.same(d.map((x) => [x.path, x.line]), [['/serviceAccount/publicKey', lineOf(text, 'serviceAccount', 'publicKey')]]);
});

t.test('service-account "public" key that is really the private key is refused', async (t) => {
  const s = clone();
  s.serviceAccount.publicKey = s.serviceAccount.privateKey;
  const d = failures(t, serializeSecrets(s));
  t.same(d.map((x) => x.path), ['/serviceAccount/publicKey']);
});

t.test('corrupted certificate body inside valid PEM armor', async (t) => {
  const s = clone();
  s.frontProxyCa.cert = s.frontProxyCa.cert.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
  const text = serializeSecrets(s);
  const d = failures(t, text);
  t.same(d.map((x) => [x.path, x.line]), [['/frontProxyCa/cert', lineOf(text, 'frontProxyCa', 'cert')]]);
});

t.test('not PEM at all', async (t) => {
  const text = labText.replace(/( {2}key: )\|\n( {4}.*\n)+(?=etcdCa:)/, '$1nope\n');
  const d = failures(t, text);
  t.same(d.map((x) => x.path), ['/frontProxyCa/key']);
  t.match(d[0]!.message, /PEM private key/);
});

t.test('an ECDSA P-256 cluster CA made by openssl (PKCS#8 key) is accepted; another curve is reported', async (t) => {
  const dir = t.testdir({});
  const makeCa = (curve: string): { cert: string; key: string } => {
    const r = openssl(
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-nodes', '-subj', '/CN=kubernetes',
        '-days', '1', '-keyout', `${curve}.key`, '-out', `${curve}.crt`],
      { cwd: dir },
    );
    t.equal(r.status, 0, r.stderr);
    return { cert: readFileSync(join(dir, `${curve}.crt`), 'utf8'), key: readFileSync(join(dir, `${curve}.key`), 'utf8') };
  };
  const s = clone();
  s.ca = makeCa('P-256');
  t.match(s.ca.key, /^-----BEGIN PRIVATE KEY-----/, 'openssl writes PKCS#8');
  const text = serializeSecrets(s);
  // Only the admin certificate, which the fixture's RSA CA signed, is now wrong.
  t.same(failures(t, text).map((x) => [x.path, x.line]), [['/admin/cert', lineOf(text, 'admin', 'cert')]]);

  s.ca = makeCa('P-384');
  const text384 = serializeSecrets(s);
  const d = failures(t, text384);
  t.same(d.map((x) => [x.path, x.line]), [
    ['/ca/cert', lineOf(text384, 'ca', 'cert')],
    ['/admin/cert', lineOf(text384, 'admin', 'cert')],
  ]);
  t.match(d[0]!.message, /unsupported key \(ec secp384r1\): gen-userdata handles ECDSA P-256 and RSA of 2048 bits or more/);
});

t.test('the ECDSA fixtures parse, and a key swapped between them is caught', async (t) => {
  const ecdsa = fixtureText('lab-ecdsa-secrets.yaml');
  const parsed = parseSecrets(ecdsa, 'lab-ecdsa-secrets.yaml');
  t.ok(parsed.ok, JSON.stringify(parsed.ok ? [] : parsed.diagnostics));
  if (!parsed.ok) return;
  const other = parseSecrets(fixtureText('ha-ecdsa-secrets.yaml'), 'ha-ecdsa-secrets.yaml');
  if (!other.ok) throw new Error('ha-ecdsa fixture');
  const swapped = serializeSecrets({ ...parsed.value, etcdCa: { cert: parsed.value.etcdCa.cert, key: other.value.etcdCa.key } });
  t.same(failures(t, swapped).map((x) => x.path), ['/etcdCa/key']);
  const saSwapped = serializeSecrets({ ...parsed.value, serviceAccount: { ...parsed.value.serviceAccount, privateKey: other.value.serviceAccount.privateKey } });
  t.same(failures(t, saSwapped).map((x) => x.path), ['/serviceAccount/publicKey']);
});

t.test('empty file and wrong top-level type', async (t) => {
  const empty = failures(t, '# only a comment\n');
  t.same(empty.map((x) => [x.path, x.line]), [['', 1]]);
  t.match(empty[0]!.message, /empty/);
  const list = failures(t, '- a\n- b\n');
  t.same(list.map((x) => [x.path, x.line, x.message]), [['', 1, 'must be a mapping']]);
});

t.test('an unquoted number where a string belongs gets a hint', async (t) => {
  const text = labText.replace('ttl: 24h', 'ttl: 0');
  const d = failures(t, text);
  t.same(d.map((x) => [x.path, x.line]), [['/bootstrapToken/ttl', lineOf(text, 'bootstrapToken', 'ttl')]]);
  t.match(d[0]!.message, /must be a string \(quote it/);
});

t.test('diagnostics never throw on arbitrary text', async (t) => {
  for (const text of ['\0', ':::', 'ca: {cert: 1, key: 2}', '{"a":', 'clusterName: [', '%YAML 9.9\n---\n']) {
    t.doesNotThrow(() => parseSecrets(text, 'x'));
    t.equal(parseSecrets(text, 'x').ok, false);
  }
});

function parsedPublicKeyOf(certPem: string): string {
  return new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

t.test('encryption keys: optional (bundles from before them), 32 bytes of base64, unique names, kept byte for byte', async (t) => {
  const without = clone();
  delete without.encryptionKeys;
  const old = parseSecrets(serializeSecrets(without), 'old.yaml');
  t.ok(old.ok && old.value.encryptionKeys === undefined, 'a bundle without keys still loads');
  t.equal(serializeSecrets(lab), labText, 'a bundle with keys round-trips byte for byte');
  const bad = (keys: { name: string; secret: string }[]) => {
    const r = parseSecrets(serializeSecrets({ ...clone(), encryptionKeys: keys }), 'bad.yaml');
    return r.ok ? [] : r.diagnostics.map((d) => [d.path, d.message]);
  };
  const good = Buffer.alloc(32, 7).toString('base64');
  t.same(bad([{ name: 'key1', secret: Buffer.alloc(31, 7).toString('base64') }]), [['/encryptionKeys/0/secret', 'malformed value (expected the base64 encoding of 32 bytes (44 characters ending in "="))']]);
  t.same(bad([{ name: 'key1', secret: good }, { name: 'key1', secret: good }]), [['/encryptionKeys/1/name', 'encryption key name key1 is used twice']]);
  t.same(bad([{ name: 'primary', secret: good }]), [['/encryptionKeys/0/name', 'malformed value (expected key1, key2, …)']]);
  t.same(bad([]).map((d) => d[0]), ['/encryptionKeys'], 'an empty list is refused');
});

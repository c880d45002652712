// A fresh secrets bundle, for each key algorithm, checked with the real openssl:
// chains, the kubeadm CA and client profiles, key/cert pairs, sa.pub, and what
// the injected clock and randomness make reproducible.
import t from 'tap';
import { createClusterSecrets } from '../../src/pki/cluster-secrets.js';
import { formatToken } from '../../src/pki/bootstrap-token.js';
import { KEY_ALGORITHMS, type KeyAlgorithm } from '../../src/pki/key-algorithm.js';
import type { ClusterSecrets } from '../../src/pki/types.js';
import { seededRandomBytes } from '../fixtures/secrets/seeded-random.js';
import { certDates, certPublicKey, certText, openssl, privateKeyPublicKey } from '../fixtures/secrets/openssl.js';

const now = new Date('2026-03-04T05:06:07Z');
// openssl checks validity against this instant, not the machine clock.
const attime = String(now.getTime() / 1000 + 60);

/** What openssl shows for each algorithm. */
const EXPECT: Record<KeyAlgorithm, { keyPem: RegExp; signature: string; publicKey: RegExp; caUsage: string; clientUsage: string }> = {
  'ecdsa-p256': {
    keyPem: /^-----BEGIN EC PRIVATE KEY-----\n/,
    signature: 'ecdsa-with-SHA256',
    publicKey: /Public-Key: \(256 bit\)[\s\S]*NIST CURVE: P-256/,
    caUsage: 'Digital Signature, Certificate Sign',
    clientUsage: 'Digital Signature',
  },
  'rsa-2048': {
    keyPem: /^-----BEGIN RSA PRIVATE KEY-----\n/,
    signature: 'sha256WithRSAEncryption',
    publicKey: /Public-Key: \(2048 bit\)/,
    caUsage: 'Digital Signature, Key Encipherment, Certificate Sign',
    clientUsage: 'Digital Signature, Key Encipherment',
  },
};

const make = (keyAlgorithm: KeyAlgorithm): Promise<ClusterSecrets> =>
  createClusterSecrets({ clusterName: 'demo', now, randomBytes: seededRandomBytes('cluster-secrets.test'), tokenTtl: '24h', keyAlgorithm });

for (const algorithm of KEY_ALGORITHMS) {
  const expect = EXPECT[algorithm];
  t.test(algorithm, async (t) => {
    const s = await make(algorithm);
    const cas = [
      ['ca', s.ca, 'kubernetes'],
      ['frontProxyCa', s.frontProxyCa, 'front-proxy-ca'],
      ['etcdCa', s.etcdCa, 'etcd-ca'],
    ] as const;
    const dir = t.testdir({
      'ca.crt': s.ca.cert,
      'ca.key': s.ca.key,
      'front-proxy-ca.crt': s.frontProxyCa.cert,
      'etcd-ca.crt': s.etcdCa.cert,
      'admin.crt': s.admin.cert,
      'sa.pub': s.serviceAccount.publicKey,
      'sa.key': s.serviceAccount.privateKey,
    });

    t.test('bundle metadata', async (t) => {
      t.equal(s.clusterName, 'demo');
      t.equal(s.createdAt, '2026-03-04T05:06:07.000Z');
      t.equal(s.bootstrapToken.createdAt, s.createdAt);
      t.equal(s.bootstrapToken.ttl, '24h');
      t.match(formatToken(s.bootstrapToken), /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    });

    t.test('openssl verify: admin.crt chains to ca.crt, and only to it', async (t) => {
      const ok = openssl(['verify', '-attime', attime, '-x509_strict', '-CAfile', 'ca.crt', 'admin.crt'], { cwd: dir });
      t.equal(ok.status, 0, ok.stderr);
      t.match(ok.stdout, /admin\.crt: OK/);
      const wrong = openssl(['verify', '-attime', attime, '-CAfile', 'etcd-ca.crt', 'admin.crt'], { cwd: dir });
      t.not(wrong.status, 0, 'another CA does not verify it');
    });

    t.test('the 5-minute backdate is real: valid 299 s before now, not 301 s before', async (t) => {
      const at = (offset: number) => String(now.getTime() / 1000 + offset);
      const early = openssl(['verify', '-attime', at(-299), '-CAfile', 'ca.crt', 'admin.crt'], { cwd: dir });
      t.equal(early.status, 0, early.stderr);
      const tooEarly = openssl(['verify', '-attime', at(-301), '-CAfile', 'ca.crt', 'admin.crt'], { cwd: dir });
      t.not(tooEarly.status, 0);
      t.match(tooEarly.stdout + tooEarly.stderr, /not yet valid/);
    });

    t.test('each CA verifies against itself', async (t) => {
      for (const f of ['ca.crt', 'front-proxy-ca.crt', 'etcd-ca.crt']) {
        const r = openssl(['verify', '-attime', attime, '-x509_strict', '-CAfile', f, f], { cwd: dir });
        t.equal(r.status, 0, `${f}: ${r.stderr}`);
      }
    });

    t.test('each key matches its certificate, in the PEM form kubeadm writes', async (t) => {
      for (const [name, pair] of [...cas.map(([n, p]) => [n, p] as const), ['admin', s.admin] as const]) {
        t.equal(privateKeyPublicKey(pair.key), certPublicKey(pair.cert), `${name} public key`);
        t.match(pair.key, expect.keyPem, `${name} key PEM type`);
      }
      t.equal(new Set(cas.map(([, p]) => certPublicKey(p.cert))).size, 3, 'the three CAs have distinct keys');
    });

    t.test('sa.pub is the public half of sa.key', async (t) => {
      t.match(s.serviceAccount.publicKey, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
      t.match(s.serviceAccount.privateKey, expect.keyPem);
      const fromKey = openssl(['pkey', '-in', 'sa.key', '-pubout'], { cwd: dir });
      t.equal(fromKey.status, 0, fromKey.stderr);
      t.equal(fromKey.stdout, s.serviceAccount.publicKey);
      t.match(openssl(['pkey', '-in', 'sa.key', '-noout', '-text'], { cwd: dir }).stdout, algorithm === 'rsa-2048' ? /Private-Key: \(2048 bit/ : /Private-Key: \(256 bit\)[\s\S]*P-256/);
    });

    t.test('CA profile as openssl sees it', async (t) => {
      for (const [name, pair, cn] of cas) {
        const text = certText(pair.cert);
        t.match(text, new RegExp(`Subject: CN ?= ?${cn}\\n`), `${name} subject`);
        t.match(text, new RegExp(`Issuer: CN ?= ?${cn}\\n`), `${name} self-issued`);
        t.match(text, /Version: 3 \(0x2\)/);
        t.match(text, /X509v3 Basic Constraints: critical\n\s+CA:TRUE\n/, `${name} CA:TRUE critical`);
        t.match(text, new RegExp(`X509v3 Key Usage: critical\\n\\s+${expect.caUsage}\\n`), `${name} key usage`);
        t.match(text, /X509v3 Subject Key Identifier: \n?\s+[0-9A-F:]{59}\n/, `${name} SKI`);
        t.notMatch(text, /Authority Key Identifier/, `${name}: no AKI, like kubeadm's CAs`);
        t.match(text, new RegExp(`Signature Algorithm: ${expect.signature}`));
        t.match(text, expect.publicKey);
        const serial = openssl(['x509', '-noout', '-serial'], { input: pair.cert }).stdout.trim();
        t.match(serial, /^serial=[4-7][0-9A-F]{31}$/, `${name} serial: 16 random bytes, positive`);

        const { notBefore, notAfter } = certDates(pair.cert);
        t.equal(notBefore.toISOString(), '2026-03-04T05:01:07.000Z', `${name} notBefore = now - 5 min`);
        t.equal(notAfter.getTime() - notBefore.getTime(), 3650 * 86400 * 1000, `${name} valid 10 x 365 days`);
      }
      // The purpose check confirms openssl accepts it as a CA for signing client certs.
      const purpose = openssl(['x509', '-noout', '-purpose'], { input: s.ca.cert }).stdout;
      t.match(purpose, /SSL client CA : Yes/);
    });

    t.test('admin client certificate as openssl sees it', async (t) => {
      const text = certText(s.admin.cert);
      t.match(text, /Subject: O ?= ?kubeadm:cluster-admins, CN ?= ?kubernetes-admin\n/);
      t.match(text, /Issuer: CN ?= ?kubernetes\n/);
      t.match(text, /X509v3 Extended Key Usage: \n?\s+TLS Web Client Authentication\n/);
      t.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE\n/);
      t.match(text, new RegExp(`X509v3 Key Usage: critical\\n\\s+${expect.clientUsage}\\n`));
      t.match(text, new RegExp(`Signature Algorithm: ${expect.signature}`));
      t.notMatch(text, /Certificate Sign/);
      const caSki = /X509v3 Subject Key Identifier: \n?\s+([0-9A-F:]+)\n/.exec(certText(s.ca.cert))![1]!;
      t.match(text, new RegExp(`X509v3 Authority Key Identifier: \\n?\\s+(keyid:)?${caSki}\\n`), 'AKI = CA SKI');
      const { notBefore, notAfter } = certDates(s.admin.cert);
      t.equal(notBefore.toISOString(), '2026-03-04T05:01:07.000Z');
      t.equal(notAfter.getTime() - notBefore.getTime(), 8760 * 3600 * 1000, 'one year');
      const purpose = openssl(['x509', '-noout', '-purpose'], { input: s.admin.cert }).stdout;
      t.match(purpose, /SSL client : Yes/);
      t.match(purpose, /SSL server : No/);
    });

    t.test('serials and token are reproducible from the injected randomness; keys are not', async (t) => {
      const again = await make(algorithm);
      t.same(again.bootstrapToken, s.bootstrapToken);
      const serial = (pem: string) => openssl(['x509', '-noout', '-serial'], { input: pem }).stdout;
      for (const k of ['ca', 'frontProxyCa', 'etcdCa', 'admin'] as const) t.equal(serial(again[k].cert), serial(s[k].cert), `${k} serial`);
      t.not(again.ca.key, s.ca.key);
      t.not(again.serviceAccount.privateKey, s.serviceAccount.privateKey);
    });
  });
}

t.test('randomness is drawn in a fixed order: CA, front-proxy CA, etcd CA serials, token, admin serial', async (t) => {
  // The same draws as before keys were generated concurrently, so a seeded run
  // gives the same serials and token for either algorithm.
  const [e, r] = [await make('ecdsa-p256'), await make('rsa-2048')];
  const serial = (pem: string) => openssl(['x509', '-noout', '-serial'], { input: pem }).stdout;
  for (const k of ['ca', 'frontProxyCa', 'etcdCa', 'admin'] as const) t.equal(serial(e[k].cert), serial(r[k].cert), k);
  t.same(e.bootstrapToken, r.bootstrapToken);
});

import t from 'tap';
import { createClusterSecrets } from '../../src/pki/cluster-secrets.js';
import { parseSecrets } from '../../src/pki/parse-secrets.js';
import { secretsKeyAlgorithm } from '../../src/pki/key-algorithm.js';
import { FIXTURE_NOW, FIXTURE_TOKEN_TTL, FIXTURES } from '../fixtures/secrets/fixture-params.js';
import { certDates, fixtureText, openssl } from '../fixtures/secrets/openssl.js';
import { seededRandomBytes } from '../fixtures/secrets/seeded-random.js';

const serial = (pem: string) => openssl(['x509', '-noout', '-serial'], { input: pem }).stdout.trim();
const attime = String(FIXTURE_NOW.getTime() / 1000 + 60);

for (const f of FIXTURES) {
  t.test(`${f.file} is valid and matches its documented recipe`, async (t) => {
    const parsed = parseSecrets(fixtureText(f.file), f.file);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
    const s = parsed.value;
    t.equal(s.clusterName, f.clusterName);
    t.equal(s.createdAt, FIXTURE_NOW.toISOString());

    const dir = t.testdir({ 'ca.crt': s.ca.cert, 'admin.crt': s.admin.cert, 'fp.crt': s.frontProxyCa.cert, 'etcd.crt': s.etcdCa.cert });
    for (const [ca, leaf] of [['ca.crt', 'admin.crt'], ['ca.crt', 'ca.crt'], ['fp.crt', 'fp.crt'], ['etcd.crt', 'etcd.crt']]) {
      const r = openssl(['verify', '-attime', attime, '-x509_strict', '-CAfile', ca!, leaf!], { cwd: dir });
      t.equal(r.status, 0, `${leaf} against ${ca}: ${r.stderr}`);
    }
    t.equal(certDates(s.ca.cert).notBefore.toISOString(), '2025-12-31T23:55:00.000Z');

    // Re-running the recipe reproduces everything that comes from the injected
    // clock and randomness (keys are fresh, so PEMs differ).
    t.equal(secretsKeyAlgorithm(s), f.keyAlgorithm, 'the algorithm is read from the keys');
    const again = await createClusterSecrets({
      clusterName: f.clusterName,
      now: FIXTURE_NOW,
      randomBytes: seededRandomBytes(f.seed),
      tokenTtl: FIXTURE_TOKEN_TTL,
      keyAlgorithm: f.keyAlgorithm,
    });
    t.same(again.bootstrapToken, s.bootstrapToken);
    t.same(again.encryptionKeys, s.encryptionKeys, 'the encryption key comes from the seeded randomness, drawn last');
    for (const k of ['ca', 'frontProxyCa', 'etcdCa', 'admin'] as const) {
      t.equal(serial(again[k].cert), serial(s[k].cert), `${k} serial`);
    }
  });
}

t.test('the fixtures are different clusters', async (t) => {
  const all = FIXTURES.map((f) => parseSecrets(fixtureText(f.file), f.file));
  const values = all.flatMap((r) => (r.ok ? [r.value] : []));
  t.equal(values.length, FIXTURES.length);
  t.equal(new Set(values.map((v) => v.ca.cert)).size, FIXTURES.length);
  t.equal(new Set(values.map((v) => v.bootstrapToken.id)).size, FIXTURES.length);
});

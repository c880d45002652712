import t from 'tap';
import { caCertHash } from '../../src/pki/ca-cert-hash.js';
import { createCertificateAuthority } from '../../src/pki/certificate-authority.js';
import { parseSecrets } from '../../src/pki/parse-secrets.js';
import { KEY_ALGORITHMS } from '../../src/pki/key-algorithm.js';
import { bash, fixtureText } from '../fixtures/secrets/openssl.js';
import { seededRandomBytes } from '../fixtures/secrets/seeded-random.js';

/**
 * The pipeline kubeadm's docs give for --discovery-token-ca-cert-hash (RSA), and
 * the same with `openssl pkey` in place of `openssl rsa` for any key type (EC).
 */
const PIPELINES = {
  rsa: 'openssl x509 -pubkey -in ca.crt | openssl rsa -pubin -outform der 2>/dev/null | openssl dgst -sha256',
  any: 'openssl x509 -pubkey -noout -in ca.crt | openssl pkey -pubin -outform der | openssl dgst -sha256',
};
function opensslHash(dir: string, pipeline: keyof typeof PIPELINES = 'rsa'): string {
  const r = bash(PIPELINES[pipeline], dir);
  if (r.status !== 0) throw new Error(r.stderr);
  // "SHA2-256(stdin)= <hex>" (OpenSSL 3) or "(stdin)= <hex>" (1.1)
  const m = /= ([0-9a-f]{64})\s*$/.exec(r.stdout);
  if (!m) throw new Error(`unexpected dgst output: ${r.stdout}`);
  return m[1]!;
}

t.test('equals the openssl pipeline for the committed RSA fixtures', async (t) => {
  for (const f of ['lab-secrets.yaml', 'ha-secrets.yaml']) {
    const parsed = parseSecrets(fixtureText(f), f);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
    for (const ca of [parsed.value.ca, parsed.value.etcdCa]) {
      const dir = t.testdir({ 'ca.crt': ca.cert });
      const hash = caCertHash(ca.cert);
      t.match(hash, /^sha256:[0-9a-f]{64}$/);
      t.equal(hash, `sha256:${opensslHash(dir)}`, f);
      t.equal(hash, `sha256:${opensslHash(dir, 'any')}`, `${f} (openssl pkey)`);
    }
  }
});

t.test('equals the openssl pkey pipeline for the committed ECDSA fixtures', async (t) => {
  for (const f of ['lab-ecdsa-secrets.yaml', 'ha-ecdsa-secrets.yaml']) {
    const parsed = parseSecrets(fixtureText(f), f);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
    for (const ca of [parsed.value.ca, parsed.value.etcdCa]) {
      const dir = t.testdir({ 'ca.crt': ca.cert });
      t.equal(caCertHash(ca.cert), `sha256:${opensslHash(dir, 'any')}`, f);
      // The same pipeline through `sha256sum`, as the issue states it.
      const r = bash('openssl x509 -pubkey -noout -in ca.crt | openssl pkey -pubin -outform der | sha256sum', dir);
      t.equal(caCertHash(ca.cert), `sha256:${r.stdout.split(' ')[0]}`, `${f} (sha256sum)`);
    }
  }
});

for (const keyAlgorithm of KEY_ALGORITHMS) {
  t.test(`equals the openssl pipeline for a fresh ${keyAlgorithm} CA, and differs between CAs`, async (t) => {
    const rnd = seededRandomBytes('hash');
    const now = new Date('2026-01-01T00:00:00Z');
    const a = await createCertificateAuthority({ commonName: 'kubernetes', now, randomBytes: rnd, keyAlgorithm });
    const b = await createCertificateAuthority({ commonName: 'kubernetes', now, randomBytes: rnd, keyAlgorithm });
    t.equal(caCertHash(a.cert), `sha256:${opensslHash(t.testdir({ 'ca.crt': a.cert }), keyAlgorithm === 'rsa-2048' ? 'rsa' : 'any')}`);
    t.not(caCertHash(a.cert), caCertHash(b.cert));
  });
}

t.test('throws on something that is not a certificate', async (t) => {
  t.throws(() => caCertHash('not a pem'));
});

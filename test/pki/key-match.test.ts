import t from 'tap';
import { keyMatchesCertificate, publicKeyMatchesPrivateKey } from '../../src/pki/key-match.js';
import { parseSecrets } from '../../src/pki/parse-secrets.js';
import { certModulus, fixtureText, keyModulus } from '../fixtures/secrets/openssl.js';

const parsed = parseSecrets(fixtureText('lab-secrets.yaml'), 'lab-secrets.yaml');
if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
const s = parsed.value;
const pairs = { ca: s.ca, frontProxyCa: s.frontProxyCa, etcdCa: s.etcdCa, admin: s.admin };

t.test('agrees with openssl modulus comparison for every cert/key combination', async (t) => {
  for (const [cn, c] of Object.entries(pairs)) {
    for (const [kn, k] of Object.entries(pairs)) {
      const openSslSays = certModulus(c.cert) === keyModulus(k.key);
      t.equal(openSslSays, cn === kn, `openssl: ${cn} cert vs ${kn} key`);
      t.equal(keyMatchesCertificate(c.cert, k.key), openSslSays, `ours: ${cn} cert vs ${kn} key`);
    }
  }
});

t.test('unparseable input is "no match", not an exception', async (t) => {
  t.equal(keyMatchesCertificate('garbage', s.ca.key), false);
  t.equal(keyMatchesCertificate(s.ca.cert, 'garbage'), false);
  t.equal(keyMatchesCertificate(s.ca.cert, s.serviceAccount.publicKey), false, 'a public key is not a private key');
});

t.test('service-account public key vs private key', async (t) => {
  t.equal(publicKeyMatchesPrivateKey(s.serviceAccount.publicKey, s.serviceAccount.privateKey), true);
  t.equal(publicKeyMatchesPrivateKey(s.serviceAccount.publicKey, s.ca.key), false);
  t.equal(publicKeyMatchesPrivateKey('garbage', s.serviceAccount.privateKey), false);
});

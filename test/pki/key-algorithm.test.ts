import t from 'tap';
import { generateKeyPairSync } from 'node:crypto';
import { describeKeyAlgorithm, keyAlgorithmMismatch, keyAlgorithmOf, secretsKeyAlgorithm } from '../../src/pki/key-algorithm.js';
import { fixtureSecrets } from '../helpers/fixtures.js';

t.test('keyAlgorithmOf names the keys gen-userdata can sign with, and only those', async (t) => {
  t.equal(keyAlgorithmOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey), 'ecdsa-p256');
  t.equal(keyAlgorithmOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey), 'rsa-2048');
  t.equal(keyAlgorithmOf(generateKeyPairSync('rsa', { modulusLength: 3072 }).publicKey), 'rsa-3072', 'a hand-made larger RSA key');
  t.equal(keyAlgorithmOf(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey), undefined, 'below kubeadm\'s minimum');
  t.equal(keyAlgorithmOf(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey), undefined);
  t.equal(keyAlgorithmOf(generateKeyPairSync('ed25519').publicKey), undefined);
});

t.test('secretsKeyAlgorithm reads the algorithm from the bundle\'s keys', async (t) => {
  t.equal(secretsKeyAlgorithm(fixtureSecrets('lab')), 'rsa-2048', 'an old bundle, made before the choice existed');
  t.equal(secretsKeyAlgorithm(fixtureSecrets('ha-ecdsa')), 'ecdsa-p256');
  t.equal(describeKeyAlgorithm('ecdsa-p256'), 'ECDSA P-256');
  t.equal(describeKeyAlgorithm('rsa-2048'), 'RSA 2048');
});

t.test('only an explicit profile value that disagrees with the bundle is a problem', async (t) => {
  const file = 'out/lab/secrets.yaml';
  t.equal(keyAlgorithmMismatch({ keyAlgorithm: 'ecdsa-p256', keyAlgorithmExplicit: false }, 'rsa-2048', file), undefined, 'a default never overrides the file');
  t.equal(keyAlgorithmMismatch({ keyAlgorithm: 'rsa-2048', keyAlgorithmExplicit: true }, 'rsa-2048', file), undefined, 'agreeing');
  const m = keyAlgorithmMismatch({ keyAlgorithm: 'rsa-2048', keyAlgorithmExplicit: true }, 'ecdsa-p256', file);
  t.equal(m?.code, 'key-algorithm-mismatch');
  t.equal(m?.path, '/pki/keyAlgorithm');
  t.match(m?.message, /asks for rsa-2048 keys, but out\/lab\/secrets\.yaml holds a cluster whose keys are ECDSA P-256/);
  t.match(m?.message, /To keep this cluster, set pki\.keyAlgorithm to ecdsa-p256 or remove it/, 'way out 1');
  t.match(m?.message, /move out\/lab\/secrets\.yaml away and run again/, 'way out 2');
  t.ok(keyAlgorithmMismatch({ keyAlgorithm: 'rsa-2048', keyAlgorithmExplicit: true }, 'rsa-4096', file), 'a larger RSA key is not rsa-2048');
});

import { createRequire } from 'node:module';
import forge from 'node-forge';
import t from 'tap';
import { generateRsaKeyPair, nativeKeyGenerationAvailable, RSA_BITS } from '../../src/pki/rsa-key.js';

// forge requires 'crypto' through CommonJS; this is the very object it calls.
const nodeCrypto = createRequire(import.meta.url)('crypto') as typeof import('node:crypto');
const forgeOptions = (forge as unknown as { options: { usePureJavaScript: boolean } }).options;
// forge's entry point to its pure-JS prime search (missing from @types/node-forge).
type PureJsEntry = (...args: unknown[]) => unknown;
const forgeRsa = forge.pki.rsa as unknown as { createKeyPairGenerationState: PureJsEntry };

t.test('forge reports the native Node path as usable', async (t) => {
  t.equal(forgeOptions.usePureJavaScript, false);
  t.equal(nativeKeyGenerationAvailable(), true);
});

t.test('key generation delegates to crypto.generateKeyPairSync, never the pure-JS search', async (t) => {
  const native = nodeCrypto.generateKeyPairSync;
  const pureJs = forgeRsa.createKeyPairGenerationState;
  const nativeCalls: unknown[][] = [];
  let pureJsCalls = 0;
  nodeCrypto.generateKeyPairSync = ((...args: unknown[]) => {
    nativeCalls.push(args);
    return (native as (...a: unknown[]) => unknown)(...args);
  }) as typeof native;
  forgeRsa.createKeyPairGenerationState = (...args: unknown[]) => {
    pureJsCalls++;
    return pureJs(...args);
  };
  t.teardown(() => {
    nodeCrypto.generateKeyPairSync = native;
    forgeRsa.createKeyPairGenerationState = pureJs;
  });

  const keys = generateRsaKeyPair();
  t.equal(nativeCalls.length, 1, 'crypto.generateKeyPairSync called once');
  t.match(nativeCalls, [['rsa', { modulusLength: 2048, publicExponent: 0x10001 }]]);
  t.equal(pureJsCalls, 0, 'pure-JS prime search never started');
  t.equal(keys.publicKey.n.bitLength(), RSA_BITS);
  t.equal(keys.publicKey.e.intValue(), 0x10001);
});

t.test('keys differ on every call (not injected randomness)', async (t) => {
  const a = generateRsaKeyPair();
  const b = generateRsaKeyPair();
  t.not(a.publicKey.n.toString(16), b.publicKey.n.toString(16));
});

t.test('refuses the slow path instead of silently taking it', async (t) => {
  forgeOptions.usePureJavaScript = true;
  t.teardown(() => {
    forgeOptions.usePureJavaScript = false;
  });
  t.equal(nativeKeyGenerationAvailable(), false);
  t.throws(() => generateRsaKeyPair(), /native RSA key generation unavailable/);
});

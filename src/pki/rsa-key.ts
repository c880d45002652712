import type forge from 'node-forge';
import nodeCrypto from 'node:crypto';
import { nodeForge } from './node-forge.js';

/** RSA modulus size for every key we make (kubeadm's default). */
export const RSA_BITS = 2048;
const RSA_EXPONENT = 0x10001;

/**
 * True when forge.pki.rsa.generateKeyPair will take its native path, i.e.
 * delegate to Node's crypto.generateKeyPairSync (~0.1 s per key) instead of
 * its pure-JavaScript prime search (~3 s). Mirrors forge's own condition.
 */
export function nativeKeyGenerationAvailable(): boolean {
  // Both flags exist at runtime but are missing from @types/node-forge;
  // isNodejs is the Node version string (truthy), as forge tests it.
  const f = nodeForge() as unknown as { options?: { usePureJavaScript?: boolean }; util: { isNodejs?: unknown } };
  return (
    f.options?.usePureJavaScript !== true &&
    Boolean(f.util.isNodejs) &&
    typeof nodeCrypto.generateKeyPairSync === 'function'
  );
}

/**
 * Generates a fresh RSA-2048 key pair.
 *
 * This is the only randomness that is not injected: forge's native path uses
 * Node's CSPRNG, and passing a custom prng (which injection would need) forces
 * the slow pure-JS path. So keys differ on every call even with a seeded
 * randomBytes; everything else (serials, tokens, dates) is reproducible.
 *
 * Throws (a bug/environment problem, not user input) when the native path is
 * unavailable, rather than silently taking ~3 s per key.
 */
export function generateRsaKeyPair(): forge.pki.rsa.KeyPair {
  if (!nativeKeyGenerationAvailable()) {
    throw new Error('native RSA key generation unavailable (forge.options.usePureJavaScript set or not running on Node)');
  }
  // No options object and no prng: that is what selects forge's native branch.
  return nodeForge().pki.rsa.generateKeyPair(RSA_BITS, RSA_EXPONENT);
}

import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { KeyAlgorithm } from './key-algorithm.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** A freshly generated key pair as Node key objects. */
export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * Generates a key pair of the given algorithm with Node's native crypto, on
 * libuv's thread pool: independent calls run concurrently (an RSA-2048 key
 * costs ~50–150 ms of CPU, a P-256 key well under 1 ms).
 *
 * This is the one randomness that is not injected: keys come from Node's
 * CSPRNG, so two calls never yield the same key even with a seeded
 * randomBytes; serials, tokens and dates stay reproducible.
 */
export async function generateClusterKeyPair(algorithm: KeyAlgorithm): Promise<KeyPair> {
  return algorithm === 'rsa-2048'
    ? generateKeyPairAsync('rsa', { modulusLength: 2048, publicExponent: 0x10001 })
    : generateKeyPairAsync('ec', { namedCurve: 'P-256' });
}

/**
 * PEM of a private key in the form kubeadm itself writes (client-go keyutil
 * MarshalPrivateKeyToPEM): RSA as PKCS#1 "RSA PRIVATE KEY", ECDSA as SEC1
 * "EC PRIVATE KEY". kubeadm, etcd and kube-apiserver load both (keyutil
 * ParsePrivateKeyPEM also takes PKCS#8). Throws (a bug) for other key types.
 */
export function privateKeyPem(key: KeyObject): string {
  if (key.asymmetricKeyType === 'rsa') return key.export({ type: 'pkcs1', format: 'pem' }) as string;
  if (key.asymmetricKeyType === 'ec') return key.export({ type: 'sec1', format: 'pem' }) as string;
  throw new Error(`unsupported private key type ${String(key.asymmetricKeyType)}`);
}

/** PEM "PUBLIC KEY" (SubjectPublicKeyInfo) of a public or private key, as kubeadm writes sa.pub. */
export function publicKeyPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }) as string;
}

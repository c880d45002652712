import { createPrivateKey, type KeyObject } from 'node:crypto';

/** Key algorithms gen-userdata creates cluster keys with (profile `pki.keyAlgorithm`). */
export const KEY_ALGORITHMS = ['ecdsa-p256', 'rsa-2048'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/** The smallest RSA key accepted in a secrets bundle (kubeadm's own minimum). */
export const MIN_RSA_BITS = 2048;

/**
 * Names the algorithm of a key in the profile's terms: "ecdsa-p256" or
 * "rsa-<bits>" (a hand-made bundle may hold larger RSA keys). Returns undefined
 * for anything gen-userdata cannot sign with (other curves, Ed25519, DSA,
 * RSA-PSS, RSA under 2048 bits). Never throws.
 */
export function keyAlgorithmOf(key: KeyObject): string | undefined {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return 'ecdsa-p256';
  if (key.asymmetricKeyType === 'rsa' && details?.modulusLength !== undefined && details.modulusLength >= MIN_RSA_BITS) {
    return `rsa-${details.modulusLength}`;
  }
  return undefined;
}

/** Human name of an algorithm for messages: "ECDSA P-256", "RSA 2048". */
export function describeKeyAlgorithm(algorithm: string): string {
  if (algorithm === 'ecdsa-p256') return 'ECDSA P-256';
  const rsa = /^rsa-(\d+)$/.exec(algorithm);
  return rsa ? `RSA ${rsa[1]}` : algorithm;
}

/**
 * The algorithm a secrets bundle was made with: that of its cluster CA key
 * ("ecdsa-p256", "rsa-2048", ...). Read from the keys, never stored apart, so
 * bundles made before the choice existed (all RSA-2048) report it too.
 * Throws (a bug) when the key does not parse: parseSecrets checks it.
 */
export function secretsKeyAlgorithm(secrets: { ca: { key: string } }): string {
  const algorithm = keyAlgorithmOf(createPrivateKey(secrets.ca.key));
  if (algorithm === undefined) throw new Error('unsupported cluster CA key (parseSecrets rejects it)');
  return algorithm;
}

/**
 * The problem when a profile's explicit `pki.keyAlgorithm` disagrees with the
 * algorithm of an existing secrets bundle (`fileAlgorithm`, at `secretsFile`),
 * with both ways out; undefined when they agree or the profile does not say
 * (then the bundle's algorithm simply stays). Pure.
 */
export function keyAlgorithmMismatch(
  pki: { keyAlgorithm: KeyAlgorithm; keyAlgorithmExplicit: boolean },
  fileAlgorithm: string,
  secretsFile: string,
): { code: string; path: string; message: string } | undefined {
  if (!pki.keyAlgorithmExplicit || pki.keyAlgorithm === fileAlgorithm) return undefined;
  return {
    code: 'key-algorithm-mismatch',
    path: '/pki/keyAlgorithm',
    message:
      `the profile asks for ${pki.keyAlgorithm} keys, but ${secretsFile} holds a cluster whose keys are ` +
      `${describeKeyAlgorithm(fileAlgorithm)} (${fileAlgorithm}); existing keys are never changed. ` +
      `To keep this cluster, set pki.keyAlgorithm to ${fileAlgorithm} or remove it. ` +
      `To make a new cluster with ${pki.keyAlgorithm} keys, move ${secretsFile} away and run again ` +
      `(new CAs: nodes built from the old files will not join it).`,
  };
}

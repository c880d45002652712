import type { RandomBytes } from './random.js';
import type { ClusterSecrets, EncryptionKey } from './types.js';

/** Bytes of a secretbox key (XSalsa20-Poly1305). */
export const ENCRYPTION_KEY_BYTES = 32;

/**
 * A new encryption-at-rest key named after the keys it joins: key1 for the first,
 * then one above the highest name in `existing`. The 32 bytes come from `randomBytes`.
 */
export function newEncryptionKey(randomBytes: RandomBytes, existing: readonly EncryptionKey[] = []): EncryptionKey {
  const highest = Math.max(0, ...existing.map((k) => Number(k.name.slice(3))));
  return { name: `key${highest + 1}`, secret: Buffer.from(randomBytes(ENCRYPTION_KEY_BYTES)).toString('base64') };
}

/**
 * The bundle with a new key in front (the one the API server encrypts with) and
 * every older key kept after it (still needed to read what they encrypted).
 */
export function withNewEncryptionKey(secrets: ClusterSecrets, randomBytes: RandomBytes): ClusterSecrets {
  const keys = secrets.encryptionKeys ?? [];
  return { ...secrets, encryptionKeys: [newEncryptionKey(randomBytes, keys), ...keys] };
}

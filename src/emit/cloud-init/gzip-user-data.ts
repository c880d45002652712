import { gunzipSync, gzipSync } from 'node:zlib';
import { USER_DATA_FIT_BYTES } from './user-data.js';

/** How `nodes/<node>/user-data` is written: as is, or gzip'd (--compress gzip). */
export type UserDataCompression = 'none' | 'gzip';

/** A gzip encoder that beats zlib's -9 on size (zopfli, loaded by the CLI): deterministic, synchronous. */
export type StrongGzip = (text: Uint8Array) => Uint8Array;

/**
 * A user-data document gzip'd. cloud-init recognises gzip'd user-data by its magic
 * bytes and decompresses it before parsing. zlib -9 first; when that is still above
 * USER_DATA_FIT_BYTES (a control plane's CA material and tools) and `strong` is given,
 * the smaller of the two: zopfli saves another ~4 %, which is what brings the lab
 * control plane under EC2's limit, at ~100× zlib's time, so only where it matters.
 * Deterministic: neither header carries a file name or an mtime.
 */
export function gzipUserData(text: Uint8Array, strong?: StrongGzip): Uint8Array {
  const gz = gzipSync(text, { level: 9 });
  if (strong === undefined || gz.byteLength <= USER_DATA_FIT_BYTES) return gz;
  const smaller = strong(text);
  return smaller.byteLength < gz.byteLength ? smaller : gz;
}

/** True when `bytes` start with the gzip magic (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The uncompressed bytes of a gzip'd user-data. Throws on a corrupt stream (a bug: we wrote it). */
export function gunzipUserData(bytes: Uint8Array): Uint8Array {
  return gunzipSync(bytes);
}

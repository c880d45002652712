import { gunzipSync, gzipSync } from 'node:zlib';

/** How `nodes/<node>/user-data` is written: as is, or gzip'd (--compress gzip). */
export type UserDataCompression = 'none' | 'gzip';

/**
 * gzip -9 of a user-data document. cloud-init recognises gzip'd user-data by its
 * magic bytes and decompresses it before parsing. Deterministic: zlib's gzip header
 * carries no file name and a zero mtime, so the same text gives the same bytes.
 */
export function gzipUserData(text: Uint8Array): Uint8Array {
  return gzipSync(text, { level: 9 });
}

/** True when `bytes` start with the gzip magic (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The uncompressed bytes of a gzip'd user-data. Throws on a corrupt stream (a bug: we wrote it). */
export function gunzipUserData(bytes: Uint8Array): Uint8Array {
  return gunzipSync(bytes);
}

/**
 * ECMA-119 6.9 / 9.4 path tables for a volume whose only directory is the
 * root: one record, recorded once least-significant-byte first (type L) and
 * once most-significant-byte first (type M).
 */
import { putBe16, putBe32, putLe16, putLe32, putU8 } from './byte-fields.js';

/** Size of the single root path table record: 8 + LEN_DI (1) + padding to even (9.4.9). */
export const ROOT_PATH_TABLE_SIZE = 10;

/**
 * Returns the path table bytes for a root-only hierarchy whose root
 * directory extent starts at `rootExtent`. `order` picks type L (7.3.1) or
 * type M (7.3.2) encoding. Throws when the extent is out of 32-bit range.
 */
export function rootPathTable(rootExtent: number, order: 'L' | 'M'): Uint8Array {
  const bytes = new Uint8Array(ROOT_PATH_TABLE_SIZE);
  const view = new DataView(bytes.buffer);
  putU8(view, 0, 1); // 9.4.1 LEN_DI: the root's identifier is the single byte (00)
  putU8(view, 1, 0); // 9.4.2 no extended attribute record
  if (order === 'L') {
    putLe32(view, 2, rootExtent);
    putLe16(view, 6, 1); // 9.4.4 parent directory number: the root is its own parent, number 1
  } else {
    putBe32(view, 2, rootExtent);
    putBe16(view, 6, 1);
  }
  bytes[8] = 0x00; // 9.4.5 directory identifier; byte 9 is the 9.4.6 padding field
  return bytes;
}

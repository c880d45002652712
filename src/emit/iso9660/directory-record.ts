/**
 * ECMA-119 9.1 directory records and their packing into directory extents.
 */
import { putBoth16, putBoth32, putU8 } from './byte-fields.js';
import { directoryDate } from './iso-dates.js';

/** Logical block (and sector) size, ECMA-119 6.1.2 / 8.4.12; the only size in practical use. */
export const BLOCK_SIZE = 2048;

/** ECMA-119 9.1.6 file flag bit 1: the record describes a directory. */
export const FLAG_DIRECTORY = 0x02;

/** Identifier bytes of the "." and ".." records (ECMA-119 6.8.2.2: (00) and (01)). */
export const SELF_IDENTIFIER = Uint8Array.of(0x00);
export const PARENT_IDENTIFIER = Uint8Array.of(0x01);

/** Inputs of one directory record. */
export interface DirectoryRecordFields {
  /** First logical block of the extent (9.1.3). */
  extent: number;
  /** Data length in bytes (9.1.4). */
  size: number;
  /** 9.1.6 file flags: 0 for a file, FLAG_DIRECTORY for a directory. */
  flags: number;
  /** File identifier bytes (9.1.11): d-characters, UCS-2 BE for Joliet, or (00)/(01). */
  identifier: Uint8Array;
  /** System Use field contents (9.1.13), e.g. SUSP/Rock Ridge entries; may be empty. */
  systemUse: Uint8Array;
  date: Date;
}

/**
 * Length of a record: 33 fixed bytes + identifier + a padding byte when the
 * identifier length is even (9.1.12, so the System Use field starts on an even
 * offset) + system use, then rounded up to an even length so every record
 * starts on an even offset, as genisoimage writes them. Throws when the result exceeds the one-byte
 * LEN_DR field (255): a bug, since our names and entries are bounded.
 */
export function directoryRecordLength(identifierLength: number, systemUseLength: number): number {
  let length = 33 + identifierLength + (identifierLength % 2 === 0 ? 1 : 0) + systemUseLength;
  if (length % 2 === 1) length++;
  if (length > 255) throw new RangeError(`directory record of ${length} bytes exceeds 255`);
  return length;
}

/** Builds one directory record (ECMA-119 9.1). Throws on out-of-range fields (bugs). */
export function directoryRecord(fields: DirectoryRecordFields): Uint8Array {
  const length = directoryRecordLength(fields.identifier.length, fields.systemUse.length);
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  putU8(view, 0, length); // 9.1.1 LEN_DR
  putU8(view, 1, 0); // 9.1.2 no extended attribute record
  putBoth32(view, 2, fields.extent);
  putBoth32(view, 10, fields.size);
  bytes.set(directoryDate(fields.date), 18);
  putU8(view, 25, fields.flags);
  putU8(view, 26, 0); // 9.1.7 file unit size: not interleaved
  putU8(view, 27, 0); // 9.1.8 interleave gap
  putBoth16(view, 28, 1); // 9.1.9 volume sequence number
  putU8(view, 32, fields.identifier.length);
  bytes.set(fields.identifier, 33);
  const systemUseOffset = 33 + fields.identifier.length + (fields.identifier.length % 2 === 0 ? 1 : 0);
  bytes.set(fields.systemUse, systemUseOffset);
  return bytes;
}

/**
 * Number of blocks a directory with records of these lengths occupies.
 * ECMA-119 6.8.1.1: a record never straddles a logical sector boundary, so a
 * record that does not fit in the rest of a block starts the next one.
 */
export function directoryBlocks(recordLengths: readonly number[]): number {
  let blocks = 1;
  let used = 0;
  for (const length of recordLengths) {
    if (used + length > BLOCK_SIZE) {
      blocks++;
      used = 0;
    }
    used += length;
  }
  return blocks;
}

/**
 * Writes records into `image` starting at block `extent`, following the same
 * packing as directoryBlocks; unused bytes stay zero (a zero LEN_DR tells
 * readers to skip to the next sector). Returns nothing; `image` must be large
 * enough (a bug otherwise, reported by the typed-array set).
 */
export function writeDirectory(image: Uint8Array, extent: number, records: readonly Uint8Array[]): void {
  let block = extent;
  let used = 0;
  for (const record of records) {
    if (used + record.length > BLOCK_SIZE) {
      block++;
      used = 0;
    }
    image.set(record, block * BLOCK_SIZE + used);
    used += record.length;
  }
}

/**
 * ECMA-119 8.4 primary and 8.5 supplementary volume descriptors (the latter
 * carrying Joliet), and the 8.3 volume descriptor set terminator.
 */
import { putBe32, putBoth16, putBoth32, putLe32, putPaddedAscii, putPaddedUcs2, putU8 } from './byte-fields.js';
import { BLOCK_SIZE } from './directory-record.js';
import { volumeDate } from './iso-dates.js';

/** Standard identifier of every volume descriptor (8.1.2). */
const STANDARD_ID = 'CD001';

/**
 * Joliet "SVD Escape Sequences Field": %/E designates UCS-2 level 3
 * (all characters allowed, as genisoimage writes); the remaining 29 bytes stay (00).
 */
const JOLIET_LEVEL3_ESCAPE = Uint8Array.of(0x25, 0x2f, 0x45);

/** Fields that differ between images; everything else is fixed. */
export interface VolumeDescriptorFields {
  volumeId: string;
  /** Volume space size in blocks (8.4.8): the whole image. */
  volumeBlocks: number;
  pathTableSize: number;
  pathTableL: number;
  pathTableM: number;
  /** The 34-byte root directory record (8.4.18). */
  rootRecord: Uint8Array;
  date: Date;
}

/*
 * Identifier fields between bytes 190 and 812 (8.4.19 to 8.4.25): volume set,
 * publisher, data preparer, application (128 bytes each), then copyright,
 * abstract and bibliographic file ids (37 each). We leave them all blank.
 */
const TEXT_FIELDS: ReadonlyArray<[offset: number, width: number]> = [
  [8, 32], // 8.4.5 system identifier
  [190, 128],
  [318, 128],
  [446, 128],
  [574, 128],
  [702, 37],
  [739, 37],
  [776, 37],
];

function descriptor(type: 1 | 2, joliet: boolean, fields: VolumeDescriptorFields): Uint8Array {
  const bytes = new Uint8Array(BLOCK_SIZE);
  const view = new DataView(bytes.buffer);
  const putText = joliet ? putPaddedUcs2 : putPaddedAscii;
  putU8(view, 0, type); // 8.4.1 / 8.5.1 descriptor type
  putPaddedAscii(bytes, 1, 5, STANDARD_ID);
  putU8(view, 6, 1); // 8.4.3 version
  // 8.5.3 volume flags (byte 7) stay 0: the escape sequences are ISO 2375 registered.
  for (const [offset, width] of TEXT_FIELDS) putText(bytes, offset, width, '');
  putText(bytes, 40, 32, fields.volumeId); // 8.4.6 volume identifier
  putBoth32(view, 80, fields.volumeBlocks);
  if (joliet) bytes.set(JOLIET_LEVEL3_ESCAPE, 88); // 8.5.6 escape sequences
  putBoth16(view, 120, 1); // 8.4.10 volume set size
  putBoth16(view, 124, 1); // 8.4.11 volume sequence number
  putBoth16(view, 128, BLOCK_SIZE); // 8.4.12 logical block size
  putBoth32(view, 132, fields.pathTableSize);
  putLe32(view, 140, fields.pathTableL); // 8.4.14; 8.4.15 optional L table stays 0
  putBe32(view, 148, fields.pathTableM); // 8.4.16; 8.4.17 optional M table stays 0
  if (fields.rootRecord.length !== 34) throw new RangeError('root directory record must be 34 bytes');
  bytes.set(fields.rootRecord, 156);
  // 8.4.26-8.4.29: creation and modification dates from the input, so blkid's
  // UUID (derived from them) is deterministic; expiration and effective "not specified".
  bytes.set(volumeDate(fields.date), 813);
  bytes.set(volumeDate(fields.date), 830);
  bytes.set(volumeDate(null), 847);
  bytes.set(volumeDate(null), 864);
  putU8(view, 881, 1); // file structure version (BP 882)
  return bytes;
}

/** Returns the 2048-byte primary volume descriptor (ECMA-119 8.4). Throws on out-of-range fields. */
export function primaryVolumeDescriptor(fields: VolumeDescriptorFields): Uint8Array {
  return descriptor(1, false, fields);
}

/**
 * Returns the 2048-byte Joliet supplementary volume descriptor (ECMA-119 8.5):
 * same layout as the primary, identifiers in UCS-2 BE, escape sequence %/E.
 * Throws on out-of-range fields.
 */
export function jolietVolumeDescriptor(fields: VolumeDescriptorFields): Uint8Array {
  return descriptor(2, true, fields);
}

/** Returns the 2048-byte volume descriptor set terminator (ECMA-119 8.3). */
export function terminatorDescriptor(): Uint8Array {
  const bytes = new Uint8Array(BLOCK_SIZE);
  bytes[0] = 255;
  putPaddedAscii(bytes, 1, 5, STANDARD_ID);
  bytes[6] = 1;
  return bytes;
}

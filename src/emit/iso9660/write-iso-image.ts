/**
 * NoCloud seed images: a flat-root ISO 9660 volume with Joliet and Rock Ridge,
 * written in memory by our own code (no genisoimage/xorriso at run time).
 *
 * Block layout (2048-byte blocks):
 *   0-15   system area, zero (ECMA-119 6.2.1)
 *   16     primary volume descriptor (8.4)
 *   17     Joliet supplementary volume descriptor (8.5)
 *   18     volume descriptor set terminator (8.3)
 *   19-22  path tables: primary L, primary M, Joliet L, Joliet M (6.9)
 *   23     Rock Ridge continuation area holding the ER entry (SUSP 5.1)
 *   24..   primary root directory, then Joliet root directory
 *   ..     file data, files in name order, each starting on a block boundary
 * Nothing else is padded: the volume ends with the last file's last block.
 */
import {
  BLOCK_SIZE,
  FLAG_DIRECTORY,
  PARENT_IDENTIFIER,
  SELF_IDENTIFIER,
  directoryBlocks,
  directoryRecord,
  directoryRecordLength,
  writeDirectory,
} from './directory-record.js';
import { compareIdentifiers } from './identifier-order.js';
import { type IsoFile, type IsoImageInput, validateIsoInput } from './iso-input.js';
import { level1Identifiers } from './level1-names.js';
import { ROOT_PATH_TABLE_SIZE, rootPathTable } from './path-table.js';
import {
  DIRECTORY_MODE,
  FILE_MODE,
  RR_NM,
  RR_PX,
  RR_TF,
  ceEntry,
  erEntry,
  nmEntry,
  pxEntry,
  rrEntry,
  spEntry,
  systemUse,
  tfEntry,
} from './rock-ridge.js';
import { jolietVolumeDescriptor, primaryVolumeDescriptor, terminatorDescriptor } from './volume-descriptor.js';

export type { IsoFile, IsoImageInput } from './iso-input.js';

const PVD_BLOCK = 16;
const JOLIET_SVD_BLOCK = 17;
const TERMINATOR_BLOCK = 18;
const PATH_TABLE_BLOCKS = { primaryL: 19, primaryM: 20, jolietL: 21, jolietM: 22 } as const;
const CONTINUATION_BLOCK = 23;
const PRIMARY_ROOT_BLOCK = 24;

/** A file with its identifiers in both trees and its place in the image. */
interface PlacedFile {
  file: IsoFile;
  /** Level-1 identifier text, e.g. "USER_DAT.;1". */
  level1Name: string;
  level1: Uint8Array;
  joliet: Uint8Array;
  susp: Uint8Array;
  extent: number;
}

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** Joliet file identifiers are UCS-2 big-endian ("Wide Character Byte Ordering"), without ";1" as genisoimage writes them. */
function ucs2be(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[2 * i] = text.charCodeAt(i) >> 8;
    out[2 * i + 1] = text.charCodeAt(i) & 0xff;
  }
  return out;
}

const blocksFor = (bytes: number): number => Math.ceil(bytes / BLOCK_SIZE);

/**
 * Returns the bytes of an ISO 9660 image holding `files` in its root
 * directory, readable with their real names through both Rock Ridge
 * (primary tree) and Joliet, labelled `volumeId` in both descriptors.
 * Output depends only on the input: every date is `date`, files are placed
 * in name order. Throws RangeError/TypeError on an invalid volume id, file
 * name, duplicate name, oversize file or unrecordable date (programmer errors).
 */
export function writeIsoImage(input: IsoImageInput): Uint8Array {
  const files = validateIsoInput(input);
  const { date } = input;
  const level1 = level1Identifiers(files.map((f) => f.name));

  const placed: PlacedFile[] = files.map((file, i) => ({
    file,
    level1Name: level1[i]!,
    level1: ascii(level1[i]!),
    joliet: ucs2be(file.name),
    susp: systemUse(rrEntry(RR_PX | RR_NM | RR_TF), nmEntry(file.name), pxEntry(FILE_MODE, 1), tfEntry(date)),
    extent: 0,
  }));

  const er = erEntry();
  // Root: link count 2 ("." and ".."; no subdirectories). SP must come first (SUSP 5.3).
  const rootSelfSusp = systemUse(
    spEntry(),
    rrEntry(RR_PX | RR_TF),
    pxEntry(DIRECTORY_MODE, 2),
    tfEntry(date),
    ceEntry(CONTINUATION_BLOCK, 0, er.length),
  );
  const rootParentSusp = systemUse(rrEntry(RR_PX | RR_TF), pxEntry(DIRECTORY_MODE, 2), tfEntry(date));

  // Sizes first (they do not depend on locations), then locations, then bytes.
  const primaryBlocks = directoryBlocks([
    directoryRecordLength(1, rootSelfSusp.length),
    directoryRecordLength(1, rootParentSusp.length),
    ...placed.map((p) => directoryRecordLength(p.level1.length, p.susp.length)),
  ]);
  const jolietBlocks = directoryBlocks([
    directoryRecordLength(1, 0),
    directoryRecordLength(1, 0),
    ...placed.map((p) => directoryRecordLength(p.joliet.length, 0)),
  ]);
  const jolietRootBlock = PRIMARY_ROOT_BLOCK + primaryBlocks;
  let next = jolietRootBlock + jolietBlocks;
  const firstDataBlock = next;
  for (const p of placed) {
    // Empty files get no block of their own: length 0 and a location at the
    // start of the data area (genisoimage likewise reuses the next free
    // block). If every file is empty that location equals the volume size;
    // isoinfo, isovfy, xorriso and the Linux kernel accept it, since nothing
    // is read for a zero length.
    p.extent = p.file.data.length === 0 ? firstDataBlock : next;
    next += blocksFor(p.file.data.length);
  }
  const volumeBlocks = next;

  // Zero-filled, which is what the system area (blocks 0-15) and all padding must hold.
  const image = new Uint8Array(volumeBlocks * BLOCK_SIZE);
  const rootRecord = (extent: number, blocks: number, identifier: Uint8Array, susp: Uint8Array) =>
    directoryRecord({ extent, size: blocks * BLOCK_SIZE, flags: FLAG_DIRECTORY, identifier, systemUse: susp, date });
  const empty = new Uint8Array(0);

  // Volume descriptors (ECMA-119 6.7.1: the set starts at block 16, right after the system area).
  const common = { volumeId: input.volumeId, volumeBlocks, pathTableSize: ROOT_PATH_TABLE_SIZE, date };
  image.set(
    primaryVolumeDescriptor({
      ...common,
      pathTableL: PATH_TABLE_BLOCKS.primaryL,
      pathTableM: PATH_TABLE_BLOCKS.primaryM,
      rootRecord: rootRecord(PRIMARY_ROOT_BLOCK, primaryBlocks, SELF_IDENTIFIER, empty),
    }),
    PVD_BLOCK * BLOCK_SIZE,
  );
  image.set(
    jolietVolumeDescriptor({
      ...common,
      pathTableL: PATH_TABLE_BLOCKS.jolietL,
      pathTableM: PATH_TABLE_BLOCKS.jolietM,
      rootRecord: rootRecord(jolietRootBlock, jolietBlocks, SELF_IDENTIFIER, empty),
    }),
    JOLIET_SVD_BLOCK * BLOCK_SIZE,
  );
  image.set(terminatorDescriptor(), TERMINATOR_BLOCK * BLOCK_SIZE);

  image.set(rootPathTable(PRIMARY_ROOT_BLOCK, 'L'), PATH_TABLE_BLOCKS.primaryL * BLOCK_SIZE);
  image.set(rootPathTable(PRIMARY_ROOT_BLOCK, 'M'), PATH_TABLE_BLOCKS.primaryM * BLOCK_SIZE);
  image.set(rootPathTable(jolietRootBlock, 'L'), PATH_TABLE_BLOCKS.jolietL * BLOCK_SIZE);
  image.set(rootPathTable(jolietRootBlock, 'M'), PATH_TABLE_BLOCKS.jolietM * BLOCK_SIZE);

  image.set(er, CONTINUATION_BLOCK * BLOCK_SIZE);

  const fileRecord = (p: PlacedFile, identifier: Uint8Array, susp: Uint8Array) =>
    directoryRecord({ extent: p.extent, size: p.file.data.length, flags: 0, identifier, systemUse: susp, date });

  // ECMA-119 9.3: records after "." and ".." in identifier order; each tree sorts its own identifiers.
  const byLevel1 = [...placed].sort((a, b) => compareIdentifiers(a.level1Name, b.level1Name));
  writeDirectory(image, PRIMARY_ROOT_BLOCK, [
    rootRecord(PRIMARY_ROOT_BLOCK, primaryBlocks, SELF_IDENTIFIER, rootSelfSusp),
    rootRecord(PRIMARY_ROOT_BLOCK, primaryBlocks, PARENT_IDENTIFIER, rootParentSusp),
    ...byLevel1.map((p) => fileRecord(p, p.level1, p.susp)),
  ]);
  const byJoliet = [...placed].sort((a, b) => compareIdentifiers(a.file.name, b.file.name));
  writeDirectory(image, jolietRootBlock, [
    rootRecord(jolietRootBlock, jolietBlocks, SELF_IDENTIFIER, empty),
    rootRecord(jolietRootBlock, jolietBlocks, PARENT_IDENTIFIER, empty),
    ...byJoliet.map((p) => fileRecord(p, p.joliet, empty)),
  ]);

  for (const p of placed) image.set(p.file.data, p.extent * BLOCK_SIZE);
  return image;
}

/** Volume label cloud-init's NoCloud datasource looks for. */
export const NOCLOUD_VOLUME_ID = 'cidata';

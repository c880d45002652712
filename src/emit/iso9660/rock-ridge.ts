/**
 * System Use Sharing Protocol (SUSP, IEEE P1281, version 1.12) and Rock Ridge
 * (RRIP, IEEE P1282) entries for the primary tree. Every entry starts with a
 * two-letter signature, its length and its version (SUSP 4.1).
 *
 * We write the RRIP 1.09 ("RRIP_1991A") flavour, like genisoimage and
 * therefore cloud-localds: 36-byte PX without a serial number and the RR flag
 * entry. The Linux kernel, isoinfo and libisofs all accept it.
 */
import { putBoth32, putU8 } from './byte-fields.js';
import { directoryDate } from './iso-dates.js';

function entry(signature: string, length: number, version = 1): [Uint8Array, DataView] {
  const bytes = new Uint8Array(length);
  bytes[0] = signature.charCodeAt(0);
  bytes[1] = signature.charCodeAt(1);
  const view = new DataView(bytes.buffer);
  putU8(view, 2, length);
  putU8(view, 3, version);
  return [bytes, view];
}

/**
 * SUSP 5.3 SP: marks SUSP use; must open the System Use field of the root's
 * "." record. Check bytes BE EF; LEN_SKP 0 (no bytes skipped before entries).
 */
export function spEntry(): Uint8Array {
  const [bytes] = entry('SP', 7);
  bytes[4] = 0xbe;
  bytes[5] = 0xef;
  bytes[6] = 0;
  return bytes;
}

/** RR flag bits (RRIP 1.09 RR entry): which Rock Ridge entries the record carries. */
export const RR_PX = 0x01;
export const RR_NM = 0x08;
export const RR_TF = 0x80;

/**
 * RRIP 1.09 RR: one flag byte listing the RRIP entries present. Dropped in
 * RRIP 1.10, but the Linux kernel still reads it and stops parsing a record
 * whose RR flags name none of PX/TF/SL/CL, so the flags must be honest.
 */
export function rrEntry(flags: number): Uint8Array {
  const [bytes, view] = entry('RR', 5);
  putU8(view, 4, flags);
  return bytes;
}

/** Directory and file modes we record: fixed, since the image is read-only and the owner is always root. */
export const DIRECTORY_MODE = 0o040755;
export const FILE_MODE = 0o100644;

/**
 * RRIP PX (1.12 section 4.1.1; 36-byte 1.09 form): POSIX mode, link count,
 * uid, gid, each both-endian (ECMA-119 7.3.3). uid/gid are 0 (root).
 */
export function pxEntry(mode: number, links: number): Uint8Array {
  const [bytes, view] = entry('PX', 36);
  putBoth32(view, 4, mode);
  putBoth32(view, 12, links);
  putBoth32(view, 20, 0);
  putBoth32(view, 28, 0);
  return bytes;
}

/**
 * RRIP NM (1.12 section 4.1.4): the real (POSIX) name; flags 0 since the
 * whole name fits in one entry. Throws if the name exceeds 250 bytes.
 */
export function nmEntry(name: string): Uint8Array {
  const encoded = new TextEncoder().encode(name);
  const [bytes, view] = entry('NM', 5 + encoded.length);
  putU8(view, 4, 0);
  bytes.set(encoded, 5);
  return bytes;
}

/**
 * RRIP TF (1.12 section 4.1.6): modify, access and attribute-change times
 * (flags 0x0E), each in the 7-byte ECMA-119 9.1.5 form, all equal to `date`.
 * Creation time is left out, as genisoimage does.
 */
export function tfEntry(date: Date): Uint8Array {
  const stamp = directoryDate(date);
  const [bytes, view] = entry('TF', 5 + 3 * stamp.length);
  putU8(view, 4, 0x02 | 0x04 | 0x08);
  for (let i = 0; i < 3; i++) bytes.set(stamp, 5 + i * stamp.length);
  return bytes;
}

/**
 * SUSP 5.1 CE: continues the System Use field in another block — needed
 * because the ER entry does not fit in the 255-byte root "." record.
 */
export function ceEntry(block: number, offset: number, length: number): Uint8Array {
  const [bytes, view] = entry('CE', 28);
  putBoth32(view, 4, block);
  putBoth32(view, 12, offset);
  putBoth32(view, 20, length);
  return bytes;
}

/* RRIP 1.09 ER texts, byte for byte as genisoimage (cloud-localds) records them. */
const RRIP_ID = 'RRIP_1991A';
const RRIP_DESCRIPTOR = 'THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS';
const RRIP_SOURCE =
  'PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION.';

/**
 * SUSP 5.5 ER: declares the Rock Ridge extension (identifier RRIP_1991A,
 * extension version 1). The Linux kernel only switches to Rock Ridge names
 * after it has seen SP and ER on the root "." record, CE chain included.
 */
export function erEntry(): Uint8Array {
  const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const id = ascii(RRIP_ID);
  const descriptor = ascii(RRIP_DESCRIPTOR);
  const source = ascii(RRIP_SOURCE);
  const [bytes, view] = entry('ER', 8 + id.length + descriptor.length + source.length);
  putU8(view, 4, id.length);
  putU8(view, 5, descriptor.length);
  putU8(view, 6, source.length);
  putU8(view, 7, 1); // EXT_VER
  bytes.set(id, 8);
  bytes.set(descriptor, 8 + id.length);
  bytes.set(source, 8 + id.length + descriptor.length);
  return bytes;
}

/** Concatenates SUSP entries into one System Use field. */
export function systemUse(...entries: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(entries.reduce((n, e) => n + e.length, 0));
  let offset = 0;
  for (const e of entries) {
    out.set(e, offset);
    offset += e.length;
  }
  return out;
}

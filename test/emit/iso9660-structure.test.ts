// Byte-level checks of the ISO layout rules that tools tend to forgive:
// both-endian fields agree, L and M path tables agree, directory records are
// even-length and never straddle a block, SUSP entries sit where SUSP says.
import t, { type Test } from 'tap';
import { writeIsoImage, type IsoFile } from '../../src/emit/iso9660/write-iso-image.js';

const BLOCK = 2048;
const DATE = new Date(Date.UTC(2031, 11, 24, 23, 59, 58, 990));
const enc = (s: string) => new TextEncoder().encode(s);

const files: IsoFile[] = [
  { name: 'user-data', data: enc('#cloud-config\n'.repeat(300)) },
  { name: 'meta-data', data: enc('instance-id: x\n') },
  { name: 'network-config', data: enc('version: 2\n') },
  { name: 'vendor-data', data: new Uint8Array(0) },
  ...Array.from({ length: 30 }, (_, i) => ({ name: `extra-${i}-${'y'.repeat(40)}`, data: new Uint8Array(i) })),
];
const image = writeIsoImage({ volumeId: 'cidata', files, date: DATE });
const view = new DataView(image.buffer, image.byteOffset, image.byteLength);

/** Reads a both-endian 32-bit field, failing the test if the halves differ. */
function both32(t: Test, offset: number, what: string): number {
  const le = view.getUint32(offset, true);
  t.equal(view.getUint32(offset + 4, false), le, `${what}: LE and BE halves agree`);
  return le;
}
function both16(t: Test, offset: number, what: string): number {
  const le = view.getUint16(offset, true);
  t.equal(view.getUint16(offset + 2, false), le, `${what}: LE and BE halves agree`);
  return le;
}
const ascii = (offset: number, length: number) => String.fromCharCode(...image.subarray(offset, offset + length));
const ucs2 = (offset: number, length: number) => {
  let s = '';
  for (let i = 0; i < length; i += 2) s += String.fromCharCode(view.getUint16(offset + i, false));
  return s;
};

interface Record {
  offset: number;
  length: number;
  extent: number;
  size: number;
  flags: number;
  id: Uint8Array;
  systemUse: Uint8Array;
}

/** Walks a directory extent the way readers do: a zero length byte means "next block". */
function readDirectory(t: Test, extent: number, size: number): Record[] {
  const records: Record[] = [];
  const start = extent * BLOCK;
  let pos = start;
  while (pos < start + size) {
    const length = image[pos]!;
    if (length === 0) {
      pos = (Math.floor((pos - start) / BLOCK) + 1) * BLOCK + start;
      continue;
    }
    t.equal(length % 2, 0, `record at ${pos} has even length`);
    t.equal(Math.floor(pos / BLOCK), Math.floor((pos + length - 1) / BLOCK), `record at ${pos} stays in its block`);
    const idLength = image[pos + 32]!;
    const suStart = pos + 33 + idLength + (idLength % 2 === 0 ? 1 : 0);
    records.push({
      offset: pos,
      length,
      extent: both32(t, pos + 2, 'extent'),
      size: both32(t, pos + 10, 'data length'),
      flags: image[pos + 25]!,
      id: image.subarray(pos + 33, pos + 33 + idLength),
      systemUse: image.subarray(suStart, pos + length),
    });
    both16(t, pos + 28, 'volume sequence number');
    pos += length;
  }
  return records;
}

/** Splits a System Use field into SUSP entries {sig, bytes}. */
function suspEntries(field: Uint8Array): { sig: string; bytes: Uint8Array }[] {
  const out: { sig: string; bytes: Uint8Array }[] = [];
  let pos = 0;
  while (pos + 4 <= field.length && field[pos + 2]! > 0) {
    const length = field[pos + 2]!;
    out.push({ sig: String.fromCharCode(field[pos]!, field[pos + 1]!), bytes: field.subarray(pos, pos + length) });
    pos += length;
  }
  return out;
}

t.test('system area is empty and the descriptor set is PVD, Joliet SVD, terminator', async (t) => {
  t.ok(image.subarray(0, 16 * BLOCK).every((b) => b === 0));
  t.same([image[16 * BLOCK], image[17 * BLOCK], image[18 * BLOCK]], [1, 2, 255]);
  for (const block of [16, 17, 18]) t.equal(ascii(block * BLOCK + 1, 5), 'CD001');
});

for (const [name, block, joliet] of [
  ['primary', 16, false],
  ['joliet', 17, true],
] as const) {
  t.test(`${name} descriptor fields`, async (t) => {
    const d = block * BLOCK;
    t.equal(joliet ? ucs2(d + 40, 32) : ascii(d + 40, 32), 'cidata'.padEnd(joliet ? 16 : 32, ' '), 'volume id');
    t.equal(both32(t, d + 80, 'volume space size') * BLOCK, image.length);
    t.same([...image.subarray(d + 88, d + 91)], joliet ? [0x25, 0x2f, 0x45] : [0, 0, 0], 'escape sequences');
    t.equal(both16(t, d + 120, 'volume set size'), 1);
    t.equal(both16(t, d + 124, 'volume sequence number'), 1);
    t.equal(both16(t, d + 128, 'block size'), BLOCK);
    const ptSize = both32(t, d + 132, 'path table size');
    const l = view.getUint32(d + 140, true);
    const m = view.getUint32(d + 148, false);
    t.equal(view.getUint32(d + 144, true), 0, 'no optional L table');
    t.equal(view.getUint32(d + 152, false), 0, 'no optional M table');
    const rootExtent = both32(t, d + 156 + 2, 'root extent');
    const rootSize = both32(t, d + 156 + 10, 'root size');
    t.equal(image[d + 156], 34, 'root record is 34 bytes');
    // L and M path tables: same record, opposite byte order, pointing at the root.
    t.equal(ptSize, 10);
    t.equal(image[l * BLOCK], 1);
    t.equal(view.getUint32(l * BLOCK + 2, true), rootExtent);
    t.equal(view.getUint16(l * BLOCK + 6, true), 1);
    t.equal(view.getUint32(m * BLOCK + 2, false), rootExtent);
    t.equal(view.getUint16(m * BLOCK + 6, false), 1);
    t.equal(ascii(d + 813, 17), '2031122423595899\0', 'creation date, UTC');
    t.equal(ascii(d + 830, 17), '2031122423595899\0', 'modification date, UTC');
    t.equal(ascii(d + 847, 17), '0000000000000000\0', 'expiration not specified');
    t.equal(image[d + 881], 1, 'file structure version');

    const records = readDirectory(t, rootExtent, rootSize);
    t.equal(rootSize % BLOCK, 0);
    t.ok(rootSize > BLOCK, 'this test directory spans several blocks');
    t.same([...records[0]!.id], [0]);
    t.same([...records[1]!.id], [1]);
    t.equal(records[0]!.extent, rootExtent, '"." points at itself');
    t.equal(records[0]!.size, rootSize);
    t.equal(records[0]!.flags, 2);
    const fileRecords = records.slice(2);
    t.equal(fileRecords.length, files.length);
    // Extents are in range and hold the right bytes.
    const byName = new Map(files.map((f) => [f.name, f.data]));
    for (const r of fileRecords) {
      const realName = joliet
        ? ucs2(r.id.byteOffset - image.byteOffset, r.id.length)
        : new TextDecoder().decode(suspEntries(r.systemUse).find((e) => e.sig === 'NM')!.bytes.subarray(5));
      const data = byName.get(realName);
      t.ok(data, `record for ${realName}`);
      t.equal(r.size, data!.length);
      t.ok(r.extent * BLOCK + r.size <= image.length, `${realName} inside the volume`);
      t.same(image.subarray(r.extent * BLOCK, r.extent * BLOCK + r.size), data);
    }
  });
}

t.test('Rock Ridge: SP first in root ".", CE leads to ER RRIP_1991A, files carry RR/NM/PX/TF', async (t) => {
  const rootExtent = view.getUint32(16 * BLOCK + 158, true);
  const rootSize = view.getUint32(16 * BLOCK + 166, true);
  const [self, parent, ...rest] = readDirectory(t, rootExtent, rootSize);
  const selfEntries = suspEntries(self!.systemUse);
  t.same(selfEntries.map((e) => e.sig), ['SP', 'RR', 'PX', 'TF', 'CE']);
  t.same([...selfEntries[0]!.bytes], [0x53, 0x50, 7, 1, 0xbe, 0xef, 0]);
  const ce = selfEntries[4]!.bytes;
  const ceView = new DataView(ce.buffer, ce.byteOffset, ce.length);
  const [block, offset, length] = [4, 12, 20].map((o) => ceView.getUint32(o, true));
  const er = suspEntries(image.subarray(block! * BLOCK + offset!, block! * BLOCK + offset! + length!));
  t.same(er.map((e) => e.sig), ['ER']);
  const erBytes = er[0]!.bytes;
  t.equal(String.fromCharCode(...erBytes.subarray(8, 8 + erBytes[4]!)), 'RRIP_1991A');
  t.equal(erBytes.length, 8 + erBytes[4]! + erBytes[5]! + erBytes[6]!);
  t.same(suspEntries(parent!.systemUse).map((e) => e.sig), ['RR', 'PX', 'TF']);
  for (const r of rest) {
    const entries = suspEntries(r.systemUse);
    t.same(entries.map((e) => e.sig), ['RR', 'NM', 'PX', 'TF']);
    const px = entries[2]!.bytes;
    const pxView = new DataView(px.buffer, px.byteOffset, px.length);
    t.equal(px.length, 36);
    t.equal(pxView.getUint32(4, true), 0o100644);
    t.equal(pxView.getUint32(8, false), 0o100644);
  }
});

t.test('directory records are in ECMA-119 9.3 order in both trees', async (t) => {
  const dirs = [
    { block: 16, decode: (id: Uint8Array) => String.fromCharCode(...id) },
    { block: 17, decode: (id: Uint8Array) => ucs2(id.byteOffset - image.byteOffset, id.length) },
  ];
  for (const { block, decode } of dirs) {
    const extent = view.getUint32(block * BLOCK + 158, true);
    const size = view.getUint32(block * BLOCK + 166, true);
    const ids = readDirectory(t, extent, size).slice(2).map((r) => decode(r.id));
    const key = (id: string) => {
      const bare = id.replace(/;1$/, '');
      const dot = bare.lastIndexOf('.');
      return dot < 0 ? [bare, ''] : [bare.slice(0, dot), bare.slice(dot + 1)];
    };
    const sorted = [...ids].sort((a, b) => {
      const [na, ea] = key(a);
      const [nb, eb] = key(b);
      const pad = (x: string, n: number) => x.padEnd(n, ' ');
      const n = Math.max(na!.length, nb!.length);
      const e = Math.max(ea!.length, eb!.length);
      return pad(na!, n) < pad(nb!, n) ? -1 : pad(na!, n) > pad(nb!, n) ? 1 : pad(ea!, e) < pad(eb!, e) ? -1 : pad(ea!, e) > pad(eb!, e) ? 1 : 0;
    });
    t.same(ids, sorted, `block ${block} tree`);
  }
});

// Unit checks of the small ISO 9660 building blocks: names, order, dates, fields.
import t from 'tap';
import { compareIdentifiers } from '../../src/emit/iso9660/identifier-order.js';
import { level1Identifiers } from '../../src/emit/iso9660/level1-names.js';
import { directoryDate, volumeDate } from '../../src/emit/iso9660/iso-dates.js';
import { putBoth16, putBoth32, putPaddedAscii, putPaddedUcs2 } from '../../src/emit/iso9660/byte-fields.js';
import { directoryBlocks, directoryRecordLength } from '../../src/emit/iso9660/directory-record.js';
import { nmEntry, pxEntry, tfEntry } from '../../src/emit/iso9660/rock-ridge.js';

t.test('level-1 identifiers are 8.3 d-characters, like genisoimage', async (t) => {
  t.same(level1Identifiers(['meta-data', 'network-config', 'user-data', 'vendor-data']), [
    'META_DAT.;1',
    'NETWORK_.;1',
    'USER_DAT.;1',
    'VENDOR_D.;1',
  ]);
  t.same(level1Identifiers(['config.json', 'a.b.tar.gz', 'x.longext']), ['CONFIG.JSO;1', 'A_B_TAR.GZ;1', 'X.LON;1']);
});

t.test('colliding level-1 identifiers get a numeric suffix in input order', async (t) => {
  t.same(level1Identifiers(['user-data', 'user-data2', 'user_data', 'a', 'a-']), [
    'USER_DAT.;1',
    'USER_DA1.;1',
    'USER_DA2.;1',
    'A.;1',
    'A_.;1',
  ]);
  const many = level1Identifiers(Array.from({ length: 15 }, (_, i) => `network-config-${i}`));
  t.equal(new Set(many).size, 15);
  t.ok(many.includes('NETWOR10.;1'), 'two-digit suffix keeps 8 characters');
});

t.test('ECMA-119 9.3 order compares name, then extension, space-padded', async (t) => {
  t.ok(compareIdentifiers('A.;1', 'AB.;1') < 0);
  t.ok(compareIdentifiers('A.Z;1', 'A_.;1') < 0, 'shorter name pads with space, which sorts before "_"');
  t.ok(compareIdentifiers('a.b', 'a-b') < 0, 'name "a" < "a-b" although "." > "-" bytewise');
  t.equal(compareIdentifiers('USER_DAT.;1', 'USER_DAT.;1'), 0);
  t.ok(compareIdentifiers('X.B;1', 'X.A;1') > 0);
});

t.test('directory date: 7 bytes, years since 1900, UTC', async (t) => {
  t.same([...directoryDate(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 999)))], [124, 1, 2, 3, 4, 5, 0]);
  t.same([...directoryDate(new Date(Date.UTC(1900, 0, 1)))], [0, 1, 1, 0, 0, 0, 0]);
  t.same([...directoryDate(new Date(Date.UTC(2155, 11, 31, 23, 59, 59)))], [255, 12, 31, 23, 59, 59, 0]);
});

t.test('volume date: 16 digits with hundredths and a zero offset; null is "not specified"', async (t) => {
  const text = (b: Uint8Array) => String.fromCharCode(...b);
  t.equal(text(volumeDate(new Date(Date.UTC(2024, 11, 31, 23, 59, 58, 996)))), '2024123123595899\0');
  t.equal(text(volumeDate(null)), '0000000000000000\0');
});

t.test('both-endian fields and padded text', async (t) => {
  const bytes = new Uint8Array(12);
  const view = new DataView(bytes.buffer);
  putBoth32(view, 0, 0x01020304);
  putBoth16(view, 8, 0x0800);
  t.same([...bytes], [4, 3, 2, 1, 1, 2, 3, 4, 0, 8, 8, 0]);
  t.throws(() => putBoth16(view, 0, 0x10000), RangeError);
  t.throws(() => putBoth32(view, 0, -1), RangeError);
  const text = new Uint8Array(7);
  putPaddedAscii(text, 0, 7, 'cid');
  t.equal(String.fromCharCode(...text), 'cid    ');
  const wide = new Uint8Array(7).fill(0xaa);
  putPaddedUcs2(wide, 0, 7, 'ci');
  t.same([...wide], [0, 0x63, 0, 0x69, 0, 0x20, 0xaa], 'UCS-2 BE, space padded, odd byte untouched');
  t.throws(() => putPaddedAscii(text, 0, 2, 'abc'), RangeError);
});

t.test('record lengths are even and directories never split a record', async (t) => {
  t.equal(directoryRecordLength(1, 0), 34);
  t.equal(directoryRecordLength(11, 0), 44, 'odd identifier: no padding byte, total made even');
  t.equal(directoryRecordLength(18, 0), 52, 'even identifier: padding byte (9.1.12), total even');
  t.equal(directoryRecordLength(11, 101), 146);
  t.throws(() => directoryRecordLength(100, 150), RangeError);
  t.equal(directoryBlocks([34, 34]), 1);
  t.equal(directoryBlocks(Array(60).fill(34)), 1, '60 x 34 = 2040 bytes fit');
  t.equal(directoryBlocks(Array(61).fill(34)), 2);
  t.equal(directoryBlocks([2000, 100]), 2, 'a record that would cross the boundary starts the next block');
});

t.test('Rock Ridge entries have the documented sizes', async (t) => {
  t.equal(pxEntry(0o100644, 1).length, 36);
  t.equal(tfEntry(new Date(0)).length, 26);
  const nm = nmEntry('user-data');
  t.equal(nm.length, 14);
  t.equal(String.fromCharCode(...nm.subarray(5)), 'user-data');
});

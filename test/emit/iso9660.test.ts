// The seed ISO writer checked by the real tools: isoinfo, isovfy, xorriso,
// blkid and cloud-localds (genisoimage) as the reference for the listing.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOCLOUD_VOLUME_ID, writeIsoImage, type IsoFile } from '../../src/emit/iso9660/write-iso-image.js';

const DATE = new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 120));
const enc = (s: string) => new TextEncoder().encode(s);

/** Deterministic filler bytes (xorshift), so failures reproduce. */
function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const USER_DATA = enc(
  '#cloud-config\nhostname: cp1\nwrite_files:\n' +
    Array.from({ length: 300 }, (_, i) => `  - path: /etc/demo/${i}\n    content: "line ${i}"\n`).join(''),
);
const META_DATA = enc('instance-id: lab-cp1\nlocal-hostname: cp1\n');
const NETWORK_CONFIG = enc(
  'version: 2\nethernets:\n  eth0:\n    addresses: [192.168.56.10/24]\n    routes:\n      - to: 0.0.0.0/0\n        via: 192.168.56.1\n',
);
const SEED_FILES: IsoFile[] = [
  { name: 'user-data', data: USER_DATA },
  { name: 'meta-data', data: META_DATA },
  { name: 'network-config', data: NETWORK_CONFIG },
];

const SIZE_FILES: IsoFile[] = [
  { name: 'empty', data: new Uint8Array(0) },
  { name: 'one', data: bytes(1, 1) },
  { name: 's2047', data: bytes(2047, 2) },
  { name: 's2048', data: bytes(2048, 3) },
  { name: 's2049', data: bytes(2049, 4) },
  { name: 's300k', data: bytes(300 * 1024, 5) },
];

const work = mkdtempSync(join(tmpdir(), 'iso9660-test-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));
let counter = 0;

function run(cmd: string, args: string[], cwd = work): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Writes an image to a fresh path and returns that path. */
function isoFile(files: readonly IsoFile[], date = DATE): string {
  const path = join(work, `image-${counter++}.iso`);
  writeFileSync(path, writeIsoImage({ volumeId: NOCLOUD_VOLUME_ID, files, date }));
  return path;
}

/** Parses `isoinfo -l` output of the root into {name: [mode, size]}, skipping "." and "..". */
function listing(iso: string, flag: '-R' | '-J' | null): Map<string, { mode: string; size: number }> {
  const out = run('isoinfo', [...(flag ? [flag] : []), '-l', '-i', iso]);
  const entries = new Map<string, { mode: string; size: number }>();
  for (const line of out.split('\n')) {
    const m = /^([-d][-rwx]{9})\s+\d+\s+\d+\s+\d+\s+(\d+)\s.*\]\s+(.+?)\s*$/.exec(line);
    if (!m || m[3] === '.' || m[3] === '..') continue;
    entries.set(m[3]!, { mode: m[1]!, size: Number(m[2]) });
  }
  return entries;
}

const namesAndSizes = (m: Map<string, { size: number }>) => [...m].map(([name, { size }]) => [name, size]);

t.test('isoinfo -d sees label cidata, Joliet level 3 and Rock Ridge', async (t) => {
  const iso = isoFile(SEED_FILES);
  const out = run('isoinfo', ['-d', '-i', iso]);
  t.match(out, /^Volume id: cidata$/m);
  t.match(out, /^Logical block size is: 2048$/m);
  t.match(out, /^Joliet with UCS level 3 found$/m);
  t.match(out, /^Rock Ridge signatures version 1 found$/m);
  const blocks = Number(/^Volume size is: (\d+)$/m.exec(out)?.[1]);
  t.equal(blocks * 2048, statSync(iso).size, 'volume space size covers the whole file');
});

t.test('isovfy finds no structural errors', async (t) => {
  for (const files of [SEED_FILES, SIZE_FILES]) {
    t.match(run('isovfy', [isoFile(files)]), /No errors found/);
  }
});

t.test('Rock Ridge and Joliet listings show real names and sizes; RR modes are fixed', async (t) => {
  const iso = isoFile(SEED_FILES);
  const expected = [
    ['meta-data', META_DATA.length],
    ['network-config', NETWORK_CONFIG.length],
    ['user-data', USER_DATA.length],
  ];
  const rr = listing(iso, '-R');
  t.same(namesAndSizes(rr), expected);
  for (const [, e] of rr) t.equal(e.mode, '-rw-r--r--');
  const rootLine = run('isoinfo', ['-R', '-l', '-i', iso]).split('\n').find((l) => / \.\s*$/.test(l));
  t.match(rootLine, /^drwxr-xr-x\s+2\s+0\s+0\s/, 'root directory is 0755, 2 links, uid/gid 0');
  t.same(namesAndSizes(listing(iso, '-J')), expected);
});

t.test('plain ISO 9660 names are level-1 d-character identifiers', async (t) => {
  const plain = listing(isoFile(SEED_FILES), null);
  t.same([...plain.keys()], ['META_DAT.;1', 'NETWORK_.;1', 'USER_DAT.;1']);
  for (const name of plain.keys()) t.match(name, /^[A-Z0-9_]{1,8}\.[A-Z0-9_]{0,3};1$/);
});

t.test('listing matches cloud-localds for the same files', async (t) => {
  const dir = join(work, 'localds');
  mkdirSync(dir);
  for (const f of SEED_FILES) writeFileSync(join(dir, f.name), f.data);
  run('cloud-localds', ['-N', 'network-config', 'seed.iso', 'user-data', 'meta-data'], dir);
  const theirs = join(dir, 'seed.iso');
  const ours = isoFile(SEED_FILES);
  for (const flag of ['-R', '-J', null] as const) {
    t.same(namesAndSizes(listing(ours, flag)), namesAndSizes(listing(theirs, flag)), `isoinfo ${flag ?? '(plain)'} -l`);
  }
  const label = (iso: string) => /^Volume id: (.*)$/m.exec(run('isoinfo', ['-d', '-i', iso]))?.[1];
  t.equal(label(ours), label(theirs));
  t.ok(statSync(ours).size < statSync(theirs).size, 'ours is smaller (no 150-block padding)');
});

t.test('xorriso extracts byte-identical files of every size, with the date as mtime', async (t) => {
  const iso = isoFile(SIZE_FILES);
  const out = join(work, 'extract-sizes');
  run('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', out]);
  for (const f of SIZE_FILES) {
    const got = readFileSync(join(out, f.name));
    t.equal(got.length, f.data.length, `${f.name} size`);
    t.ok(Buffer.from(f.data).equals(got), `${f.name} content`);
    t.equal(statSync(join(out, f.name)).mtimeMs, Math.floor(DATE.getTime() / 1000) * 1000, `${f.name} mtime from TF`);
  }
});

t.test('isoinfo -x reads every file through Rock Ridge and Joliet', async (t) => {
  const iso = isoFile(SIZE_FILES);
  for (const f of SIZE_FILES) {
    for (const flag of ['-R', '-J']) {
      const got = execFileSync('isoinfo', [flag, '-i', iso, '-x', `/${f.name}`]);
      t.ok(Buffer.from(f.data).equals(got), `${flag} ${f.name}`);
    }
  }
});

t.test('blkid reports iso9660 with label cidata and a UUID from the date', async (t) => {
  const out = run('blkid', ['-p', '-o', 'export', isoFile(SEED_FILES)]);
  t.match(out, /^TYPE=iso9660$/m);
  t.match(out, /^LABEL=cidata$/m);
  t.match(out, /^UUID=2024-05-06-07-08-09-12$/m, 'modification date, hundredths included');
});

t.test('a 3-file seed is small: only the standard structures, no padding', async (t) => {
  const image = writeIsoImage({
    volumeId: 'cidata',
    files: [
      { name: 'user-data', data: enc('#cloud-config\n') },
      { name: 'meta-data', data: enc('instance-id: a\n') },
      { name: 'network-config', data: enc('version: 2\n') },
    ],
    date: DATE,
  });
  // 16 system area + 3 descriptors + 4 path tables + 1 RR continuation + 2 directories + 3 data blocks.
  t.equal(image.length, 29 * 2048);
  t.ok(writeIsoImage({ volumeId: 'cidata', files: SEED_FILES, date: DATE }).length < 100 * 1024, 'realistic seed under 100 KB');
});

t.test('deterministic: same input gives same bytes; date changes them; input order does not', async (t) => {
  const a = writeIsoImage({ volumeId: 'cidata', files: SEED_FILES, date: DATE });
  const b = writeIsoImage({ volumeId: 'cidata', files: [...SEED_FILES].reverse(), date: new Date(DATE.getTime()) });
  t.ok(Buffer.from(a).equals(Buffer.from(b)));
  const c = writeIsoImage({ volumeId: 'cidata', files: SEED_FILES, date: new Date(DATE.getTime() + 1000) });
  t.notOk(Buffer.from(a).equals(Buffer.from(c)));
});

t.test('names that shorten to the same level-1 identifier stay distinct', async (t) => {
  const files: IsoFile[] = ['network-config', 'network-config2', 'network_config', 'vendor-data', 'user-data'].map(
    (name, i) => ({ name, data: bytes(100 + i, 10 + i) }),
  );
  const iso = isoFile(files);
  const plain = [...listing(iso, null).keys()];
  t.equal(new Set(plain).size, files.length, `unique: ${plain.join(' ')}`);
  t.same([...listing(iso, '-R').keys()].sort(), files.map((f) => f.name).sort());
  t.match(run('isovfy', [iso]), /No errors found/);
  const out = join(work, 'extract-collide');
  run('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', out]);
  for (const f of files) t.ok(Buffer.from(f.data).equals(readFileSync(join(out, f.name))), f.name);
});

t.test('a directory spanning several blocks is read back completely', async (t) => {
  const files: IsoFile[] = Array.from({ length: 40 }, (_, i) => ({
    name: `file-${String(i).padStart(2, '0')}-${'x'.repeat(50)}`,
    data: bytes(i * 37, 100 + i),
  }));
  const iso = isoFile(files);
  t.match(run('isovfy', [iso]), /No errors found/);
  t.same(namesAndSizes(listing(iso, '-R')), files.map((f) => [f.name, f.data.length]));
  t.same(namesAndSizes(listing(iso, '-J')), files.map((f) => [f.name, f.data.length]));
  const out = join(work, 'extract-many');
  run('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', out]);
  for (const f of files) t.ok(Buffer.from(f.data).equals(readFileSync(join(out, f.name))), f.name);
});

t.test('an image of only empty files is valid', async (t) => {
  const iso = isoFile([{ name: 'meta-data', data: new Uint8Array(0) }]);
  t.match(run('isovfy', [iso]), /No errors found/);
  t.same(namesAndSizes(listing(iso, '-R')), [['meta-data', 0]]);
  const out = join(work, 'extract-empty');
  run('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', out]);
  t.equal(statSync(join(out, 'meta-data')).size, 0);
});

t.test('programmer errors throw', async (t) => {
  const ok = { volumeId: 'cidata', files: [] as IsoFile[], date: DATE };
  for (const volumeId of ['', 'x'.repeat(17), 'ci data', 'cïdata']) {
    t.throws(() => writeIsoImage({ ...ok, volumeId }), RangeError, `volume id ${JSON.stringify(volumeId)}`);
  }
  for (const name of ['', '.hidden', '..', 'a/b', 'user data', 'a;1', 'x'.repeat(65), 'ünï']) {
    t.throws(() => writeIsoImage({ ...ok, files: [{ name, data: new Uint8Array() }] }), RangeError, `name ${JSON.stringify(name)}`);
  }
  const dup = [
    { name: 'user-data', data: new Uint8Array() },
    { name: 'user-data', data: new Uint8Array(1) },
  ];
  t.throws(() => writeIsoImage({ ...ok, files: dup }), /duplicate/);
  t.throws(() => writeIsoImage({ ...ok, date: new Date(Number.NaN) }), TypeError);
  t.throws(() => writeIsoImage({ ...ok, date: new Date(Date.UTC(2200, 0, 1)) }), RangeError);
  t.throws(() => writeIsoImage({ ...ok, date: new Date(Date.UTC(1899, 11, 31)) }), RangeError);
  t.throws(() => writeIsoImage({ ...ok, files: [{ name: 'a', data: 'text' as unknown as Uint8Array }] }), TypeError);
  t.ok(writeIsoImage({ ...ok, files: [{ name: 'x'.repeat(64), data: new Uint8Array(1) }] }).length > 0, '64-char name accepted');
});

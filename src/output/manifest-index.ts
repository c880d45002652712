/**
 * The previous run's manifest.json, kept compactly for the whole of a re-run: what
 * the change plan and the hard-link decision ask of it, nothing more. Parsed into
 * objects, a 10,000-node manifest (30,000 rows, 100,000 embedded-file hashes) held
 * 18 MB of live heap, and V8 lets the heap grow to about four times what is live
 * before it collects, so it cost ~70 MB of peak RSS. Here each row is a fixed-size
 * record in a Buffer (outside the JS heap): its sha256 and its embedded files'
 * hashes as 32 raw bytes, its format, node and mode as ids into tables of distinct
 * values, its path in another Buffer, found through an open-addressing
 * table of row numbers. Only the tables of distinct values are JS objects.
 */
import type { Manifest, ManifestEntry } from './manifest.js';
import { GrowableBytes } from './growable-bytes.js';

/** What a previous row says about a file (role and parts left out; see partsOf). */
export type PreviousFile = Omit<ManifestEntry, 'role' | 'parts'>;

const HASH = 32;
// Row record: sha256 (32 B), bytes (float64), then uint32s: format id, node id, mode id, first part, part count,
// path start, path length, path hash.
const ROW = HASH + 8 + 8 * 4;
const FORMAT = HASH + 8;
const NODE = FORMAT + 4;
const MODE = FORMAT + 8;
const FIRST_PART = FORMAT + 12;
const PART_COUNT = FORMAT + 16;
const PATH_START = FORMAT + 20;
const PATH_LENGTH = FORMAT + 24;
const PATH_HASH = FORMAT + 28;
const NO_PARTS = 0xffffffff;
// Part record: name id (uint32), sha256 (32 B).
const PART = 4 + HASH;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** What follows the last row. */
const TAIL = '\n  ]\n}\n';

/** Each distinct value once; rows refer to it by id. */
class ValueTable {
  readonly values: unknown[] = [];
  private readonly ids = new Map<unknown, number>();

  id(value: unknown): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  has(value: unknown): boolean {
    return this.ids.has(value);
  }
}

/** FNV-1a over the UTF-16 code units: where a path starts looking in the table. */
function pathHash(path: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Does a row fit the compact record (hex hashes, numeric size, plain parts)? Odd rows are kept as they are. */
function compactable(e: ManifestEntry): boolean {
  if (!SHA256_HEX.test(e.sha256) || typeof e.bytes !== 'number') return false;
  if (e.parts === undefined) return true;
  const parts: unknown = e.parts;
  if (typeof parts !== 'object' || parts === null || Array.isArray(parts) || Object.hasOwn(parts, '__proto__')) return false;
  return Object.values(parts).every((h) => typeof h === 'string' && SHA256_HEX.test(h));
}

/**
 * The previous manifest, row by row: add() each row as it is read (a row naming
 * manifest.json itself is ignored: the manifest never lists itself). A later row
 * for the same path replaces the earlier one in its place, as a Map keyed by path
 * would.
 */
export class ManifestIndex {
  private readonly rows = new GrowableBytes(ROW * 1024);
  private readonly partRecords = new GrowableBytes(PART * 1024);
  private readonly pathBytes = new GrowableBytes(32 * 1024);
  /** Open addressing: row + 1 of the path whose hash starts probing there, 0 for free; at most half full. */
  private slots = new Uint32Array(2048);
  private readonly formats = new ValueTable();
  private readonly nodeIds = new ValueTable();
  private readonly modes = new ValueTable();
  private readonly partNames = new ValueTable();
  /** Rows that do not fit a record (hand-edited manifests), kept as parsed. */
  private readonly odd = new Map<number, ManifestEntry>();
  /** "node\0format" of every row: has this node had this format before? */
  private readonly nodeFormats = new Set<string>();

  constructor(
    readonly cluster: string,
    readonly kubernetesVersion?: string,
  ) {}

  /** An index of a manifest parsed whole (parseManifest). */
  static fromManifest(m: Manifest): ManifestIndex {
    const index = new ManifestIndex(m.cluster, m.kubernetesVersion);
    for (const e of m.files) index.add(e);
    index.done();
    return index;
  }

  /** Call after the last add(): frees the room kept for more rows. */
  done(): void {
    this.rows.trim();
    this.partRecords.trim();
    this.pathBytes.trim();
  }

  /** Takes one row (as parseManifest keeps it: path and sha256 are strings). */
  add(e: ManifestEntry): void {
    if (e.path === 'manifest.json') return;
    this.nodeIds.id(e.node);
    this.nodeFormats.add(`${e.node ?? ''}\0${e.format}`);
    const hash = pathHash(e.path);
    const slot = this.slotOf(e.path, hash);
    let row = this.slots[slot]! - 1;
    if (row === -1) {
      row = this.newRow(e.path, hash);
      this.slots[slot] = row + 1;
      if (this.rowCount * 2 > this.slots.length) this.growSlots();
    }
    this.odd.delete(row);
    if (!compactable(e)) {
      this.odd.set(row, e);
      return;
    }
    const b = this.rows.buf;
    const at = row * ROW;
    b.write(e.sha256, at, HASH, 'hex');
    b.writeDoubleLE(e.bytes, at + HASH);
    b.writeUInt32LE(this.formats.id(e.format), at + FORMAT);
    b.writeUInt32LE(this.nodeIds.id(e.node), at + NODE);
    b.writeUInt32LE(this.modes.id(e.mode), at + MODE);
    const parts = Object.entries(e.parts ?? {});
    b.writeUInt32LE(this.partRecords.length / PART, at + FIRST_PART);
    b.writeUInt32LE(e.parts === undefined ? NO_PARTS : parts.length, at + PART_COUNT);
    for (const [name, partHash] of parts) {
      const p = this.partRecords.reserve(PART);
      this.partRecords.buf.writeUInt32LE(this.partNames.id(name), p);
      this.partRecords.buf.write(partHash, p + 4, HASH, 'hex');
    }
  }

  /** The previous row for `path`, without its parts; undefined when the previous run had no such file. */
  get(path: string): PreviousFile | undefined {
    const row = this.rowOf(path);
    if (row === undefined) return undefined;
    const odd = this.odd.get(row);
    if (odd !== undefined) {
      const { role: _role, parts: _parts, ...file } = odd;
      return file;
    }
    const b = this.rows.buf;
    const at = row * ROW;
    const node = this.nodeIds.values[b.readUInt32LE(at + NODE)] as string | undefined;
    return {
      path,
      format: this.formats.values[b.readUInt32LE(at + FORMAT)] as string,
      ...(node !== undefined ? { node } : {}),
      bytes: b.readDoubleLE(at + HASH),
      sha256: b.toString('hex', at, at + HASH),
      mode: this.modes.values[b.readUInt32LE(at + MODE)] as string,
    };
  }

  /** The embedded files' hashes of the previous row for `path` (undefined when it had none). */
  partsOf(path: string): Record<string, string> | undefined {
    const row = this.rowOf(path);
    if (row === undefined) return undefined;
    const odd = this.odd.get(row);
    if (odd !== undefined) return odd.parts;
    const at = row * ROW;
    const count = this.rows.buf.readUInt32LE(at + PART_COUNT);
    if (count === NO_PARTS) return undefined;
    const first = this.rows.buf.readUInt32LE(at + FIRST_PART);
    const parts: Record<string, string> = {};
    const pb = this.partRecords.buf;
    for (let i = first; i < first + count; i++) {
      const p = i * PART;
      parts[this.partNames.values[pb.readUInt32LE(p)] as string] = pb.toString('hex', p + 4, p + 4 + HASH);
    }
    return parts;
  }

  /** Every path, in the order first seen. */
  *paths(): IterableIterator<string> {
    for (let row = 0; row < this.rowCount; row++) yield this.pathOf(row);
  }

  /** The nodes any row named. */
  nodes(): string[] {
    return this.nodeIds.values.filter((n) => n !== undefined) as string[];
  }

  /** Did any row name this node? */
  hadNode(node: string): boolean {
    return this.nodeIds.has(node);
  }

  /** Did any row of this node (undefined: of no node) have this format? */
  hadNodeFormat(node: string | undefined, format: string): boolean {
    return this.nodeFormats.has(`${node ?? ''}\0${format}`);
  }

  private get rowCount(): number {
    return this.rows.length / ROW;
  }

  private newRow(path: string, hash: number): number {
    const at = this.rows.reserve(ROW);
    // UTF-16 code units as they are: unlike UTF-8, this keeps even a lone surrogate.
    const size = path.length * 2;
    const start = this.pathBytes.reserve(size);
    this.pathBytes.buf.write(path, start, size, 'utf16le');
    this.rows.buf.writeUInt32LE(start, at + PATH_START);
    this.rows.buf.writeUInt32LE(size, at + PATH_LENGTH);
    this.rows.buf.writeUInt32LE(hash, at + PATH_HASH);
    return at / ROW;
  }

  private pathOf(row: number): string {
    const start = this.rows.buf.readUInt32LE(row * ROW + PATH_START);
    return this.pathBytes.buf.toString('utf16le', start, start + this.rows.buf.readUInt32LE(row * ROW + PATH_LENGTH));
  }

  private rowOf(path: string): number | undefined {
    const row = this.slots[this.slotOf(path, pathHash(path))]! - 1;
    return row === -1 ? undefined : row;
  }

  /** The slot holding `path`'s row, or the free slot where it would go. */
  private slotOf(path: string, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const row = this.slots[slot]! - 1;
      if (row === -1 || (this.rows.buf.readUInt32LE(row * ROW + PATH_HASH) === hash && this.pathOf(row) === path)) return slot;
    }
  }

  private growSlots(): void {
    this.slots = new Uint32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let row = 0; row < this.rowCount; row++) {
      let slot = this.rows.buf.readUInt32LE(row * ROW + PATH_HASH) & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = row + 1;
    }
  }
}

/**
 * Reads manifest.json text as ManifestBuilder lays it out (JSON.stringify(manifest,
 * null, 2): one row object per "    {" … "    }" block), chunk by chunk, into a
 * ManifestIndex, without the whole text or every row's object ever being held at
 * once. Each row is JSON.parse'd on its own; the blocks, their separators, the head
 * and the tail together are exactly the file's text, so the rows are what a whole
 * JSON.parse would give. Anything laid out otherwise makes push() return false: the
 * caller then parses the file whole (parseManifest), which decides what it means.
 */
export class ManifestRowReader {
  private pending = '';
  private index: ManifestIndex | undefined;
  private failed = false;
  private atTail = false;

  /** Takes the next piece of text; false once the text is not in the expected layout. */
  push(text: string): boolean {
    if (this.failed) return false;
    this.pending += text;
    if (this.atTail) {
      if (this.pending.length > TAIL.length) this.fail();
      return !this.failed;
    }
    if (this.index === undefined && !this.readHead()) return !this.failed;
    this.readRows();
    return !this.failed;
  }

  /** The index once all text is pushed; undefined when the layout did not match (parse it whole instead). */
  end(): ManifestIndex | undefined {
    if (this.failed || this.index === undefined || !this.atTail || this.pending !== TAIL) return undefined;
    this.index.done();
    return this.index;
  }

  private fail(): void {
    this.failed = true;
    this.pending = '';
  }

  private readHead(): boolean {
    const marker = '\n  "files": [\n';
    const end = this.pending.indexOf(marker);
    if (end === -1) {
      if (this.pending.length > 65536) this.fail();
      return false;
    }
    const headEnd = end + marker.length - 1;
    let head: unknown;
    try {
      head = JSON.parse(`${this.pending.slice(0, headEnd)}]}`);
    } catch {
      this.fail();
      return false;
    }
    const h = head as { cluster?: unknown; kubernetesVersion?: unknown; files?: unknown };
    if (typeof head !== 'object' || head === null || typeof h.cluster !== 'string' || !Array.isArray(h.files)) {
      this.fail();
      return false;
    }
    this.index = new ManifestIndex(h.cluster, typeof h.kubernetesVersion === 'string' ? h.kubernetesVersion : undefined);
    this.pending = this.pending.slice(headEnd + 1);
    return true;
  }

  private readRows(): void {
    let at = 0;
    const text = this.pending;
    for (;;) {
      if (text.length - at < 6) break;
      if (!text.startsWith('    {', at)) {
        this.fail();
        return;
      }
      const close = text.indexOf('\n    }', at);
      // The two characters after "}" say whether another row follows (",\n") or the array ends ("\n").
      if (close === -1 || close + 8 > text.length) break;
      let row: unknown;
      try {
        row = JSON.parse(text.slice(at + 4, close + 6));
      } catch {
        this.fail();
        return;
      }
      const e = row as ManifestEntry;
      if (typeof row === 'object' && row !== null && typeof e.path === 'string' && typeof e.sha256 === 'string') this.index!.add(e);
      if (text.startsWith(',\n', close + 6)) {
        at = close + 8;
      } else if (text[close + 6] === '\n') {
        this.atTail = true;
        this.pending = text.slice(close + 6);
        if (this.pending.length > TAIL.length) this.fail();
        return;
      } else {
        this.fail();
        return;
      }
    }
    this.pending = text.slice(at);
  }
}

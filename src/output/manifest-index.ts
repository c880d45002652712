/**
 * The previous run's manifest.json, kept compactly for the whole of a re-run: what
 * the change plan and the hard-link decision ask of it, nothing more. Parsed into
 * objects, a 10,000-node manifest (30,000 rows, 100,000 embedded-file hashes) held
 * 18 MB of live heap, and V8 lets the heap grow to about four times what is live
 * before it collects, so it cost ~70 MB of peak RSS. Here each row is a fixed-size
 * record in a Buffer (outside the JS heap): its sha256 and its embedded files'
 * hashes as 32 raw bytes, its format, node and mode as ids into tables of distinct
 * values. Only the path → row map and those tables are JS objects.
 */
import type { Manifest, ManifestEntry } from './manifest.js';

/** What a previous row says about a file (role and parts left out; see partsOf). */
export type PreviousFile = Omit<ManifestEntry, 'role' | 'parts'>;

const HASH = 32;
// Row record: sha256 (32 B), bytes (float64), format id, node id, mode id, first part, part count (uint32 each).
const ROW = HASH + 8 + 5 * 4;
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

/** An append-only byte store that doubles when full. */
class Records {
  buf: Buffer;
  length = 0;

  constructor(private readonly size: number) {
    this.buf = Buffer.alloc(size * 1024);
  }

  /** Offset of a new zeroed record. */
  append(): number {
    if (this.length + this.size > this.buf.length) {
      const bigger = Buffer.alloc(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    this.length += this.size;
    return this.length - this.size;
  }

  /** Gives back the room doubling left unused. */
  trim(): void {
    if (this.buf.length > this.length) this.buf = Buffer.from(this.buf.subarray(0, this.length));
  }
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
 * manifest.json itself is ignored: the manifest never lists itself). Later rows
 * for the same path replace earlier ones, as a Map keyed by path would.
 */
export class ManifestIndex {
  private readonly rowOf = new Map<string, number>();
  private readonly rows = new Records(ROW);
  private readonly partRecords = new Records(PART);
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
  }

  /** Takes one row (as parseManifest keeps it: path and sha256 are strings). */
  add(e: ManifestEntry): void {
    if (e.path === 'manifest.json') return;
    const row = this.rows.length / ROW;
    const at = this.rows.append();
    this.rowOf.set(e.path, row);
    this.nodeIds.id(e.node);
    this.nodeFormats.add(`${e.node ?? ''}\0${e.format}`);
    if (!compactable(e)) {
      this.odd.set(row, e);
      return;
    }
    const b = this.rows.buf;
    b.write(e.sha256, at, HASH, 'hex');
    b.writeDoubleLE(e.bytes, at + HASH);
    b.writeUInt32LE(this.formats.id(e.format), at + HASH + 8);
    b.writeUInt32LE(this.nodeIds.id(e.node), at + HASH + 12);
    b.writeUInt32LE(this.modes.id(e.mode), at + HASH + 16);
    const parts = Object.entries(e.parts ?? {});
    b.writeUInt32LE(this.partRecords.length / PART, at + HASH + 20);
    b.writeUInt32LE(e.parts === undefined ? 0xffffffff : parts.length, at + HASH + 24);
    for (const [name, hash] of parts) {
      const p = this.partRecords.append();
      this.partRecords.buf.writeUInt32LE(this.partNames.id(name), p);
      this.partRecords.buf.write(hash, p + 4, HASH, 'hex');
    }
  }

  /** The previous row for `path`, without its parts; undefined when the previous run had no such file. */
  get(path: string): PreviousFile | undefined {
    const row = this.rowOf.get(path);
    if (row === undefined) return undefined;
    const odd = this.odd.get(row);
    if (odd !== undefined) {
      const { role: _role, parts: _parts, ...file } = odd;
      return file;
    }
    const b = this.rows.buf;
    const at = row * ROW;
    const node = this.nodeIds.values[b.readUInt32LE(at + HASH + 12)] as string | undefined;
    return {
      path,
      format: this.formats.values[b.readUInt32LE(at + HASH + 8)] as string,
      ...(node !== undefined ? { node } : {}),
      bytes: b.readDoubleLE(at + HASH),
      sha256: b.toString('hex', at, at + HASH),
      mode: this.modes.values[b.readUInt32LE(at + HASH + 16)] as string,
    };
  }

  /** The embedded files' hashes of the previous row for `path` (undefined when it had none). */
  partsOf(path: string): Record<string, string> | undefined {
    const row = this.rowOf.get(path);
    if (row === undefined) return undefined;
    const odd = this.odd.get(row);
    if (odd !== undefined) return odd.parts;
    const at = row * ROW;
    const count = this.rows.buf.readUInt32LE(at + HASH + 24);
    if (count === 0xffffffff) return undefined;
    const first = this.rows.buf.readUInt32LE(at + HASH + 20);
    const parts: Record<string, string> = {};
    const pb = this.partRecords.buf;
    for (let i = first; i < first + count; i++) {
      const p = i * PART;
      parts[this.partNames.values[pb.readUInt32LE(p)] as string] = pb.toString('hex', p + 4, p + 4 + HASH);
    }
    return parts;
  }

  /** Every path, in the order first seen. */
  paths(): IterableIterator<string> {
    return this.rowOf.keys();
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

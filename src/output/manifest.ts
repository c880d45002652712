import { createHash } from 'node:crypto';
import type { OutputFile } from './output-file.js';
import { GrowableBytes } from './growable-bytes.js';

/** One row of manifest.json. */
export interface ManifestEntry {
  path: string;
  format: string;
  node?: string;
  role?: string;
  bytes: number;
  sha256: string;
  mode: string;
  /** What the file bundles (see OutputFile.parts): name → sha256. */
  parts?: Record<string, string>;
}

/** The parsed manifest.json. */
export interface Manifest {
  cluster: string;
  /** The Kubernetes version the nodes were generated for; absent in manifests of older runs. */
  kubernetesVersion?: string;
  files: ManifestEntry[];
}

/** The manifest row of a file (its sha256 computed when the producer did not). */
export function manifestEntry(f: OutputFile): ManifestEntry {
  return {
    path: f.path,
    format: f.format,
    ...(f.node !== undefined ? { node: f.node } : {}),
    ...(f.role !== undefined ? { role: f.role } : {}),
    bytes: f.content.byteLength,
    sha256: f.sha256 ?? createHash('sha256').update(f.content).digest('hex'),
    mode: f.mode.toString(8).padStart(4, '0'),
    ...(f.parts !== undefined ? { parts: f.parts } : {}),
  };
}

const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Collects manifest rows one file at a time (the file's bytes are not kept), so a
 * streaming run can write manifest.json last. The rows' finished UTF-8 text goes
 * into one growing buffer, outside the JS heap: for 10,000 nodes the rows are the
 * largest thing a run holds; as objects, or as strings, they took three to four
 * times the room of their bytes, and as one small Buffer each still 4 MB of heap.
 */
export class ManifestBuilder {
  /** Row i's path (the file's own string, which the run holds anyway). */
  private readonly paths: string[] = [];
  /** The rows' text one after another. */
  private readonly text = new GrowableBytes(256 * 1024);
  /** Where row i's text ends in `text` (float64 each). */
  private readonly ends = new GrowableBytes(8 * 1024);
  /** `kubernetesVersion`: what the nodes are generated for; the next run's skew guard reads it. */
  constructor(
    private readonly cluster: string,
    private readonly kubernetesVersion?: string,
  ) {}

  /** Records one written file. */
  add(f: OutputFile): void {
    // Indented as JSON.stringify(manifest, null, 2) indents an element of "files"
    // (JSON strings never hold a raw newline, so every newline is a line break).
    const row = `    ${JSON.stringify(manifestEntry(f), null, 2).replace(/\n/g, '\n    ')}`;
    const size = Buffer.byteLength(row, 'utf8');
    // reserve() may swap the buffer: take the offset before reading .buf.
    const at = this.text.reserve(size);
    this.text.buf.write(row, at, size, 'utf8');
    const end = this.ends.reserve(8);
    this.ends.buf.writeDoubleLE(this.text.length, end);
    this.paths.push(f.path);
  }

  /**
   * manifest.json as UTF-8 bytes: rows sorted by path; the same bytes as
   * JSON.stringify(manifest, null, 2) plus a newline. Copied once into one buffer,
   * never joined into one string first.
   */
  toBytes(): Uint8Array {
    const count = this.paths.length;
    const version = this.kubernetesVersion !== undefined ? `  "kubernetesVersion": ${JSON.stringify(this.kubernetesVersion)},\n` : '';
    const head = Buffer.from(`{\n  "cluster": ${JSON.stringify(this.cluster)},\n${version}  "files": ${count === 0 ? '[]' : '[\n'}`, 'utf8');
    const tail = Buffer.from(`${count === 0 ? '' : '\n  ]'}\n}\n`, 'utf8');
    const separator = Buffer.from(',\n', 'utf8');
    // A stable sort: rows with the same path keep the order they came in.
    const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => byPath(this.paths[a]!, this.paths[b]!));
    const out = Buffer.allocUnsafe(head.length + this.text.length + Math.max(0, count - 1) * separator.length + tail.length);
    let at = head.copy(out, 0);
    order.forEach((row, i) => {
      if (i > 0) at += separator.copy(out, at);
      const start = row === 0 ? 0 : this.ends.buf.readDoubleLE((row - 1) * 8);
      at += this.text.buf.copy(out, at, start, this.ends.buf.readDoubleLE(row * 8));
    });
    tail.copy(out, at);
    return out;
  }

  /** manifest.json as text (see toBytes). */
  toJson(): string {
    return Buffer.from(this.toBytes()).toString('utf8');
  }
}

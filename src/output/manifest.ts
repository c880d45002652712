import { createHash } from 'node:crypto';
import type { OutputFile } from './output-file.js';

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

const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * Collects manifest rows one file at a time (the file's bytes are not kept), so a
 * streaming run can write manifest.json last. Each row is kept as its finished
 * UTF-8 bytes: for 10,000 nodes the rows are the largest thing a run holds, and as
 * objects, or as the strings JSON.stringify and replace() build, they took three to
 * four times the room of their bytes.
 */
export class ManifestBuilder {
  private readonly rows: { path: string; bytes: Buffer }[] = [];
  /** `kubernetesVersion`: what the nodes are generated for; the next run's skew guard reads it. */
  constructor(
    private readonly cluster: string,
    private readonly kubernetesVersion?: string,
  ) {}

  /** Records one written file. */
  add(f: OutputFile): void {
    // Indented as JSON.stringify(manifest, null, 2) indents an element of "files"
    // (JSON strings never hold a raw newline, so every newline is a line break).
    this.rows.push({ path: f.path, bytes: Buffer.from(`    ${JSON.stringify(manifestEntry(f), null, 2).replace(/\n/g, '\n    ')}`, 'utf8') });
  }

  /**
   * manifest.json as UTF-8 bytes: rows sorted by path; the same bytes as
   * JSON.stringify(manifest, null, 2) plus a newline. Copied once into one buffer,
   * never joined into one string first.
   */
  toBytes(): Uint8Array {
    const version = this.kubernetesVersion !== undefined ? `  "kubernetesVersion": ${JSON.stringify(this.kubernetesVersion)},\n` : '';
    const head = Buffer.from(`{\n  "cluster": ${JSON.stringify(this.cluster)},\n${version}  "files": ${this.rows.length === 0 ? '[]' : '[\n'}`, 'utf8');
    const tail = Buffer.from(`${this.rows.length === 0 ? '' : '\n  ]'}\n}\n`, 'utf8');
    const separator = Buffer.from(',\n', 'utf8');
    const parts: Buffer[] = [head];
    [...this.rows].sort(byPath).forEach((row, i) => {
      if (i > 0) parts.push(separator);
      parts.push(row.bytes);
    });
    parts.push(tail);
    return Buffer.concat(parts);
  }

  /** manifest.json as text (see toBytes). */
  toJson(): string {
    return Buffer.from(this.toBytes()).toString('utf8');
  }
}

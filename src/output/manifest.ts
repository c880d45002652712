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

function manifestEntry(f: OutputFile): ManifestEntry {
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
 * Collects manifest rows one file at a time (a row is small: the file's bytes are
 * not kept), so a streaming run can write manifest.json last.
 */
export class ManifestBuilder {
  private readonly entries: ManifestEntry[] = [];
  /** `kubernetesVersion`: what the nodes are generated for; the next run's skew guard reads it. */
  constructor(
    private readonly cluster: string,
    private readonly kubernetesVersion?: string,
  ) {}

  /** Records one written file. */
  add(f: OutputFile): void {
    this.entries.push(manifestEntry(f));
  }

  /** manifest.json text: rows sorted by path, stable JSON. */
  toJson(): string {
    const manifest: Manifest = {
      cluster: this.cluster,
      ...(this.kubernetesVersion !== undefined ? { kubernetesVersion: this.kubernetesVersion } : {}),
      files: [...this.entries].sort(byPath),
    };
    return `${JSON.stringify(manifest, null, 2)}\n`;
  }
}

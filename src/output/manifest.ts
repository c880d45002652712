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

/**
 * Lists every file written (sorted by path) with its size and sha256, and the
 * Kubernetes version the nodes were generated for (the next run's skew guard
 * reads it), as stable JSON.
 */
export function buildManifest(cluster: string, files: readonly OutputFile[], kubernetesVersion?: string): string {
  const entries: ManifestEntry[] = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => ({
      path: f.path,
      format: f.format,
      ...(f.node !== undefined ? { node: f.node } : {}),
      ...(f.role !== undefined ? { role: f.role } : {}),
      bytes: f.content.byteLength,
      sha256: createHash('sha256').update(f.content).digest('hex'),
      mode: f.mode.toString(8).padStart(4, '0'),
      ...(f.parts !== undefined ? { parts: f.parts } : {}),
    }));
  const manifest: Manifest = { cluster, ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}), files: entries };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

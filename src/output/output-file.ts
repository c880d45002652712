import type { NodeRole } from '../profile/types.js';

/** Output formats a generation run can write. */
export type OutputFormat = 'cloud-init' | 'iso' | 'ignition' | 'nocloud-net';

/** One file of out/<cluster>/, relative to that directory. */
export interface OutputFile {
  /** Relative path with forward slashes, e.g. "nodes/worker-1/user-data". */
  path: string;
  content: Uint8Array;
  /** 0o600 for anything that carries a secret. */
  mode: number;
  /** What wrote it: a node format, or "cluster" for secrets/admin.conf/manifest.json. */
  format: OutputFormat | 'cluster';
  node?: string;
  role?: NodeRole;
  /**
   * For files that bundle others (user-data, config.ign: the node's plan files and
   * units by path on the node; seed.iso: its documents): name → sha256 of each part.
   * Recorded in manifest.json so the next run can say what inside changed.
   */
  parts?: Record<string, string>;
  /** Lowercase hex sha256 of `content`, when the producer already computed it. */
  sha256?: string;
}

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

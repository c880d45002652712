import { existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ManifestIndex } from '../output/manifest-index.js';
import type { OutputFile } from '../output/output-file.js';
import { sha256Hex } from '../output/plan-parts.js';
import { crashPoint } from './crash-point.js';
import { fsyncDirectory } from './atomic-write.js';
import { swapNames } from './swap-leftovers.js';

/** How OutputTree treats what is already in the target directory. */
export interface OutputTreeOptions {
  /** The target's manifest.json: files whose sha256 and mode match it are hard-linked, not rewritten. */
  previous?: ManifestIndex;
  /** Entries (e.g. "image", written by another command) carried over from the old tree unless the new one has them. */
  keep?: readonly string[];
  /**
   * Files (e.g. "secrets.yaml", saved before the run) that must already be in the
   * target with exactly the new bytes: they are hard-linked, never rewritten.
   */
  preserve?: readonly string[];
}

/** What a commit did, for the summary line. */
export interface OutputTreeStats {
  written: number;
  linked: number;
}

/**
 * Builds the next content of `target` file by file in a sibling temp directory and
 * swaps it in on commit(), so a failed or killed run leaves the old output whole
 * (a crash between the swap's two renames is repaired by recoverSwapLeftovers on the
 * next start). Files unchanged since the previous manifest are hard links to the old
 * ones, so a re-run does not rewrite what did not change.
 */
export class OutputTree {
  private readonly tmp: string;
  private readonly old: string;
  private readonly dirs = new Set<string>();
  private readonly stats: OutputTreeStats = { written: 0, linked: 0 };

  constructor(
    private readonly target: string,
    private readonly opts: OutputTreeOptions = {},
  ) {
    ({ tmp: this.tmp, old: this.old } = swapNames(target, process.pid));
    mkdirSync(dirname(target), { recursive: true });
    rmSync(this.tmp, { recursive: true, force: true });
    mkdirSync(this.tmp, { mode: 0o700 });
    this.dirs.add(this.tmp);
  }

  /** Puts one file into the new tree (a hard link when unchanged). Throws on I/O errors. */
  add(f: OutputFile): void {
    const path = join(this.tmp, f.path);
    this.ensureDir(dirname(path));
    const oldPath = join(this.target, f.path);
    if (this.opts.preserve?.includes(f.path)) {
      if (!existsSync(oldPath) || !readFileSync(oldPath).equals(f.content)) throw new Error(`${oldPath} must be saved before the output tree is built`);
      linkSync(oldPath, path);
      this.stats.linked++;
      return;
    }
    if (this.unchanged(f, oldPath)) {
      try {
        linkSync(oldPath, path);
        this.stats.linked++;
        return;
      } catch {
        // A filesystem without hard links (or at its link limit): write the bytes.
      }
    }
    // Created with its mode; umask can only make it stricter, never looser.
    writeFileSync(path, f.content, { mode: f.mode });
    this.stats.written++;
  }

  /** Swaps the new tree in and removes the old one. On failure the old output is put back. */
  commit(): OutputTreeStats {
    for (const name of this.opts.keep ?? []) {
      const from = join(this.target, name);
      if (existsSync(from) && !existsSync(join(this.tmp, name))) linkTree(from, join(this.tmp, name));
    }
    crashPoint('tree-written');
    const hadTarget = existsSync(this.target);
    try {
      if (hadTarget) renameSync(this.target, this.old);
      crashPoint('between-renames');
      renameSync(this.tmp, this.target);
      fsyncDirectory(dirname(this.target));
    } catch (err) {
      if (hadTarget && existsSync(this.old) && !existsSync(this.target)) renameSync(this.old, this.target);
      this.abort();
      throw err;
    }
    crashPoint('before-cleanup');
    rmSync(this.old, { recursive: true, force: true });
    return { ...this.stats };
  }

  /** Drops the unfinished new tree. */
  abort(): void {
    rmSync(this.tmp, { recursive: true, force: true });
  }

  private ensureDir(dir: string): void {
    if (this.dirs.has(dir)) return;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (let d = dir; d.length > this.tmp.length; d = dirname(d)) this.dirs.add(d);
  }

  /** Same bytes (by the previous manifest's sha256) and mode, and the old file still looks like that entry. */
  private unchanged(f: OutputFile, oldPath: string): boolean {
    const prev = this.opts.previous?.get(f.path);
    if (prev === undefined || prev.bytes !== f.content.byteLength || prev.mode !== f.mode.toString(8).padStart(4, '0')) return false;
    if (prev.sha256 !== (f.sha256 ?? sha256Hex(f.content))) return false;
    try {
      const st = lstatSync(oldPath);
      return st.isFile() && st.size === f.content.byteLength && (st.mode & 0o7777) === f.mode;
    } catch {
      return false;
    }
  }
}

/** Recreates directory `from` at `to` with every file hard-linked (cheap, and the old tree can go). */
function linkTree(from: string, to: string): void {
  const st = lstatSync(from);
  if (!st.isDirectory()) {
    linkSync(from, to);
    return;
  }
  mkdirSync(to, { mode: st.mode & 0o7777 });
  for (const name of readdirSync(from)) linkTree(join(from, name), join(to, name));
}

/** Replaces `targetDir` with exactly `files` (see OutputTree); for small trees such as image/. */
export function replaceDirectory(targetDir: string, files: Iterable<OutputFile>, keep: readonly string[] = []): OutputTreeStats {
  const tree = new OutputTree(targetDir, { keep });
  try {
    for (const f of files) tree.add(f);
  } catch (err) {
    tree.abort();
    throw err;
  }
  return tree.commit();
}

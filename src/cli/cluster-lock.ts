import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic, Result } from '../diagnostics.js';
import { processAlive } from './process-alive.js';

/** A held per-cluster lock; release() is idempotent and also runs at process exit. */
export interface ClusterLock {
  file: string;
  /** What taking the lock involved worth telling the user (a stale lock taken over). */
  notes: string[];
  release(): void;
}

/** Path of the lock of `cluster` under the output root: beside out/<cluster>/, so the swap never moves it. */
export function clusterLockPath(outRoot: string, cluster: string): string {
  return join(outRoot, `.${cluster}.lock`);
}

function readOwner(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function busy(file: string, cluster: string, pid: number): Diagnostic {
  return {
    severity: 'error',
    code: 'cluster-locked',
    path: '',
    line: 0,
    col: 0,
    file,
    message: `cluster "${cluster}" is being written by process ${pid} (it holds this lock); run again when it has finished. If no gen-userdata process ${pid} is running, delete the lock file.`,
  };
}

/**
 * Takes the lock of `cluster` for a command that writes: a file holding our pid,
 * created with link(2) so it appears complete or not at all. A lock whose owner
 * process is gone (a crashed run) is taken over and reported in `notes`; a live
 * owner is a `cluster-locked` diagnostic. Throws only on I/O errors other than
 * the lock being held.
 */
export function acquireClusterLock(outRoot: string, cluster: string): Result<ClusterLock> {
  mkdirSync(outRoot, { recursive: true });
  const file = clusterLockPath(outRoot, cluster);
  const mine = `${file}.${process.pid}`;
  const notes: string[] = [];
  writeFileSync(mine, `${process.pid}\n`, { mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(mine, file);
        return { ok: true, value: heldLock(file, notes), warnings: [] };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = readOwner(file);
      if (owner === undefined) continue; // released (or being replaced) meanwhile: try again
      if (owner !== process.pid && processAlive(owner)) return { ok: false, diagnostics: [busy(file, cluster, owner)] };
      // Stale: move it aside under a name only we use, then make sure it was the
      // stale lock we moved and not one another process took meanwhile.
      const aside = `${file}.stale-${process.pid}`;
      try {
        renameSync(file, aside);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      const moved = readOwner(aside);
      if (moved !== owner && moved !== undefined && processAlive(moved)) {
        try {
          linkSync(aside, file);
        } finally {
          unlinkSync(aside);
        }
        return { ok: false, diagnostics: [busy(file, cluster, moved)] };
      }
      unlinkSync(aside);
      notes.push(`took over the lock ${file} of process ${owner}, which is no longer running`);
    }
    return { ok: false, diagnostics: [busy(file, cluster, readOwner(file) ?? 0)] };
  } finally {
    unlinkSync(mine);
  }
}

function heldLock(file: string, notes: string[]): ClusterLock {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    // Only our own lock: never delete one another process took over.
    if (readOwner(file) === process.pid) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', release);
  return { file, notes, release };
}

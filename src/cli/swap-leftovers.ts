import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { processAlive } from './process-alive.js';

/** A sibling tree (or temp file) an output swap left behind: `.<name>.tmp-<pid>`, `.<name>.old-<pid>`, `<name>.tmp-<pid>`. */
export interface SwapLeftover {
  path: string;
  kind: 'tmp' | 'old';
  pid: number;
}

/** Names of the temp and old trees that replacing `target` uses. */
export function swapNames(target: string, pid: number): { tmp: string; old: string } {
  const parent = dirname(target);
  const name = basename(target);
  return { tmp: join(parent, `.${name}.tmp-${pid}`), old: join(parent, `.${name}.old-${pid}`) };
}

/** Temp file name writeFileAtomic uses for `file`. */
export function tempFileName(file: string, pid: number): string {
  return `${file}.tmp-${pid}`;
}

/** Leftovers of swaps of `target` (trees beside it, and temp files of an atomic write of it), any owner. */
export function findSwapLeftovers(target: string): SwapLeftover[] {
  const parent = dirname(target);
  const name = basename(target);
  if (!existsSync(parent)) return [];
  const tree = new RegExp(`^\\.${escapeRegExp(name)}\\.(tmp|old)-(\\d+)$`);
  const file = new RegExp(`^${escapeRegExp(name)}\\.(tmp)-(\\d+)$`);
  const found: SwapLeftover[] = [];
  for (const entry of readdirSync(parent)) {
    const m = tree.exec(entry) ?? file.exec(entry);
    if (m) found.push({ path: join(parent, entry), kind: m[1] as 'tmp' | 'old', pid: Number(m[2]) });
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Whether the process that made a leftover is gone (our own pid counts as gone: it was an earlier process). */
function ownerGone(l: SwapLeftover): boolean {
  return l.pid === process.pid || !processAlive(l.pid);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function sameBytes(a: string, b: string): boolean {
  try {
    return readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
}

/**
 * Repairs what a crashed run left around `target` (call it holding the cluster
 * lock). When `target` is missing and an old tree of a dead process exists, the
 * crash came between the swap's two renames: the old tree is renamed back (the
 * complete previous output). Then stale leftovers of dead processes are removed,
 * except a tree whose `preserve` file (secrets.yaml) is not byte-identical in
 * `target`: that one is kept, and secret creation refuses while it exists.
 * Returns one line per action, for stderr. Throws only on I/O errors.
 */
export function recoverSwapLeftovers(target: string, preserve?: string): string[] {
  const notes: string[] = [];
  const stale = findSwapLeftovers(target).filter(ownerGone);
  if (!existsSync(target)) {
    const olds = stale.filter((l) => l.kind === 'old' && statSync(l.path).isDirectory());
    const newest = olds.sort((a, b) => statSync(b.path).mtimeMs - statSync(a.path).mtimeMs)[0];
    if (newest !== undefined) {
      renameSync(newest.path, target);
      notes.push(`restored ${target} from ${newest.path}: process ${newest.pid} was interrupted while swapping in its output`);
      stale.splice(stale.indexOf(newest), 1);
    }
  }
  for (const l of stale) {
    const isTree = statSync(l.path).isDirectory();
    if (isTree && preserve !== undefined) {
      const kept = join(l.path, preserve);
      const current = join(target, preserve);
      if (existsSync(kept) && !sameBytes(kept, current)) {
        const why = existsSync(current) ? `differs from ${current}` : `is the only copy (${current} is missing)`;
        notes.push(`kept ${l.path} (left by process ${l.pid}): its ${preserve} ${why}`);
        continue;
      }
    }
    rmSync(l.path, { recursive: true, force: true });
    notes.push(`removed ${l.path}, left by process ${l.pid} which was interrupted`);
  }
  return notes;
}

/**
 * Copies of `fileName` (secrets.yaml) in leftover trees or temp files of `target`,
 * whoever made them: while any exists, a missing `target/fileName` must not be
 * replaced by new secrets.
 */
export function leftoverCopies(target: string, fileName: string): string[] {
  const trees = findSwapLeftovers(target)
    .filter((l) => statSync(l.path).isDirectory())
    .map((l) => join(l.path, fileName));
  const temps = findSwapLeftovers(join(target, fileName)).map((l) => l.path);
  return [...trees, ...temps].filter((p) => existsSync(p));
}

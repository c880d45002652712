import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import type { OutputFile } from '../output/output-file.js';

/**
 * Replaces `targetDir` with exactly `files`: everything is written to a sibling
 * temporary directory first and renamed into place, so a failed run leaves the old
 * output untouched and nothing half-written. Entries named in `keep` (e.g. "image",
 * written by another command) move over from the old directory unless `files`
 * has them too.
 */
export function replaceDirectory(targetDir: string, files: readonly OutputFile[], keep: readonly string[] = []): void {
  const parent = dirname(targetDir);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(targetDir)}.tmp-${process.pid}`);
  const old = join(parent, `.${basename(targetDir)}.old-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  const moved: string[] = [];
  try {
    mkdirSync(tmp, { mode: 0o700 });
    for (const f of files) {
      const path = join(tmp, f.path);
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      // Created with its mode; umask can only make it stricter, never looser.
      writeFileSync(path, f.content, { mode: f.mode });
    }
    chmodSync(tmp, 0o700);
    for (const name of keep) {
      if (existsSync(join(targetDir, name)) && !existsSync(join(tmp, name))) {
        renameSync(join(targetDir, name), join(tmp, name));
        moved.push(name);
      }
    }
    if (existsSync(targetDir)) renameSync(targetDir, old);
    renameSync(tmp, targetDir);
  } catch (err) {
    if (existsSync(old) && !existsSync(targetDir)) renameSync(old, targetDir);
    for (const name of moved) {
      if (existsSync(targetDir) && existsSync(join(tmp, name))) renameSync(join(tmp, name), join(targetDir, name));
    }
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  rmSync(old, { recursive: true, force: true });
}

/** Writes one file atomically (temp file + rename) with the given mode. */
export function writeFileAtomic(path: string, content: Uint8Array | string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

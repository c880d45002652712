import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { tempFileName } from './swap-leftovers.js';

/** fsyncs a directory, so a rename or new entry in it survives a power loss. */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes one file atomically with the given mode: a temp file beside it, fsynced,
 * renamed over the target, and the directory fsynced, so after a crash or power
 * loss the path holds either the old or the new content, never a torn file.
 */
export function writeFileAtomic(path: string, content: Uint8Array | string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = tempFileName(path, process.pid);
  // Created with its mode; umask can only make it stricter, never looser.
  const fd = openSync(tmp, 'w', mode);
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let off = 0;
    while (off < bytes.byteLength) off += writeSync(fd, bytes, off, bytes.byteLength - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDirectory(dirname(path));
}

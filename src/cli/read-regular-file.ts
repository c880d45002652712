import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';

/** Largest file a profile or command line may point at (manifestFile, keyFile, --templates files): 4 MiB. */
export const REFERENCED_FILE_MAX_BYTES = 4 * 1024 * 1024;

/** A file's text, or why it was not read (for a diagnostic). */
export type RegularFileText = { ok: true; text: string } | { ok: false; reason: string; missing: boolean };

function kindOf(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads a regular file of at most `maxBytes` as UTF-8. Anything else (missing,
 * a directory, a FIFO, a device such as /dev/zero, too large) comes back as a
 * reason, without blocking: the file is checked before it is opened, opened
 * non-blocking, and checked again on the open descriptor. Throws only on
 * unexpected I/O errors.
 */
export function readRegularFile(path: string, maxBytes = REFERENCED_FILE_MAX_BYTES): RegularFileText {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'no such file', missing: true };
    if (code === 'EACCES') return { ok: false, reason: 'permission denied', missing: false };
    throw err;
  }
  if (!st.isFile()) return { ok: false, reason: `is ${kindOf(st)}, not a regular file`, missing: false };
  if (st.size > maxBytes) return { ok: false, reason: `is ${st.size} bytes; the limit is ${maxBytes} bytes`, missing: false };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EACCES') return { ok: false, reason: 'permission denied', missing: false };
    throw err;
  }
  try {
    // It may have been swapped for something else since the stat.
    const now = fstatSync(fd);
    if (!now.isFile()) return { ok: false, reason: `is ${kindOf(now)}, not a regular file`, missing: false };
    const buf = Buffer.alloc(Math.min(now.size, maxBytes) + 1);
    let len = 0;
    for (let n = -1; n !== 0 && len < buf.length; len += n) n = readSync(fd, buf, len, buf.length - len, null);
    if (len > maxBytes) return { ok: false, reason: `is over the limit of ${maxBytes} bytes`, missing: false };
    return { ok: true, text: buf.subarray(0, len).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}

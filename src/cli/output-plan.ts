import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Manifest } from '../output/manifest.js';
import { ManifestIndex, ManifestRowReader } from '../output/manifest-index.js';
import { formatChangePlan, parseManifest, type ChangePlan } from '../output/change-plan.js';

/**
 * Pieces of 64 KiB: under glibc's initial mmap threshold. A large read buffer, once
 * freed, raises that threshold for the rest of the run, so later large buffers come
 * from the heap, which fragments (measured: ~25 MB more peak RSS on a 10,000-node
 * re-run).
 */
const PIECE = 64 * 1024;

/** Hands `file`'s UTF-8 text to `take` piece by piece while it returns true; false when it stopped early. */
function readPieces(file: string, take: (text: string) => boolean): boolean {
  const decoder = new StringDecoder('utf8');
  const chunk = Buffer.allocUnsafe(PIECE);
  const fd = openSync(file, 'r');
  try {
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) if (!take(decoder.write(chunk.subarray(0, n)))) return false;
    return take(decoder.end());
  } finally {
    closeSync(fd);
  }
}

/** The manifest.json of the last run in `clusterDir`; undefined when there is none or it is unreadable. */
export function readPreviousManifest(clusterDir: string): Manifest | undefined {
  const file = join(clusterDir, 'manifest.json');
  if (!existsSync(file)) return undefined;
  return parseManifest(readFileSync(file, 'utf8'));
}

/**
 * The manifest.json of the last run in `clusterDir` as a compact index (for the
 * change plan and hard-linking unchanged files): read row by row, so neither the
 * whole text nor every row's object is held at once. A file not laid out as this
 * tool writes it is parsed whole instead; undefined when there is none or it is
 * unreadable, as readPreviousManifest.
 */
export function readPreviousManifestIndex(clusterDir: string): ManifestIndex | undefined {
  const file = join(clusterDir, 'manifest.json');
  if (!existsSync(file)) return undefined;
  const reader = new ManifestRowReader();
  const index = readPieces(file, (text) => reader.push(text)) ? reader.end() : undefined;
  if (index !== undefined) return index;
  const whole = parseManifest(readFileSync(file, 'utf8'));
  return whole === undefined ? undefined : ManifestIndex.fromManifest(whole);
}

/** Writes the plan's lines to `stream`. */
export function printPlan(plan: ChangePlan, stream: NodeJS.WritableStream): void {
  stream.write(formatChangePlan(plan).map((l) => `${l}\n`).join(''));
}

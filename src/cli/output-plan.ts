import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Manifest } from '../output/manifest.js';
import { ManifestIndex, ManifestRowReader } from '../output/manifest-index.js';
import { formatChangePlan, parseManifest, type ChangePlan } from '../output/change-plan.js';

/** The manifest.json of the last run in `clusterDir`; undefined when there is none or it is unreadable. */
export function readPreviousManifest(clusterDir: string): Manifest | undefined {
  const file = join(clusterDir, 'manifest.json');
  if (!existsSync(file)) return undefined;
  return parseManifest(readFileSync(file, 'utf8'));
}

/**
 * The manifest.json of the last run in `clusterDir` as a compact index (for the
 * change plan and hard-linking unchanged files): read row by row in 1 MiB pieces,
 * so neither the whole text nor every row's object is held at once. A file not laid
 * out as this tool writes it is parsed whole instead; undefined when there is none
 * or it is unreadable, as readPreviousManifest.
 */
export function readPreviousManifestIndex(clusterDir: string): ManifestIndex | undefined {
  const file = join(clusterDir, 'manifest.json');
  if (!existsSync(file)) return undefined;
  const reader = new ManifestRowReader();
  const decoder = new StringDecoder('utf8');
  const chunk = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(file, 'r');
  let inLayout = true;
  try {
    for (let n = readSync(fd, chunk); n > 0 && inLayout; n = readSync(fd, chunk)) inLayout = reader.push(decoder.write(chunk.subarray(0, n)));
    if (inLayout) inLayout = reader.push(decoder.end());
  } finally {
    closeSync(fd);
  }
  const index = inLayout ? reader.end() : undefined;
  if (index !== undefined) return index;
  const whole = parseManifest(readFileSync(file, 'utf8'));
  return whole === undefined ? undefined : ManifestIndex.fromManifest(whole);
}

/** Writes the plan's lines to `stream`. */
export function printPlan(plan: ChangePlan, stream: NodeJS.WritableStream): void {
  stream.write(formatChangePlan(plan).map((l) => `${l}\n`).join(''));
}

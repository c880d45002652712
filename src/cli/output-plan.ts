import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../output/manifest.js';
import type { OutputFile } from '../output/output-file.js';
import { diffManifests, formatChangePlan, parseManifest, type ChangePlan } from '../output/change-plan.js';

/** The manifest.json of the last run in `clusterDir`; undefined when there is none or it is unreadable. */
export function readPreviousManifest(clusterDir: string): Manifest | undefined {
  const file = join(clusterDir, 'manifest.json');
  if (!existsSync(file)) return undefined;
  return parseManifest(readFileSync(file, 'utf8'));
}

/**
 * What writing `files` to `clusterDir` would change, against the manifest.json
 * already there. Throws only when `files` lacks its own manifest.json (a bug).
 */
export function planOutput(clusterDir: string, files: readonly OutputFile[]): ChangePlan {
  const own = files.find((f) => f.path === 'manifest.json');
  const next = own === undefined ? undefined : parseManifest(Buffer.from(own.content).toString('utf8'));
  if (next === undefined) throw new Error('generated output has no manifest.json');
  return diffManifests(readPreviousManifest(clusterDir), next);
}

/** Writes the plan's lines to `stream`. */
export function printPlan(plan: ChangePlan, stream: NodeJS.WritableStream): void {
  stream.write(formatChangePlan(plan).map((l) => `${l}\n`).join(''));
}

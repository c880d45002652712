import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../output/manifest.js';
import { formatChangePlan, parseManifest, type ChangePlan } from '../output/change-plan.js';

/** The manifest.json of the last run in `clusterDir`; undefined when there is none or it is unreadable. */
export function readPreviousManifest(clusterDir: string): Manifest | undefined {
  const file = join(clusterDir, 'manifest.json');
  if (!existsSync(file)) return undefined;
  return parseManifest(readFileSync(file, 'utf8'));
}

/** Writes the plan's lines to `stream`. */
export function printPlan(plan: ChangePlan, stream: NodeJS.WritableStream): void {
  stream.write(formatChangePlan(plan).map((l) => `${l}\n`).join(''));
}

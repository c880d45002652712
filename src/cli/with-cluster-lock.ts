import { join } from 'node:path';
import { acquireClusterLock } from './cluster-lock.js';
import { recoverSwapLeftovers } from './swap-leftovers.js';
import { IMAGE_DIR } from '../output/generate-image.js';
import { fail } from './report.js';
import { SECRETS_FILE } from './secrets-store.js';

/**
 * Runs a command that writes to out/<cluster>/ holding the cluster's lock: a second
 * writer gets a `cluster-locked` error (exit 1) instead of racing this one. Before
 * `run`, repairs what a crashed run left behind (a half-done swap is rolled back to
 * the complete old output; stale temp and old trees of dead processes are removed)
 * and says so on stderr. Resolves to run's exit code; the lock is released in any case,
 * after an asynchronous run (creating secrets) has finished.
 */
export async function withClusterLock(outRoot: string, cluster: string, run: () => number | Promise<number>): Promise<number> {
  const lock = acquireClusterLock(outRoot, cluster);
  if (!lock.ok) return fail(lock.diagnostics);
  try {
    const clusterDir = join(outRoot, cluster);
    const notes = [
      ...lock.value.notes,
      ...recoverSwapLeftovers(clusterDir, SECRETS_FILE),
      ...recoverSwapLeftovers(join(clusterDir, SECRETS_FILE)),
      ...recoverSwapLeftovers(join(clusterDir, IMAGE_DIR)),
    ];
    for (const n of notes) process.stderr.write(`gen-userdata: ${n}\n`);
    return await run();
  } finally {
    lock.value.release();
  }
}

import type { Diagnostic } from '../diagnostics.js';
import type { OutputFile } from '../output/output-file.js';
import { ChangePlanBuilder, type ChangePlan } from '../output/change-plan.js';
import { manifestEntry } from '../output/manifest.js';
import { SizeReportBuilder } from '../output/size-report.js';
import { IMAGE_DIR } from '../output/generate-image.js';
import { UPGRADE_DIR } from '../upgrade/upgrade-plan.js';
import { OutputTree, type OutputTreeStats } from './output-tree.js';
import { readPreviousManifestIndex } from './output-plan.js';
import type { ManifestIndex } from '../output/manifest-index.js';
import { kernelCommandLineWarning } from './nocloud-net-options.js';
import { SECRETS_FILE } from './secrets-store.js';

/** What streaming a cluster's files to out/<cluster>/ produced. */
export interface ClusterOutputResult {
  plan: ChangePlan;
  fileCount: number;
  sizes: { lines: string[]; warnings: Diagnostic[] };
  warnings: Diagnostic[];
  /** undefined for a dry run (nothing written). */
  stats?: OutputTreeStats;
}

/**
 * Consumes generated files one at a time: each goes into the new tree of
 * `clusterDir` (or nowhere, for a dry run) and into the size report, and is then
 * dropped. The change plan is built from the same stream, file by file, against the
 * previous manifest.json (the new one, last in the stream, is not parsed back). The new tree replaces the old only when the stream
 * ends without error; secrets.yaml must already be saved (it is hard-linked, never
 * rewritten), and image/ from `gen-userdata image` is carried over.
 */
export function writeClusterOutput(
  clusterDir: string,
  files: Iterable<OutputFile>,
  opts: { dryRun: boolean; maxBytes?: number; previous?: ManifestIndex },
): ClusterOutputResult {
  // The caller may have read it already (generate's version-skew check): read once.
  const previous = opts.previous ?? readPreviousManifestIndex(clusterDir);
  const tree = opts.dryRun ? undefined : new OutputTree(clusterDir, { ...(previous !== undefined ? { previous } : {}), keep: [IMAGE_DIR, UPGRADE_DIR], preserve: [SECRETS_FILE] });
  const sizes = new SizeReportBuilder(opts.maxBytes);
  const warnings: Diagnostic[] = [];
  const changes = new ChangePlanBuilder(previous);
  let sawManifest = false;
  let fileCount = 0;
  try {
    for (const f of files) {
      tree?.add(f);
      sizes.add(f);
      const w = kernelCommandLineWarning(f);
      if (w !== undefined) warnings.push(w);
      if (f.path === 'manifest.json') sawManifest = true;
      else changes.add(manifestEntry(f));
      fileCount++;
    }
  } catch (err) {
    tree?.abort();
    throw err;
  }
  if (!sawManifest) {
    tree?.abort();
    throw new Error('generated output has no manifest.json');
  }
  const plan = changes.result();
  const stats = tree?.commit();
  return { plan, fileCount, sizes: sizes.result(), warnings, ...(stats !== undefined ? { stats } : {}) };
}

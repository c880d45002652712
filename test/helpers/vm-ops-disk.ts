/**
 * The operator actions' disk: a small ISO 9660 image labelled E2EOPS that the
 * guest's operator.sh (test/e2e/image/overlay/.../operator.sh) mounts to find
 * what the test hands it, e.g. the node's generated upgrade script as upgrade.sh.
 * It rides next to the seed as a second CD-ROM: the guest has no other channel in.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The volume label operator.sh looks for. */
export const OPS_LABEL = 'E2EOPS';

/** Writes `files` (name → content, mode 0755) into dir/ops/ and makes dir/ops.iso of them. Throws when genisoimage fails. */
export function writeOpsDisk(files: Record<string, string>, dir: string): string {
  const tree = join(dir, 'ops');
  mkdirSync(tree, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(tree, name), content, { mode: 0o755 });
  const iso = join(dir, 'ops.iso');
  const r = spawnSync('genisoimage', ['-quiet', '-output', iso, '-volid', OPS_LABEL, '-rock', tree], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`genisoimage failed: ${r.stderr}`);
  return iso;
}

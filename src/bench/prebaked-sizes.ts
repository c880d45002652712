// Bench: user-data size of a golden-image (image.prebaked) node against a node that
// installs everything itself, per role, for the bundled lab profile. In-process:
// sizes do not depend on timing.
import { readProfile } from '../cli/read-profile.js';
import { loadTemplates } from '../cli/load-templates.js';
import { newClusterSecrets } from '../cli/secrets-store.js';
import { generateClusterFiles } from '../output/generate-cluster.js';
import { isInitNode } from '../plan/build-node-plan.js';
import type { Profile, ProfileNode } from '../profile/types.js';

/** One line per role (init control plane, worker): full vs prebaked user-data bytes. */
export async function prebakedSizeLines(profileRef = 'lab'): Promise<string[]> {
  const loaded = readProfile(profileRef);
  if (!loaded.ok) throw new Error(`bench profile ${profileRef} is invalid`);
  const full = loaded.value;
  const prebaked: Profile = structuredClone(full);
  prebaked.packages.install = false;
  prebaked.images.prebaked = true;
  const templates = loadTemplates();
  const secrets = await newClusterSecrets(full);
  const sizes = (p: Profile): Map<string, number> =>
    new Map(generateClusterFiles({ profile: p, secrets, templates, formats: ['cloud-init'] })
      .filter((f) => f.path.endsWith('/user-data'))
      .map((f) => [f.node ?? '', f.content.length]));
  const a = sizes(full);
  const b = sizes(prebaked);
  const role = (n: ProfileNode): string => (isInitNode(full, n) ? 'init control plane' : n.role === 'control-plane' ? 'control plane' : 'worker');
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const node of full.nodes) {
    const r = role(node);
    if (seen.has(r)) continue;
    seen.add(r);
    const before = a.get(node.name) ?? 0;
    const after = b.get(node.name) ?? 0;
    lines.push(
      `${profileRef} ${r} user-data: full ${before} B, prebaked ${after} B (${(100 - (100 * after) / before).toFixed(0)}% smaller)`,
    );
  }
  return lines;
}

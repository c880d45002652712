// Bench: what a user pastes for each role of the bundled lab profile, with fresh
// secrets of the profile's defaults, raw and gzip -9, against the size targets
// (AWS EC2 takes 16,384 B; the targets leave room for growth). In-process: sizes
// do not depend on timing.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { readProfile } from '../cli/read-profile.js';
import { loadTemplates } from '../cli/load-templates.js';
import { createClusterSecrets } from '../pki/cluster-secrets.js';
import { generateClusterFiles } from '../output/generate-cluster.js';

/** Size targets per role: a worker raw, a control plane gzip -9 (--compress gzip). */
export const USER_DATA_TARGETS = { worker: { bytes: 12 * 1024, form: 'raw' }, 'control-plane': { bytes: 12 * 1024, form: 'gzip -9' } } as const;

/** One line per role: raw and gzip -9 bytes of its largest user-data, and whether the target is met. */
export function userDataSizeLines(profileRef = 'lab'): string[] {
  const loaded = readProfile(profileRef);
  if (!loaded.ok) throw new Error(`bench profile ${profileRef} is invalid`);
  const profile = loaded.value;
  const secrets = createClusterSecrets({
    clusterName: profile.cluster.name,
    now: new Date(),
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    tokenTtl: profile.cluster.token.ttl,
  });
  const largest = new Map<string, Uint8Array>();
  for (const f of generateClusterFiles({ profile, secrets, templates: loadTemplates(), formats: ['cloud-init'] })) {
    if (!f.path.endsWith('/user-data') || f.role === undefined) continue;
    if ((largest.get(f.role)?.byteLength ?? -1) < f.content.byteLength) largest.set(f.role, f.content);
  }
  return [...largest].map(([role, content]) => {
    const raw = content.byteLength;
    const gz = gzipSync(content, { level: 9 }).byteLength;
    const target = USER_DATA_TARGETS[role as keyof typeof USER_DATA_TARGETS];
    const measured = target.form === 'raw' ? raw : gz;
    return `${profileRef} ${role} user-data: ${raw} B raw, ${gz} B gzip -9   target: ${target.form} <= ${target.bytes} B (${measured <= target.bytes ? 'met' : 'NOT met'})`;
  });
}

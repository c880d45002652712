import { randomBytes } from 'node:crypto';
import type { Result } from '../diagnostics.js';
import type { Profile } from '../profile/types.js';
import type { ClusterSecrets } from '../pki/types.js';
import { createClusterSecrets } from '../pki/cluster-secrets.js';
import { loadOrCreateSecrets, secretsPath } from './secrets-store.js';

/**
 * Secrets for `--dry-run`: the saved bundle when there is one; for a cluster that
 * has none yet, a throwaway bundle that is never saved (a dry run writes nothing,
 * and the plan of a first run lists every file as new anyway). A damaged or
 * foreign bundle is still an error.
 */
export function loadSecretsForDryRun(outRoot: string, profile: Profile): Result<{ secrets: ClusterSecrets; created: boolean; file: string }> {
  const saved = loadOrCreateSecrets(outRoot, profile, false);
  if (saved.ok || !saved.diagnostics.every((d) => d.code === 'secrets-missing')) return saved;
  const secrets = createClusterSecrets({
    clusterName: profile.cluster.name,
    now: new Date(),
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    tokenTtl: profile.cluster.token.ttl,
  });
  return { ok: true, value: { secrets, created: false, file: secretsPath(outRoot, profile.cluster.name) }, warnings: [] };
}

import type { Result } from '../diagnostics.js';
import type { Profile } from '../profile/types.js';
import { loadSecrets, newClusterSecrets, secretsPath, withEncryptionKey, type LoadedSecrets } from './secrets-store.js';

/**
 * Secrets for `--dry-run`: the saved bundle when there is one; for a cluster that
 * has none yet, a throwaway bundle that is never saved (a dry run writes nothing,
 * and the plan of a first run lists every file as new anyway). A damaged or
 * foreign bundle is still an error.
 */
export async function loadSecretsForDryRun(outRoot: string, profile: Profile, profileFile: string): Promise<Result<LoadedSecrets>> {
  const saved = loadSecrets(outRoot, profile, profileFile);
  // A missing encryption key is added in memory only: the plan shows the files it changes.
  if (saved.ok) return { ...saved, value: withEncryptionKey(saved.value, profile, false) };
  if (!saved.diagnostics.every((d) => d.code === 'secrets-missing')) return saved;
  const secrets = await newClusterSecrets(profile);
  return { ok: true, value: { secrets, created: false, file: secretsPath(outRoot, profile.cluster.name) }, warnings: [] };
}

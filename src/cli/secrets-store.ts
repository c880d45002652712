import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Diagnostic, Result } from '../diagnostics.js';
import type { Profile } from '../profile/types.js';
import type { ClusterSecrets } from '../pki/types.js';
import { parseSecrets } from '../pki/parse-secrets.js';
import { createClusterSecrets } from '../pki/cluster-secrets.js';
import { serializeSecrets } from '../pki/serialize-secrets.js';
import { writeFileAtomic } from './atomic-write.js';

/** Path of a cluster's secrets bundle under the output root. */
export function secretsPath(outRoot: string, clusterName: string): string {
  return join(outRoot, clusterName, 'secrets.yaml');
}

function secretsError(file: string, code: string, message: string): Diagnostic {
  return { severity: 'error', code, path: '', message, line: 0, col: 0, file };
}

/**
 * Reads out/<cluster>/secrets.yaml. When it does not exist and `create` is set, makes a
 * new bundle (new CAs: a new cluster), saves it at once with mode 0600 and says so in
 * `created`. A damaged or foreign bundle is an error and is never replaced.
 */
export function loadOrCreateSecrets(
  outRoot: string,
  profile: Profile,
  create: boolean,
): Result<{ secrets: ClusterSecrets; created: boolean; file: string }> {
  const file = secretsPath(outRoot, profile.cluster.name);
  if (existsSync(file)) {
    const parsed = parseSecrets(readFileSync(file, 'utf8'), file);
    if (!parsed.ok) return parsed;
    if (parsed.value.clusterName !== profile.cluster.name) {
      return { ok: false, diagnostics: [secretsError(file, 'secrets-cluster-mismatch', `belongs to cluster "${parsed.value.clusterName}", not "${profile.cluster.name}"`)] };
    }
    return { ok: true, value: { secrets: parsed.value, created: false, file }, warnings: parsed.warnings };
  }
  if (!create) {
    return { ok: false, diagnostics: [secretsError(file, 'secrets-missing', 'no secrets yet; run gen-userdata once to create them')] };
  }
  const secrets = createClusterSecrets({
    clusterName: profile.cluster.name,
    now: new Date(),
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    tokenTtl: profile.cluster.token.ttl,
  });
  // Saved before anything else is written: losing a fresh CA would orphan every node config.
  writeFileAtomic(file, serializeSecrets(secrets), 0o600);
  return { ok: true, value: { secrets, created: true, file }, warnings: [] };
}

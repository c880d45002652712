import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Diagnostic, Result } from '../diagnostics.js';
import type { Profile } from '../profile/types.js';
import { locateInProfile } from '../profile/load-profile.js';
import type { ClusterSecrets } from '../pki/types.js';
import { parseSecrets } from '../pki/parse-secrets.js';
import { createClusterSecrets } from '../pki/cluster-secrets.js';
import { keyAlgorithmMismatch, secretsKeyAlgorithm } from '../pki/key-algorithm.js';
import { serializeSecrets } from '../pki/serialize-secrets.js';
import { writeFileAtomic } from './atomic-write.js';

/** A loaded or new secrets bundle, where it lives, and whether this run made it. */
export interface LoadedSecrets {
  secrets: ClusterSecrets;
  created: boolean;
  file: string;
}

/** Path of a cluster's secrets bundle under the output root. */
export function secretsPath(outRoot: string, clusterName: string): string {
  return join(outRoot, clusterName, 'secrets.yaml');
}

function secretsError(file: string, code: string, message: string): Diagnostic {
  return { severity: 'error', code, path: '', message, line: 0, col: 0, file };
}

/**
 * Reads out/<cluster>/secrets.yaml, which must exist. A damaged or foreign bundle is
 * an error, and so is an explicit profile `pki.keyAlgorithm` that disagrees with the
 * bundle's keys (reported at that line of `profileFile`): the keys are never changed.
 */
export function loadSecrets(outRoot: string, profile: Profile, profileFile: string): Result<LoadedSecrets> {
  const file = secretsPath(outRoot, profile.cluster.name);
  if (!existsSync(file)) {
    return { ok: false, diagnostics: [secretsError(file, 'secrets-missing', 'no secrets yet; run gen-userdata once to create them')] };
  }
  const parsed = parseSecrets(readFileSync(file, 'utf8'), file);
  if (!parsed.ok) return parsed;
  if (parsed.value.clusterName !== profile.cluster.name) {
    return { ok: false, diagnostics: [secretsError(file, 'secrets-cluster-mismatch', `belongs to cluster "${parsed.value.clusterName}", not "${profile.cluster.name}"`)] };
  }
  const mismatch = keyAlgorithmMismatch(profile.pki, secretsKeyAlgorithm(parsed.value), file);
  if (mismatch !== undefined) {
    // Only this error path needs positions: re-read the profile rather than carry them.
    const pos = locateInProfile(readFileSync(profileFile, 'utf8'), mismatch.path);
    return { ok: false, diagnostics: [{ severity: 'error', ...mismatch, line: pos.line, col: pos.col, file: profileFile }] };
  }
  return { ok: true, value: { secrets: parsed.value, created: false, file }, warnings: parsed.warnings };
}

/**
 * Reads out/<cluster>/secrets.yaml as loadSecrets does; when it does not exist, makes
 * a new bundle with the profile's `pki.keyAlgorithm` (new CAs: a new cluster), saves it
 * at once with mode 0600 and says so in `created`. A bundle is never replaced.
 */
export async function loadOrCreateSecrets(outRoot: string, profile: Profile, profileFile: string): Promise<Result<LoadedSecrets>> {
  const file = secretsPath(outRoot, profile.cluster.name);
  if (existsSync(file)) return loadSecrets(outRoot, profile, profileFile);
  const secrets = await newClusterSecrets(profile);
  // Saved before anything else is written: losing a fresh CA would orphan every node config.
  writeFileAtomic(file, serializeSecrets(secrets), 0o600);
  return { ok: true, value: { secrets, created: true, file }, warnings: [] };
}

/** A new bundle for the profile's cluster, from the clock and the CSPRNG. */
export function newClusterSecrets(profile: Profile): Promise<ClusterSecrets> {
  return createClusterSecrets({
    clusterName: profile.cluster.name,
    now: new Date(),
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    tokenTtl: profile.cluster.token.ttl,
    keyAlgorithm: profile.pki.keyAlgorithm,
  });
}

import { chmodSync, lstatSync, readFileSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic, Result } from '../diagnostics.js';
import type { Profile } from '../profile/types.js';
import type { ClusterSecrets } from '../pki/types.js';
import { parseSecrets } from '../pki/parse-secrets.js';
import { createClusterSecrets } from '../pki/cluster-secrets.js';
import { keyAlgorithmMismatch, secretsKeyAlgorithm } from '../pki/key-algorithm.js';
import { locateInProfile } from '../profile/load-profile.js';
import { serializeSecrets } from '../pki/serialize-secrets.js';
import { caValidityDiagnostics } from '../pki/ca-validity.js';
import { withNewEncryptionKey } from '../pki/encryption-key.js';
import { writeFileAtomic } from './atomic-write.js';
import { crashPoint } from './crash-point.js';
import { readRegularFile } from './read-regular-file.js';
import { leftoverCopies } from './swap-leftovers.js';

/** Name of the secrets bundle inside out/<cluster>/. */
export const SECRETS_FILE = 'secrets.yaml';
/** A secrets bundle is a few KB; anything near this is not one. */
const SECRETS_MAX_BYTES = 1024 * 1024;

/** Path of a cluster's secrets bundle under the output root. */
export function secretsPath(outRoot: string, clusterName: string): string {
  return join(outRoot, clusterName, SECRETS_FILE);
}

function secretsError(file: string, code: string, message: string, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  return { severity, code, path: '', message, line: 0, col: 0, file };
}

/** Loaded (or new) secrets, where they live, and what the user must hear about them. */
export interface LoadedSecrets {
  secrets: ClusterSecrets;
  created: boolean;
  file: string;
  /** Name of the encryption-at-rest key added to a bundle that had none (see withEncryptionKey). */
  addedEncryptionKey?: string;
}

/**
 * A bundle from before encryption at rest gets its first key when the profile wants
 * encryption (security.encryptionAtRest): saved at once (0600) when `save`, else only
 * in memory (a dry run). Nothing else in the bundle changes; existing keys are kept.
 */
export function withEncryptionKey(loaded: LoadedSecrets, profile: Profile, save: boolean): LoadedSecrets {
  if (!profile.security.encryptionAtRest || (loaded.secrets.encryptionKeys ?? []).length > 0) return loaded;
  const secrets = withNewEncryptionKey(loaded.secrets, (n) => new Uint8Array(randomBytes(n)));
  if (save) writeFileAtomic(loaded.file, serializeSecrets(secrets), 0o600);
  return { ...loaded, secrets, addedEncryptionKey: secrets.encryptionKeys![0]!.name };
}

/** The stderr notice for a key withEncryptionKey added (or, in a dry run, would add). */
export function encryptionKeyNotice(loaded: LoadedSecrets, dryRun: boolean): string | undefined {
  if (loaded.addedEncryptionKey === undefined) return undefined;
  const what = dryRun ? 'would add (dry run: not saved)' : 'added';
  return (
    `${loaded.file}: ${what} encryption-at-rest key ${loaded.addedEncryptionKey} (security.encryptionAtRest; the bundle had none). ` +
    'Control planes get it in /etc/kubernetes/apiserver/encryption-config.yaml (0600); for a running cluster see docs/operations.md#encryption-at-rest\n'
  );
}

/** What is at the secrets path: nothing, a usable file, or a refusal. */
type SecretsEntry = { kind: 'missing' } | { kind: 'file'; st: Stats } | { kind: 'refused'; diagnostic: Diagnostic };

function inspect(file: string): SecretsEntry {
  let link: Stats;
  try {
    link = lstatSync(file);
  } catch {
    return { kind: 'missing' };
  }
  let st: Stats;
  try {
    st = statSync(file);
  } catch {
    const to = link.isSymbolicLink() ? readlinkSync(file) : '?';
    return {
      kind: 'refused',
      diagnostic: secretsError(
        file,
        'secrets-dangling-link',
        `is a symbolic link to ${resolve(dirname(file), to)}, which does not exist (a volume that is not mounted?). Refusing to create new cluster CAs in its place: every existing node would be orphaned. Make the target available, or remove the link to start a new cluster.`,
      ),
    };
  }
  if (!st.isFile()) {
    const what = st.isDirectory() ? 'a directory' : 'not a regular file';
    return { kind: 'refused', diagnostic: secretsError(file, 'secrets-not-a-file', `is ${what}; expected the cluster's secrets bundle (a YAML file). Move it away or restore the file.`) };
  }
  return { kind: 'file', st };
}

/** Warns about group/other access to the secrets file and takes it away (0600). */
function tightenMode(file: string, st: Stats): Diagnostic[] {
  const mode = st.mode & 0o777;
  if ((mode & 0o077) === 0) return [];
  const who = [mode & 0o070 ? 'its group' : '', mode & 0o007 ? 'every user' : ''].filter(Boolean).join(' and ');
  const how = [mode & 0o044 ? 'read' : '', mode & 0o022 ? 'replace' : ''].filter(Boolean).join(' and ');
  chmodSync(file, 0o600);
  const exposed = mode & 0o044 ? ' The CA private keys, the service-account key and the bootstrap token in it were exposed; consider them compromised if other users had access.' : '';
  const replaced = mode & 0o022 ? ' Check that its content is still yours.' : '';
  return [secretsError(file, 'secrets-mode', `had mode ${mode.toString(8).padStart(4, '0')}: ${who} could ${how || 'access'} it; mode set to 0600.${exposed}${replaced}`, 'warning')];
}

/** Warns when the output root is writable by every user (anyone could swap node configs). */
function outRootWarnings(outRoot: string): Diagnostic[] {
  let st: Stats;
  try {
    st = statSync(outRoot);
  } catch {
    return [];
  }
  if ((st.mode & 0o002) === 0) return [];
  const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
  return [secretsError(outRoot, 'out-world-writable', `the output root has mode ${mode}: every user on this machine can create or replace files in it, including node configs. Use a directory only you can write (chmod o-w).`, 'warning')];
}

/**
 * Reads out/<cluster>/secrets.yaml, which must exist. Refuses (diagnostics) a damaged
 * or foreign bundle, a dangling symlink or a directory in its place, a CA that is
 * expired or not yet valid, an explicit profile `pki.keyAlgorithm` that disagrees with
 * the bundle's keys (reported at that line of `profileFile`: keys are never changed),
 * and a missing bundle (`secrets-missing`, or `secrets-in-leftovers` while an
 * interrupted run's trees still hold one). Warns about (and fixes) a secrets file
 * others can read or write, and a world-writable output root.
 */
export function loadSecrets(outRoot: string, profile: Profile, profileFile: string, now: Date = new Date()): Result<LoadedSecrets> {
  const file = secretsPath(outRoot, profile.cluster.name);
  const warnings = outRootWarnings(outRoot);
  const entry = inspect(file);
  if (entry.kind === 'refused') return { ok: false, diagnostics: [entry.diagnostic] };
  if (entry.kind === 'missing') {
    const leftovers = leftoverCopies(join(outRoot, profile.cluster.name), SECRETS_FILE);
    if (leftovers.length === 0) {
      return { ok: false, diagnostics: [secretsError(file, 'secrets-missing', 'no secrets yet; run gen-userdata once to create them')] };
    }
    return {
      ok: false,
      diagnostics: [
        secretsError(
          file,
          'secrets-in-leftovers',
          `is missing, but an interrupted run left the cluster's secrets in ${leftovers.join(', ')}. A run of gen-userdata restores an interrupted swap; otherwise move that file to ${file} to keep the cluster (or delete those leftovers to start a new one). No new CAs are made meanwhile.`,
        ),
      ],
    };
  }
  const read = readRegularFile(file, SECRETS_MAX_BYTES);
  if (!read.ok) return { ok: false, diagnostics: [secretsError(file, 'secrets-unreadable', read.reason)] };
  const parsed = parseSecrets(read.text, file);
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
  const expired = caValidityDiagnostics(parsed.value, now, file);
  if (expired.length > 0) return { ok: false, diagnostics: expired };
  warnings.push(...tightenMode(file, entry.st));
  return { ok: true, value: { secrets: parsed.value, created: false, file }, warnings: [...warnings, ...parsed.warnings] };
}

/**
 * Reads out/<cluster>/secrets.yaml as loadSecrets does. When there is none (and no
 * interrupted run holds one), makes a new bundle with the profile's `pki.keyAlgorithm`
 * (new CAs: a new cluster), saves it at once (0600, fsynced) and says so in `created`.
 * A bundle is never replaced; one without an encryption key gets one added (withEncryptionKey). Call it holding the cluster lock.
 *
 * `alongside` is the caller's work that does not need the secrets: it runs while new
 * keys are made on libuv's thread pool (the main thread would wait idle), and before
 * anything is saved, so when it throws no secrets.yaml is written. It also runs when
 * the bundle is loaded, but not when loading it failed.
 */
export async function loadOrCreateSecrets(
  outRoot: string,
  profile: Profile,
  profileFile: string,
  alongside: () => void = () => {},
  now: Date = new Date(),
): Promise<Result<LoadedSecrets>> {
  const loaded = loadSecrets(outRoot, profile, profileFile, now);
  if (loaded.ok) {
    alongside();
    return { ...loaded, value: withEncryptionKey(loaded.value, profile, true) };
  }
  if (!loaded.diagnostics.every((d) => d.code === 'secrets-missing')) return loaded;
  const file = secretsPath(outRoot, profile.cluster.name);
  const pending = newClusterSecrets(profile, now);
  try {
    alongside();
  } catch (err) {
    // Let the key generation finish unobserved: nothing is saved, the error is the caller's.
    pending.catch(() => {});
    throw err;
  }
  const secrets = await pending;
  // Saved before anything else is written: losing a fresh CA would orphan every node config.
  writeFileAtomic(file, serializeSecrets(secrets), 0o600);
  crashPoint('secrets-saved');
  return { ok: true, value: { secrets, created: true, file }, warnings: outRootWarnings(outRoot) };
}

/** A new bundle for the profile's cluster, from the clock and the CSPRNG. */
export function newClusterSecrets(profile: Profile, now: Date = new Date()): Promise<ClusterSecrets> {
  return createClusterSecrets({
    clusterName: profile.cluster.name,
    now,
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    tokenTtl: profile.cluster.token.ttl,
    keyAlgorithm: profile.pki.keyAlgorithm,
  });
}

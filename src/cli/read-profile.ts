import { dirname, resolve } from 'node:path';
import type { Diagnostic, Result } from '../diagnostics.js';
import type { Profile } from '../profile/types.js';
import { LineCounter, parseDocument } from 'yaml';
import { loadProfile } from '../profile/load-profile.js';
import { SourceLocator } from '../profile/yaml-positions.js';
import { profileRefToPath } from '../profile/profile-ref.js';
import { BUNDLED_PROFILES } from './package-paths.js';
import { PROFILE_LIMITS } from '../profile/limits.js';
import { readRegularFile } from './read-regular-file.js';
import { cniManifestProblems } from '../kube/cni-manifest.js';
import { parseCaBundle } from '../pki/ca-bundle.js';
import { escapeSegment } from '../profile/yaml-positions.js';
import { FLATCAR_RULES } from '../profile/rules/flatcar-rules.js';

/** The file `--profile` names: a bundled profile for a bare name, else the path itself. */
export function resolveProfileFile(ref: string): string {
  return profileRefToPath(ref, BUNDLED_PROFILES);
}

function fileDiagnostic(file: string, code: string, path: string, message: string): Diagnostic {
  return { severity: 'error', code, path, message, line: 0, col: 0, file };
}

/**
 * Reads the files a profile refers to (keyFile, manifestFile, trust.caBundleFile,
 * images.auth.*.passwordFile), relative to the profile, and
 * embeds them. Only regular files up to REFERENCED_FILE_MAX_BYTES are read; anything else is
 * a diagnostic at the field's JSON path.
 */
function embedReferencedFiles(profile: Profile, profileFile: string): Diagnostic[] {
  const base = dirname(profileFile);
  const diagnostics: Diagnostic[] = [];
  const read = (rel: string, pointer: string): string | undefined => {
    const read = readRegularFile(resolve(base, rel));
    if (read.ok) return read.text;
    const code = read.missing ? 'file-not-found' : 'file-unreadable';
    diagnostics.push(fileDiagnostic(profileFile, code, pointer, `${rel}: ${read.reason} (relative to the profile)`));
    return undefined;
  };
  const repo = profile.packages.aptRepository;
  if (repo.keyFile !== undefined) repo.key = read(repo.keyFile, '/packages/aptRepository/keyFile');
  const cni = profile.cluster.cni;
  if (cni.manifestFile !== undefined) cni.manifest = read(cni.manifestFile, '/cluster/cni/manifestFile');
  if (cni.manifest !== undefined) {
    const values = { podSubnet: profile.cluster.podSubnet, nodeCidr: profile.network.cidr, iface: profile.network.interface };
    for (const problem of cniManifestProblems(cni.plugin, cni.manifest, values)) {
      diagnostics.push(
        fileDiagnostic(profileFile, 'cni-manifest', '/cluster/cni/manifestFile', `${cni.manifestFile}: the init node's cni step could not edit this ${cni.plugin} manifest; it needs ${problem.need}`),
      );
    }
  }
  for (const name of ['metricsServer', 'ingressNginx'] as const) {
    const addon = profile.addons[name];
    if (addon.manifestFile !== undefined) addon.manifest = read(addon.manifestFile, `/addons/${name}/manifestFile`);
  }
  const trust = profile.trust;
  if (trust.caBundleFile !== undefined) {
    trust.caBundle = read(trust.caBundleFile, '/trust/caBundleFile');
    const bundle = trust.caBundle === undefined ? undefined : parseCaBundle(trust.caBundle);
    for (const problem of bundle?.ok === false ? bundle.problems : []) {
      diagnostics.push(fileDiagnostic(profileFile, 'invalid-ca-bundle', '/trust/caBundleFile', `${trust.caBundleFile}: ${problem}`));
    }
  }
  for (const auth of profile.images.auth) {
    const pointer = `/images/auth/${escapeSegment(auth.registry)}/passwordFile`;
    const text = read(auth.passwordFile, pointer);
    if (text === undefined) continue;
    // One trailing newline is how editors and `echo` end a file; it is not part of the password.
    const password = text.replace(/\r?\n$/, '');
    // Never echo the password: the message names only the file.
    if (password === '' || /[\u0000-\u001f\u007f]/.test(password)) {
      diagnostics.push(fileDiagnostic(profileFile, 'invalid-password-file', pointer, `${auth.passwordFile}: must hold the password on one line, without control characters`));
    } else {
      auth.password = password;
    }
  }
  return diagnostics;
}

/** Fills in the line and column of each diagnostic's JSON path (the profile is parsed again: an error path only). */
function withPositions(diagnostics: Diagnostic[], text: string): Diagnostic[] {
  const lineCounter = new LineCounter();
  const locator = new SourceLocator(parseDocument(text, { lineCounter }), lineCounter, text);
  return diagnostics.map((d) => ({ ...d, ...locator.locate(d.path) }));
}

/** What the profile is read for. */
export interface ReadProfileOptions {
  /** Ignition (Flatcar) output will be generated: the Flatcar rules apply too. */
  flatcar?: boolean;
  /** Changes the text before it is validated; must keep every line where it is. */
  rewrite?: (text: string) => string;
}

/**
 * Resolves `--profile` (a bundled name like "lab", or a path), reads, validates and
 * fills in referenced files. A missing file is a diagnostic, not an exception.
 * `opts.rewrite` may change the text before it is validated (`upgrade` reads the
 * profile as it will be at the new version); it must keep every line where it is.
 */
export function readProfile(ref: string, opts: ReadProfileOptions = {}): Result<Profile> & { file: string } {
  const file = resolveProfileFile(ref);
  // A profile over the size limit is refused before it is read (limits.ts).
  const read = readRegularFile(file, PROFILE_LIMITS.maxBytes);
  if (!read.ok) {
    const [code, message] = read.missing
      ? ['profile-not-found', `profile "${ref}" not found (looked for ${file})`]
      : ['profile-unreadable', `the profile ${read.reason}`];
    return { ok: false, file, diagnostics: [fileDiagnostic(file, code, '', message)] };
  }
  const text = opts.rewrite !== undefined ? opts.rewrite(read.text) : read.text;
  const loaded = loadProfile(text, file, opts.flatcar ? FLATCAR_RULES : []);
  if (!loaded.ok) return { ...loaded, file };
  const embedErrors = embedReferencedFiles(loaded.value, file);
  if (embedErrors.length > 0) return { ok: false, file, diagnostics: withPositions(embedErrors, text) };
  return { ...loaded, file };
}

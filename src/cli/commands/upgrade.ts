import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../diagnostics.js';
import { readProfileVersion, versionDiagnostic } from '../profile-version.js';
import { parseKubeVersion, versionInfo, SUPPORTED_MINORS } from '../../kube/versions.js';
import { upgradeRefusal } from '../../kube/version-step.js';
import { planUpgrade, upgradeDir, type UpgradeTarget } from '../../upgrade/upgrade-plan.js';
import { setKubernetesVersion } from '../../profile/set-kubernetes-version.js';
import { utf8 } from '../../output/output-file.js';
import { readProfile, resolveProfileFile } from '../read-profile.js';
import { loadTemplates, UsageError } from '../load-templates.js';
import { writeFileAtomic } from '../atomic-write.js';
import { replaceDirectory } from '../output-tree.js';
import { withClusterLock } from '../with-cluster-lock.js';
import { readPreviousManifest } from '../output-plan.js';
import { EXIT, fail, printDiagnostics } from '../report.js';
import type { CpuArch, Profile } from '../../profile/types.js';
import { declaredArches } from '../../profile/node-arches.js';

/** Options of `gen-userdata upgrade`. */
export interface UpgradeOptions {
  profile: string;
  out: string;
  /** Target version, "x.y.z" (a leading v is accepted). */
  to: string;
  /** apt (pkgs.k8s.io) or flatcar (sysext); default from the previous run's formats. */
  target?: UpgradeTarget;
  /** Rewrite cluster.kubernetesVersion in the profile file, keeping everything else. */
  writeProfile: boolean;
  sysextSha256?: string;
  sysextUrl?: string;
  templates?: string;
}

const SHA256 = /^[0-9a-fA-F]{64}$/;

/**
 * --sysext-sha256: one digest (for the one architecture the nodes have) or one per
 * architecture, "amd64=HEX,arm64=HEX". A single digest comes back under "single".
 */
function parseSysextDigests(value: string): Partial<Record<CpuArch | 'single', string>> {
  if (SHA256.test(value)) return { single: value };
  const digests: Partial<Record<CpuArch, string>> = {};
  for (const part of value.split(',')) {
    const m = /^(amd64|arm64)=([0-9a-fA-F]{64})$/.exec(part.trim());
    if (!m) throw new UsageError(`--sysext-sha256 ${JSON.stringify(part)}: give 64 hex digits, or amd64=<64 hex>,arm64=<64 hex>`);
    digests[m[1] as CpuArch] = m[2]!;
  }
  return digests;
}

/** The digest per architecture of the profile's nodes; a single digest fits a one-architecture profile only. */
function sysextDigestsFor(profile: Profile, digests: Partial<Record<CpuArch | 'single', string>>): Partial<Record<CpuArch, string>> {
  const arches = declaredArches(profile);
  if (digests.single === undefined) return digests;
  if (arches.length > 1) throw new UsageError(`--sysext-sha256: the nodes are ${arches.join(' and ')}, each with its own image: give amd64=<sha256>,arm64=<sha256>`);
  return { [arches[0] ?? 'amd64']: digests.single };
}

/** apt unless the previous run wrote only Ignition configs (Flatcar nodes). */
function defaultTarget(clusterDir: string): UpgradeTarget {
  const formats = new Set(readPreviousManifest(clusterDir)?.files.map((f) => f.format) ?? []);
  return formats.has('ignition') && !['cloud-init', 'iso', 'nocloud-net'].some((f) => formats.has(f)) ? 'flatcar' : 'apt';
}

/**
 * Writes out/<cluster>/upgrade/<from>-to-<to>/ for the step from the profile's
 * kubernetesVersion to --to, after checking that kubeadm can make it (same minor
 * or the next one; no downgrade). With --write-profile, also rewrites the
 * profile's kubernetesVersion in place. Returns the exit code.
 */
export async function runUpgrade(opts: UpgradeOptions): Promise<number> {
  const to = opts.to.replace(/^v/, '');
  const digests = opts.sysextSha256 === undefined ? undefined : parseSysextDigests(opts.sysextSha256);
  if (opts.sysextUrl !== undefined && !/^https?:\/\/\S+$/.test(opts.sysextUrl)) throw new UsageError('--sysext-url must be an http(s) URL');
  const file = resolveProfileFile(opts.profile);
  const bundled = file !== opts.profile;
  if (opts.writeProfile && bundled) {
    throw new UsageError(`--write-profile: "${opts.profile}" is a bundled profile; copy ${file} and pass its path`);
  }
  const current = readProfileVersion(file);
  if (current === undefined) {
    // Missing file, YAML errors, no version: the full loader says what is wrong, with lines.
    const loaded = readProfile(opts.profile);
    if (!loaded.ok) return fail(loaded.diagnostics);
    throw new Error('profile loaded but cluster.kubernetesVersion was not found');
  }
  const from = current.version;
  const at = (severity: Diagnostic['severity'], code: string, message: string): Diagnostic => versionDiagnostic(current, severity, code, message);
  if (parseKubeVersion(to) === undefined) return fail([at('error', 'invalid-upgrade-version', `--to ${opts.to}: not a Kubernetes version x.y.z (the profile has ${from})`)]);
  if (parseKubeVersion(from) === undefined) return fail([at('error', 'invalid-value', `kubernetesVersion ${from} is not x.y.z; cannot upgrade it to ${to}`)]);
  const refusal = upgradeRefusal(from, to);
  if (refusal !== undefined) return fail([at('error', 'upgrade-refused', refusal)]);
  if (versionInfo(to) === undefined) {
    return fail([at('error', 'unsupported-kubernetes-version', `cannot upgrade ${from} to ${to}: the generator does not support Kubernetes ${to} (supported minors: ${SUPPORTED_MINORS.join(', ')})`)]);
  }
  const warnings: Diagnostic[] = [];
  if (versionInfo(from) === undefined) {
    warnings.push(at('warning', 'unknown-kubernetes-version', `the profile's Kubernetes ${from} is unknown to the generator (supported minors: ${SUPPORTED_MINORS.join(', ')}); only the version step to ${to} was checked`));
  }

  // The profile as it will be at the new version: everything generated from it is for `to`.
  const rewritten = (text: string): string => setKubernetesVersion(text, to) ?? text;
  const profile = readProfile(opts.profile, { rewrite: rewritten });
  if (!profile.ok) return fail(profile.diagnostics);
  const p = profile.value;
  const clusterDir = join(opts.out, p.cluster.name);
  const generated = readPreviousManifest(clusterDir)?.kubernetesVersion;
  if (generated !== undefined && generated !== from) {
    warnings.push(at('warning', 'version-mismatch', `${clusterDir}/manifest.json says the nodes were generated for ${generated}, the profile says ${from}; the plan assumes the cluster runs ${from}`));
  }
  printDiagnostics([...warnings, ...profile.warnings]);

  const target = opts.target ?? defaultTarget(clusterDir);
  const files = planUpgrade({
    profile: p, from, to, target, templates: loadTemplates(opts.templates),
    ...(digests !== undefined ? { sysextSha256: sysextDigestsFor(p, digests) } : {}),
    ...(opts.sysextUrl !== undefined ? { sysextUrl: opts.sysextUrl } : {}),
  });
  const dir = join(clusterDir, upgradeDir(from, to));
  // Like every writer of out/<cluster>/ (and of the profile, with --write-profile): one at a time.
  const locked = await withClusterLock(opts.out, p.cluster.name, () => {
    replaceDirectory(dir, files.map((f) => ({ path: f.path, content: utf8(f.content), mode: f.mode, format: 'cluster' as const })));
    if (opts.writeProfile) {
      const updated = setKubernetesVersion(readFileSync(file, 'utf8'), to);
      if (updated === undefined) throw new Error('kubernetesVersion vanished from the profile between reads');
      writeFileAtomic(file, updated, statSync(file).mode & 0o777);
    }
    return EXIT.ok;
  });
  if (locked !== EXIT.ok) return locked;
  process.stdout.write(`wrote ${dir}: ${files.filter((f) => f.path.startsWith('upgrade-')).length} node scripts (${target}), ORDER, README.md, run-upgrade.sh\n`);
  process.stdout.write(`next: read ${join(dir, 'README.md')}, then run the scripts in ORDER (or ${join(dir, 'run-upgrade.sh')})\n`);
  process.stdout.write(
    opts.writeProfile
      ? `updated ${file}: cluster.kubernetesVersion ${from} -> ${to}; run gen-userdata again so new nodes join at ${to}\n`
      : `the profile still says ${from}: after the upgrade, set cluster.kubernetesVersion to ${to} (or re-run with --write-profile) so new nodes join at ${to}\n`,
  );
  return EXIT.ok;
}

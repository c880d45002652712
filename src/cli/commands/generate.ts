import { join } from 'node:path';
import type { OutputFormat } from '../../output/output-file.js';
import type { Result } from '../../diagnostics.js';
import type { Profile } from '../../profile/types.js';
import type { TemplateSet } from '../../template/render-template.js';
import type { NocloudNetOptions } from '../../emit/nocloud-net/emit-nocloud-net.js';
import { generateCluster, generateNodeCloudInit, type IgnitionRequest } from '../../output/generate-cluster.js';
import { DEFAULT_SPEC_VERSION, type IgnitionSpecVersion } from '../../emit/ignition/types.js';
import { emitStubConfig, stubTargetUrl, VIRTUALBOX_GUEST_PROPERTY_MAX } from '../../emit/ignition/stub-config.js';
import { isHttpUrl } from '../../profile/formats.js';
import { readProfile } from '../read-profile.js';
import { encryptionKeyNotice, loadOrCreateSecrets, type LoadedSecrets } from '../secrets-store.js';
import { loadTemplates, UsageError } from '../load-templates.js';
import { EXIT, fail, printDiagnostics } from '../report.js';
import { nocloudNetOptions } from '../nocloud-net-options.js';
import { printPlan } from '../output-plan.js';
import { writeClusterOutput } from '../write-cluster-output.js';
import { withClusterLock } from '../with-cluster-lock.js';
import { adminExpiry } from '../../output/admin-kubeconfig.js';
import type { Diagnostic } from '../../diagnostics.js';
import { parseKubeVersion } from '../../kube/versions.js';
import { versionSkewNotice } from '../../kube/version-step.js';
import { readPreviousManifestIndex } from '../output-plan.js';
import { readProfileVersion, versionDiagnostic } from '../profile-version.js';
import { loadSecretsForDryRun } from '../dry-run-secrets.js';
import type { StrongGzip, UserDataCompression } from '../../emit/cloud-init/gzip-user-data.js';
import { loadZopfli } from '../zopfli.js';
import { describeKeyAlgorithm, secretsKeyAlgorithm } from '../../pki/key-algorithm.js';

/** Options of the default (generate) command. */
export interface GenerateOptions {
  profile: string;
  out: string;
  node?: string;
  stdout: boolean;
  check: boolean;
  /** Print what would change against the previous manifest.json, and write nothing. */
  dryRun?: boolean;
  format: OutputFormat | 'all';
  templates?: string;
  maxBytes?: number;
  /** 'gzip': write nodes/<node>/user-data gzip'd (and print it so with --stdout). */
  compress?: UserDataCompression;
  /** nocloud-net HTTP tree: where it is served, and what the iPXE scripts boot. */
  baseUrl?: string;
  kernel?: string;
  initrd?: string;
  kernelArgs?: string;
  /** Ignition spec of config.ign: 3.4.0 (default) or 3.3.0 for Flatcar before Alpha 3535. */
  ignitionVersion?: IgnitionSpecVersion;
  /** Also write nodes/<node>/config.stub.ign pointing at <url>/<node>/config.ign (VirtualBox). */
  ignitionStubUrl?: string;
  /** Generate even when new nodes could not join the running cluster (downgrade, a minor skipped). */
  allowVersionSkew?: boolean;
}

const ALL_FORMATS: OutputFormat[] = ['cloud-init', 'iso', 'ignition'];

/** Runs a generation; returns the process exit code. */
export async function runGenerate(opts: GenerateOptions): Promise<number> {
  // Option mistakes are usage errors (exit 2), reported before the profile is read.
  const nocloudNet = nocloudNetOptions(opts);
  const ignition = ignitionRequest(opts);
  // The Flatcar rules (sysext digest, arch) hold only when Ignition output is made.
  const profile = readProfile(opts.profile, { flatcar: opts.format === 'ignition' || opts.format === 'all' });
  if (!profile.ok) return fail(profile.diagnostics);
  printDiagnostics(profile.warnings);
  const p = profile.value;
  if (opts.node !== undefined && !p.nodes.some((n) => n.name === opts.node)) {
    throw new UsageError(`--node ${opts.node}: no such node in ${profile.file} (nodes: ${p.nodes.map((n) => n.name).join(', ')})`);
  }
  if (opts.check) {
    process.stdout.write(`${profile.file}: OK (cluster ${p.cluster.name}, ${p.nodes.length} nodes, Kubernetes ${p.cluster.kubernetesVersion})\n`);
    return EXIT.ok;
  }
  // --compress gzip: zopfli for the user-data zlib -9 leaves above EC2's limit.
  const strongGzip = opts.compress === 'gzip' ? await loadZopfli() : undefined;
  const into = (templates: TemplateSet, secrets: Result<LoadedSecrets>): number =>
    generateInto(opts, p, profile.file, templates, nocloudNet, ignition, strongGzip, secrets);
  if (opts.dryRun) return into(loadTemplates(opts.templates), await loadSecretsForDryRun(opts.out, p, profile.file));
  // Everything below may write: one run per cluster at a time.
  return withClusterLock(opts.out, p.cluster.name, async () => {
    // Templates load while a new cluster's keys are made; a bad --templates still
    // stops the run before its secrets.yaml is saved.
    const loaded: { templates?: TemplateSet } = {};
    const secrets = await loadOrCreateSecrets(opts.out, p, profile.file, () => {
      loaded.templates = loadTemplates(opts.templates);
    });
    return into(loaded.templates ?? loadTemplates(opts.templates), secrets);
  });
}

/**
 * The Ignition options, checked before anything is read: they need Ignition output,
 * and a stub URL must be http(s) and short enough for VirtualBox's 1,024-byte guest
 * property (the stub is a fixed frame, the URL and a 128-digit sha512).
 */
function ignitionRequest(opts: GenerateOptions): IgnitionRequest {
  const wantsIgnition = opts.format === 'ignition' || opts.format === 'all';
  if (!wantsIgnition && (opts.ignitionVersion !== undefined || opts.ignitionStubUrl !== undefined)) {
    throw new UsageError('--ignition-version and --ignition-stub-url need --format ignition (or all)');
  }
  const url = opts.ignitionStubUrl;
  if (url !== undefined) {
    if (!isHttpUrl(url)) throw new UsageError(`--ignition-stub-url ${url}: not an http(s) URL`);
    const longest = emitStubConfig('', stubTargetUrl(url, 'x'.repeat(63)), opts.ignitionVersion ?? DEFAULT_SPEC_VERSION);
    if (Buffer.byteLength(longest) > VIRTUALBOX_GUEST_PROPERTY_MAX) {
      throw new UsageError(`--ignition-stub-url: the stub would be ${Buffer.byteLength(longest)} bytes for a 63-character node name; VirtualBox takes at most ${VIRTUALBOX_GUEST_PROPERTY_MAX}: use a shorter URL`);
    }
  }
  return { ...(opts.ignitionVersion !== undefined ? { specVersion: opts.ignitionVersion } : {}), ...(url !== undefined ? { stubUrl: url } : {}) };
}

function generateInto(
  opts: GenerateOptions,
  p: Profile,
  profileFile: string,
  templates: TemplateSet,
  nocloudNet: NocloudNetOptions | undefined,
  ignition: IgnitionRequest,
  strongGzip: StrongGzip | undefined,
  secrets: Result<LoadedSecrets>,
): number {
  const compress = opts.compress ?? 'none';
  if (!secrets.ok) return fail(secrets.diagnostics);
  printDiagnostics(secrets.warnings);
  if (secrets.value.created) {
    const keys = describeKeyAlgorithm(secretsKeyAlgorithm(secrets.value.secrets));
    process.stderr.write(`created ${secrets.value.file} (new cluster CAs with ${keys} keys, a bootstrap token and an encryption-at-rest key; keep it safe)\n`);
  }
  const notice = encryptionKeyNotice(secrets.value, opts.dryRun === true);
  if (notice !== undefined) process.stderr.write(notice);

  if (opts.stdout) {
    const nodeName = opts.node ?? (p.nodes.length === 1 ? p.nodes[0]?.name : undefined);
    if (nodeName === undefined) throw new UsageError('--stdout prints one node: add --node NAME');
    // gzip is binary: into a pipe or a file, never onto a terminal.
    if (compress === 'gzip' && process.stdout.isTTY) throw new UsageError('--stdout --compress gzip writes binary data: redirect it to a file or a pipe (e.g. | base64 -w0)');
    const userData = generateNodeCloudInit({ profile: p, secrets: secrets.value.secrets, templates, compress, ...(strongGzip !== undefined ? { strongGzip } : {}) }, nodeName)?.find((f) => f.path === `nodes/${nodeName}/user-data`);
    if (userData === undefined) throw new Error(`no user-data generated for ${nodeName}`);
    process.stdout.write(userData.content);
    return EXIT.ok;
  }

  // --format all adds the HTTP tree only when --base-url says where it will be served.
  const allFormats: OutputFormat[] = nocloudNet !== undefined ? [...ALL_FORMATS, 'nocloud-net'] : ALL_FORMATS;
  const formats = opts.format === 'all' ? allFormats : [opts.format];
  const files = generateCluster({ profile: p, secrets: secrets.value.secrets, templates, formats, compress, ignition, ...(strongGzip !== undefined ? { strongGzip } : {}), ...(nocloudNet !== undefined ? { nocloudNet } : {}) });
  const clusterDir = join(opts.out, p.cluster.name);
  // Read row by row into a compact index, once, for the skew check and the write.
  const previous = readPreviousManifestIndex(clusterDir);
  const skew = skewCheck(previous?.kubernetesVersion, p.cluster.kubernetesVersion, profileFile, opts.allowVersionSkew === true);
  if (skew.refused !== undefined) return fail([skew.refused]);
  const written = writeClusterOutput(clusterDir, files, {
    dryRun: opts.dryRun === true,
    ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}),
    ...(previous !== undefined ? { previous } : {}),
  });
  printPlan(written.plan, process.stdout);
  process.stdout.write(skew.lines.map((l) => `${l}\n`).join(''));
  if (written.stats === undefined) {
    process.stdout.write(`dry run: nothing written to ${clusterDir}\n`);
    return EXIT.ok;
  }
  const { linked } = written.stats;
  process.stdout.write(`wrote ${clusterDir}: ${p.nodes.length} nodes, ${written.fileCount} files (${formats.join(', ')})${linked > 0 ? `; ${linked} unchanged kept as they were` : ''}\n`);
  process.stdout.write(written.sizes.lines.map((l) => `${l}\n`).join(''));
  process.stdout.write(`admin.conf: kubernetes-admin, valid until ${adminExpiry(secrets.value.secrets)} (renew offline with gen-userdata kubeconfig --renew-admin)\n`);
  printDiagnostics(written.sizes.warnings);
  printDiagnostics(written.warnings);
  return EXIT.ok;
}

/**
 * The skew guard: when the previous run generated another Kubernetes version,
 * the lines that say what that means for running and new nodes, and a refusal
 * (unless allowed) when new nodes could not join the running cluster.
 */
function skewCheck(running: string | undefined, next: string, profileFile: string, allow: boolean): { lines: string[]; refused?: Diagnostic } {
  if (running === undefined || parseKubeVersion(running) === undefined) return { lines: [] };
  const notice = versionSkewNotice(running, next);
  if (notice === undefined) return { lines: [] };
  if (notice.refused && !allow) {
    const at = readProfileVersion(profileFile) ?? { file: profileFile, version: next, line: 0, col: 0 };
    return {
      lines: [],
      refused: versionDiagnostic(at, 'error', 'version-skew', `${notice.lines.join(' ')} Refused; pass --allow-version-skew to generate anyway (for a new cluster, use a new --out or cluster name).`),
    };
  }
  return { lines: notice.lines.map((l) => `note: ${l}`) };
}

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutputFormat } from '../../output/output-file.js';
import type { ClusterSecrets } from '../../pki/types.js';
import type { Profile } from '../../profile/types.js';
import { formatToken, generateBootstrapToken, tokenExpiry } from '../../pki/bootstrap-token.js';
import { serializeSecrets } from '../../pki/serialize-secrets.js';
import { generateCluster, type IgnitionRequest } from '../../output/generate-cluster.js';
import { IGNITION_SPEC_VERSIONS, type IgnitionSpecVersion } from '../../emit/ignition/types.js';
import { isGzip, type UserDataCompression } from '../../emit/cloud-init/gzip-user-data.js';
import { loadZopfli } from '../zopfli.js';
import { readProfile } from '../read-profile.js';
import { encryptionKeyNotice, loadSecrets, withEncryptionKey } from '../secrets-store.js';
import { loadTemplates, UsageError } from '../load-templates.js';
import { writeFileAtomic } from '../atomic-write.js';
import { writeClusterOutput } from '../write-cluster-output.js';
import { withClusterLock } from '../with-cluster-lock.js';
import { nocloudNetOptions } from '../nocloud-net-options.js';
import { printPlan, readPreviousManifest } from '../output-plan.js';
import { EXIT, fail, printDiagnostics } from '../report.js';

/** Options shared by the token commands. */
export interface TokenOptions {
  profile: string;
  out: string;
}

/** Options of `gen-userdata token rotate`: what to regenerate, as for the generate command. */
export interface TokenRotateOptions extends TokenOptions {
  /** Default: the formats the previous run wrote (manifest.json), or cloud-init. */
  format?: OutputFormat | 'all';
  templates?: string;
  baseUrl?: string;
  kernel?: string;
  initrd?: string;
  kernelArgs?: string;
}

const NODE_FORMATS: readonly OutputFormat[] = ['cloud-init', 'iso', 'ignition', 'nocloud-net'];

/**
 * Prints the bootstrap token from secrets.yaml and when it expires. The only
 * command that prints the token other than `token rotate`'s kubeadm line.
 */
export function runTokenShow(opts: TokenOptions): number {
  const profile = readProfile(opts.profile);
  if (!profile.ok) return fail(profile.diagnostics);
  const secrets = loadSecrets(opts.out, profile.value, profile.file);
  if (!secrets.ok) return fail(secrets.diagnostics);
  printDiagnostics(secrets.warnings);
  const t = secrets.value.secrets.bootstrapToken;
  const expiry = tokenExpiry(t);
  process.stdout.write(`token: ${formatToken(t)}\n`);
  process.stdout.write(
    expiry === undefined
      ? `expires: never (ttl 0)\n`
      : `expires: ${expiry} (ttl ${t.ttl} from ${t.createdAt}; a running cluster counts it from kubeadm init or kubeadm token create)\n`,
  );
  return EXIT.ok;
}

/** The formats to regenerate: --format, else what the previous run wrote, else cloud-init. */
function rotateFormats(opts: TokenRotateOptions, clusterDir: string): OutputFormat[] {
  if (opts.format === 'all') return opts.baseUrl !== undefined ? [...NODE_FORMATS] : NODE_FORMATS.filter((f) => f !== 'nocloud-net');
  if (opts.format !== undefined) return [opts.format];
  const previous = readPreviousManifest(clusterDir);
  const written = NODE_FORMATS.filter((f) => previous?.files.some((e) => e.format === f));
  return written.length > 0 ? written : ['cloud-init'];
}

/** gzip when the previous run wrote its user-data gzip'd (--compress gzip), so a rotation keeps that. */
function previousCompression(clusterDir: string): UserDataCompression {
  const entry = readPreviousManifest(clusterDir)?.files.find((e) => e.format === 'cloud-init' && e.path.endsWith('/user-data'));
  if (entry === undefined) return 'none';
  let head: Uint8Array;
  try {
    head = readFileSync(join(clusterDir, entry.path)).subarray(0, 2);
  } catch {
    return 'none';
  }
  return isGzip(head) ? 'gzip' : 'none';
}

/**
 * The Ignition options of the previous run, so a rotation regenerates Ignition the way
 * it was written: its spec version (config.ign's ignition.version; --ignition-version)
 * and, when it wrote stubs, the base URL they point at (--ignition-stub-url).
 */
function previousIgnition(clusterDir: string): IgnitionRequest {
  const files = readPreviousManifest(clusterDir)?.files ?? [];
  const read = (path: string): { ignition?: { version?: string; config?: { replace?: { source?: string } } } } | undefined => {
    try {
      return JSON.parse(readFileSync(join(clusterDir, path), 'utf8')) as { ignition?: { version?: string; config?: { replace?: { source?: string } } } };
    } catch {
      return undefined;
    }
  };
  const config = files.find((e) => e.format === 'ignition' && e.path.endsWith('/config.ign'));
  const version = config === undefined ? undefined : read(config.path)?.ignition?.version;
  const stub = files.find((e) => e.format === 'ignition' && e.path.endsWith('/config.stub.ign'));
  const source = stub === undefined ? undefined : read(stub.path)?.ignition?.config?.replace?.source;
  // nodes/<node>/config.stub.ign points at <base>/<node>/config.ign.
  const node = stub?.path.split('/')[1];
  const suffix = `/${node}/config.ign`;
  const stubUrl = source !== undefined && source.endsWith(suffix) ? source.slice(0, -suffix.length) : undefined;
  return {
    ...(version !== undefined && (IGNITION_SPEC_VERSIONS as readonly string[]).includes(version) ? { specVersion: version as IgnitionSpecVersion } : {}),
    ...(stubUrl !== undefined ? { stubUrl } : {}),
  };
}

/**
 * Replaces the bootstrap token in secrets.yaml (atomically, 0600; the CAs and keys
 * stay as they are) and regenerates the output, so only the files that carry the
 * token change. stdout gets exactly one line, the command that registers the new
 * token on a running cluster; the change plan and notes go to stderr.
 */
export async function runTokenRotate(opts: TokenRotateOptions): Promise<number> {
  return updateSecretsAndRegenerate(opts, {
    update: (old, p) => ({
      ...old,
      bootstrapToken: generateBootstrapToken({ randomBytes: (n) => new Uint8Array(randomBytes(n)), now: new Date(), ttl: p.cluster.token.ttl }),
    }),
    report: (old, secrets, file, clusterDir, formats) => {
      process.stderr.write(
        `new bootstrap token saved in ${file}; ${clusterDir} regenerated (${formats.join(', ')}).\n` +
          `On a running cluster, register it on a control plane with the command below. The previous token (id ${old.bootstrapToken.id}) stays valid until it expires or: kubeadm token delete ${old.bootstrapToken.id}\n`,
      );
      process.stdout.write(`kubeadm token create ${formatToken(secrets.bootstrapToken)} --ttl ${secrets.bootstrapToken.ttl}\n`);
    },
  });
}

/** How a secrets-changing command changes the bundle and what it tells the user. */
export interface SecretsUpdate {
  /** The new bundle from the saved one (after a missing encryption key was added). */
  update: (old: ClusterSecrets, profile: Profile) => ClusterSecrets;
  /** Prints the outcome once the bundle is saved and the output regenerated. */
  report: (old: ClusterSecrets, secrets: ClusterSecrets, file: string, clusterDir: string, formats: OutputFormat[]) => void;
}

/**
 * Loads the cluster's secrets, applies `change.update`, saves the bundle first
 * (atomically, 0600) and regenerates the output in the formats the previous run
 * wrote, so only the files that carry the changed secret differ. Holds the cluster
 * lock throughout.
 */
export async function updateSecretsAndRegenerate(opts: TokenRotateOptions, change: SecretsUpdate): Promise<number> {
  const profile = readProfile(opts.profile);
  if (!profile.ok) return fail(profile.diagnostics);
  printDiagnostics(profile.warnings);
  const p = profile.value;
  const clusterDir = join(opts.out, p.cluster.name);
  const formats = rotateFormats(opts, clusterDir);
  const http = formats.includes('nocloud-net');
  if (http && opts.baseUrl === undefined) {
    throw new UsageError('the nocloud-net HTTP tree carries the secrets too: pass the same --base-url (and --kernel, --initrd, --kernel-args) as before, or choose --format');
  }
  const nocloudNet = nocloudNetOptions({ ...opts, format: http ? 'nocloud-net' : (opts.format ?? 'cloud-init') });
  const templates = loadTemplates(opts.templates);
  const strongGzip = formats.includes('cloud-init') ? await loadZopfli() : undefined;
  const gzip = strongGzip !== undefined ? { strongGzip } : {};
  return withClusterLock(opts.out, p.cluster.name, () => {
    const loaded = loadSecrets(opts.out, p, profile.file);
    if (!loaded.ok) return fail(loaded.diagnostics);
    printDiagnostics(loaded.warnings);
    // Regenerating the control planes' files needs the encryption key a bundle from
    // before encryption at rest lacks: added (and announced) like a generate run does.
    const current = withEncryptionKey(loaded.value, p, false);
    const notice = encryptionKeyNotice(current, false);
    if (notice !== undefined) process.stderr.write(notice);
    const old = current.secrets;
    const secrets = change.update(old, p);
    // Saved first: if writing the output fails, a re-run regenerates it from the
    // saved secrets instead of leaving nodes with a secret nobody registered.
    writeFileAtomic(loaded.value.file, serializeSecrets(secrets), 0o600);
    const ignition = formats.includes('ignition') ? previousIgnition(clusterDir) : {};
    const files = generateCluster({ profile: p, secrets, templates, formats, compress: previousCompression(clusterDir), ignition, ...gzip, ...(nocloudNet !== undefined ? { nocloudNet } : {}) });
    const { plan } = writeClusterOutput(clusterDir, files, { dryRun: false, ...gzip });
    printPlan(plan, process.stderr);
    change.report(old, secrets, loaded.value.file, clusterDir, formats);
    return EXIT.ok;
  });
}

import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { userKubeconfig, USER_KUBECONFIG_DEFAULT_TTL } from '../../output/user-kubeconfig.js';
import { adminExpiry, adminKubeconfig, renewAdminCertificate } from '../../output/admin-kubeconfig.js';
import { serializeSecrets } from '../../pki/serialize-secrets.js';
import { readProfile } from '../read-profile.js';
import { loadSecrets } from '../secrets-store.js';
import { writeFileAtomic } from '../atomic-write.js';
import { withClusterLock } from '../with-cluster-lock.js';
import { UsageError } from '../load-templates.js';
import { EXIT, fail, printDiagnostics } from '../report.js';

/** Default lifetime of a renewed admin.conf: one year, like kubeadm's. */
const ADMIN_RENEW_DEFAULT_TTL = '8760h';

/** Options of `gen-userdata kubeconfig`. */
export interface KubeconfigOptions {
  profile: string;
  out: string;
  /** Required unless renewAdmin. */
  user?: string;
  groups: string[];
  /** Go duration; default 720h. */
  ttl?: string;
  breakGlass: boolean;
  /** Write here (mode 0600) instead of printing to stdout. */
  output?: string;
  /** Re-sign out/<cluster>/admin.conf's certificate instead of issuing a user's. */
  renewAdmin?: boolean;
}

/**
 * Issues a kubeconfig for another user, signed offline by the cluster CA in
 * <out>/<cluster>/secrets.yaml (which must already exist: a new CA would be a
 * different cluster). Prints it to stdout, or writes it atomically with mode 0600
 * to --output. A summary without key material goes to stderr. Returns the exit code.
 */
export async function runKubeconfig(opts: KubeconfigOptions): Promise<number> {
  if (opts.renewAdmin === true) return runRenewAdmin(opts);
  const userName = opts.user;
  if (userName === undefined) throw new UsageError('--user NAME is required (or --renew-admin)');
  if (opts.output !== undefined && existsSync(opts.output) && statSync(opts.output).isDirectory()) {
    throw new UsageError(`--output ${opts.output} is a directory; name the kubeconfig file`);
  }
  const profile = readProfile(opts.profile);
  if (!profile.ok) return fail(profile.diagnostics);
  printDiagnostics(profile.warnings);
  // Holds the lock like every writer: the CA it signs with must not change underneath.
  return withClusterLock(opts.out, profile.value.cluster.name, async () => {
    const secrets = loadSecrets(opts.out, profile.value, profile.file);
    if (!secrets.ok) return fail(secrets.diagnostics);
    printDiagnostics(secrets.warnings);
    const issued = await userKubeconfig({
      profile: profile.value,
      secrets: secrets.value.secrets,
      user: userName,
      groups: opts.groups,
      ttl: opts.ttl ?? USER_KUBECONFIG_DEFAULT_TTL,
      breakGlass: opts.breakGlass,
      now: new Date(),
      randomBytes: (n) => new Uint8Array(randomBytes(n)),
    });
    if (!issued.ok) return fail(issued.diagnostics);
    printDiagnostics(issued.warnings);
    const { kubeconfig, user, groups, notAfter } = issued.value;
    const who = `user ${user}${groups.length > 0 ? `, groups ${groups.join(', ')}` : ', no groups'}, valid until ${notAfter}`;
    if (opts.output !== undefined) {
      writeFileAtomic(opts.output, kubeconfig, 0o600);
      process.stderr.write(`wrote ${opts.output} (0600): ${who}\n`);
    } else {
      process.stdout.write(kubeconfig);
      process.stderr.write(`kubeconfig for ${who}\n`);
    }
    return EXIT.ok;
  });
}

/**
 * `kubeconfig --renew-admin`: signs a new admin client certificate offline (same
 * identity, fresh key, --ttl, default one year), stores it in secrets.yaml (the
 * CAs, keys and token stay) and rewrites out/<cluster>/admin.conf, both 0600 and
 * atomically. Says so on stderr; prints no key material.
 */
async function runRenewAdmin(opts: KubeconfigOptions): Promise<number> {
  if (opts.user !== undefined || opts.groups.length > 0 || opts.breakGlass || opts.output !== undefined) {
    throw new UsageError('--renew-admin renews out/<cluster>/admin.conf; it takes no --user, --group, --break-glass or --output');
  }
  const profile = readProfile(opts.profile);
  if (!profile.ok) return fail(profile.diagnostics);
  printDiagnostics(profile.warnings);
  return withClusterLock(opts.out, profile.value.cluster.name, async () => {
    const loaded = loadSecrets(opts.out, profile.value, profile.file);
    if (!loaded.ok) return fail(loaded.diagnostics);
    printDiagnostics(loaded.warnings);
    const before = adminExpiry(loaded.value.secrets);
    const renewed = await renewAdminCertificate({
      secrets: loaded.value.secrets,
      ttl: opts.ttl ?? ADMIN_RENEW_DEFAULT_TTL,
      now: new Date(),
      randomBytes: (n) => new Uint8Array(randomBytes(n)),
    });
    if (!renewed.ok) return fail(renewed.diagnostics);
    const adminConf = join(opts.out, profile.value.cluster.name, 'admin.conf');
    writeFileAtomic(loaded.value.file, serializeSecrets(renewed.value), 0o600);
    writeFileAtomic(adminConf, adminKubeconfig(profile.value, renewed.value), 0o600);
    process.stderr.write(
      `renewed ${adminConf} (0600): kubernetes-admin, valid until ${adminExpiry(renewed.value)} (was ${before}).\n` +
        `${loaded.value.file} now holds the new admin client certificate; its CAs, keys and token are unchanged.\n`,
    );
    return EXIT.ok;
  });
}

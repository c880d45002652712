import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { userKubeconfig, USER_KUBECONFIG_DEFAULT_TTL } from '../../output/user-kubeconfig.js';
import { readProfile } from '../read-profile.js';
import { loadSecrets } from '../secrets-store.js';
import { writeFileAtomic } from '../atomic-write.js';
import { withClusterLock } from '../with-cluster-lock.js';
import { UsageError } from '../load-templates.js';
import { EXIT, fail, printDiagnostics } from '../report.js';

/** Options of `gen-userdata kubeconfig`. */
export interface KubeconfigOptions {
  profile: string;
  out: string;
  user: string;
  groups: string[];
  /** Go duration; default 720h. */
  ttl?: string;
  breakGlass: boolean;
  /** Write here (mode 0600) instead of printing to stdout. */
  output?: string;
}

/**
 * Issues a kubeconfig for another user, signed offline by the cluster CA in
 * <out>/<cluster>/secrets.yaml (which must already exist: a new CA would be a
 * different cluster). Prints it to stdout, or writes it atomically with mode 0600
 * to --output. A summary without key material goes to stderr. Returns the exit code.
 */
export async function runKubeconfig(opts: KubeconfigOptions): Promise<number> {
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
      user: opts.user,
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

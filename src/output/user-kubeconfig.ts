import { X509Certificate } from 'node:crypto';
import type { Diagnostic, Result } from '../diagnostics.js';
import type { Profile } from '../profile/types.js';
import type { ClusterSecrets } from '../pki/types.js';
import type { RandomBytes } from '../pki/random.js';
import { BREAK_GLASS_ORGANIZATION, signClientCertificate } from '../pki/client-certificate.js';
import { buildKubeconfig } from '../pki/kubeconfig.js';
import { certificateValidity } from '../pki/validity.js';
import { parseDuration } from '../util/duration.js';

/** Default lifetime of an extra credential: 30 days. */
export const USER_KUBECONFIG_DEFAULT_TTL = '720h';

/** X.509's upper bound for commonName and organizationName (RFC 5280 ub-common-name, ub-organization-name). */
const MAX_NAME_LENGTH = 64;

/** What `gen-userdata kubeconfig` asks for. */
export interface UserKubeconfigRequest {
  profile: Profile;
  secrets: ClusterSecrets;
  /** Kubernetes user name: the certificate's CN. */
  user: string;
  /** Kubernetes groups: the certificate's O values, in the given order. */
  groups: readonly string[];
  /** Go duration, e.g. "720h"; must be positive and end before the CA does. */
  ttl: string;
  /** Adds O=system:masters, which bypasses RBAC. */
  breakGlass: boolean;
  now: Date;
  randomBytes: RandomBytes;
}

/** The issued kubeconfig and what went into its certificate. */
export interface UserKubeconfig {
  kubeconfig: string;
  user: string;
  groups: string[];
  /** ISO 8601 UTC. */
  notAfter: string;
}

function problem(code: string, path: string, message: string): Diagnostic {
  return { severity: 'error', code, path, message, line: 0, col: 0 };
}

function nameProblem(value: string, what: string, path: string): Diagnostic | undefined {
  if (value.trim() === '') return problem('invalid-value', path, `${what} must not be empty`);
  if (value !== value.trim()) return problem('invalid-value', path, `${what} "${value}" has leading or trailing spaces`);
  if (/[\u0000-\u001f\u007f]/.test(value)) return problem('invalid-value', path, `${what} contains a control character`);
  if ([...value].length > MAX_NAME_LENGTH) return problem('invalid-value', path, `${what} is longer than ${MAX_NAME_LENGTH} characters (X.509 limit)`);
  return undefined;
}

/**
 * A client certificate's lifetime in hours from a `--ttl` Go duration, or the
 * diagnostic when it is not positive or would outlive the cluster CA.
 */
export function clientTtlHours(ttl: string, secrets: ClusterSecrets, now: Date): number | Diagnostic {
  const seconds = parseDuration(ttl);
  if (seconds === undefined || seconds <= 0) {
    return problem('invalid-duration', '--ttl', `"${ttl}" is not a positive Go duration such as "720h" or "8760h"`);
  }
  const caNotAfter = new Date(new X509Certificate(secrets.ca.cert).validTo);
  const { notAfter } = certificateValidity(now, seconds / 3600);
  if (notAfter.getTime() > caNotAfter.getTime()) {
    return problem('ttl-beyond-ca', '--ttl', `the certificate would outlive the cluster CA, which expires ${caNotAfter.toISOString()}`);
  }
  return seconds / 3600;
}

/**
 * Issues a kubeconfig for another user, signed offline by the cluster CA in
 * `secrets`: CN=<user>, O=<each group> (plus system:masters with breakGlass),
 * clientAuth, valid from now − 5 min for `ttl`, server https://<controlPlaneEndpoint>.
 * Pure apart from the injected clock and randomness. User mistakes (empty or
 * over-long names, a bad or non-positive ttl, a ttl past the CA's own expiry,
 * system:masters asked for as a plain group) come back as diagnostics; names
 * under the reserved "system:" prefix are allowed with a warning.
 */
export async function userKubeconfig(req: UserKubeconfigRequest): Promise<Result<UserKubeconfig>> {
  const diagnostics: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const userProblem = nameProblem(req.user, 'user name', '--user');
  if (userProblem) diagnostics.push(userProblem);
  else if (req.user.startsWith('system:')) {
    warnings.push({ ...problem('reserved-name', '--user', `"${req.user}" is in the system: namespace Kubernetes reserves for its own components`), severity: 'warning' });
  }
  for (const g of req.groups) {
    const p = nameProblem(g, 'group', '--group');
    if (p) diagnostics.push(p);
    else if (g === BREAK_GLASS_ORGANIZATION) {
      diagnostics.push(problem('invalid-value', '--group', `${BREAK_GLASS_ORGANIZATION} bypasses RBAC; ask for it explicitly with --break-glass`));
    }
  }
  const ttl = clientTtlHours(req.ttl, req.secrets, req.now);
  if (typeof ttl !== 'number') diagnostics.push(ttl);
  if (diagnostics.length > 0 || typeof ttl !== 'number') return { ok: false, diagnostics };
  const seconds = ttl * 3600;

  const groups = [...new Set([...req.groups, ...(req.breakGlass ? [BREAK_GLASS_ORGANIZATION] : [])])];
  const client = await signClientCertificate({
    ca: req.secrets.ca,
    commonName: req.user,
    organizations: groups,
    validityHours: seconds / 3600,
    now: req.now,
    randomBytes: req.randomBytes,
  });
  const kubeconfig = buildKubeconfig({
    clusterName: req.profile.cluster.name,
    server: `https://${req.profile.cluster.controlPlaneEndpoint}`,
    caCertPem: req.secrets.ca.cert,
    userName: req.user,
    client,
  });
  const notAfter = new Date(new X509Certificate(client.cert).validTo).toISOString();
  return { ok: true, value: { kubeconfig, user: req.user, groups, notAfter }, warnings };
}

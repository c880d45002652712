/**
 * String formats used by the profile schema. Each is a plain predicate so the
 * semantic rules and the ajv schema agree on what "valid" means.
 */
import { isIP } from 'node:net';
import { formatCidr, parseCidr, parseIpv4 } from './ipv4.js';
import { parseDuration } from '../util/duration.js';

const LABEL = '[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?';
const HOSTNAME_RE = new RegExp(`^${LABEL}(\\.${LABEL})*$`);

/** RFC 1123 DNS subdomain as Kubernetes uses it: lowercase labels of ≤63 alnum/'-' chars, no leading/trailing '-', ≤253 overall. */
export function isRfc1123Hostname(s: string): boolean {
  return s.length <= 253 && HOSTNAME_RE.test(s);
}

/** "host" or "host:port" where host is an IPv4 address or RFC 1123 hostname and port is 1–65535. */
export function isEndpoint(s: string): boolean {
  const m = /^([^:]+)(?::(\d{1,5}))?$/.exec(s);
  if (!m) return false;
  const host = m[1] as string;
  if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535 || m[2].startsWith('0'))) return false;
  // A dotted-quad-looking host must be a valid IPv4 address, not a "hostname" like 300.1.1.1.
  if (/^[0-9.]+$/.test(host)) return parseIpv4(host) !== undefined;
  return isRfc1123Hostname(host);
}

/** Lower- or upper-case colon-separated 48-bit MAC, e.g. 52:54:00:12:34:56. */
export function isMac(s: string): boolean {
  return /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(s);
}

/** POSIX portable user name as useradd accepts it by default (≤32 chars). */
export function isPosixUserName(s: string): boolean {
  return s.length <= 32 && /^[a-z_][a-z0-9_-]*\$?$/.test(s);
}

/**
 * Linux network interface name as udev and systemd name them: 1–15 of
 * [A-Za-z0-9_.-], not "." or "..". The kernel would take more, but nothing a
 * node really has needs more, and every other byte is a quoting hazard.
 */
export function isInterfaceName(s: string): boolean {
  return /^[A-Za-z0-9_.-]{1,15}$/.test(s) && s !== '.' && s !== '..';
}

// The image reference grammar of github.com/distribution/reference (reference.go),
// without the bracketed IPv6 registry host: [domain[:port]/]path[:tag][@digest].
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const IMAGE_REFERENCE_RE = new RegExp(
  `^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::${TAG})?(?:@${DIGEST})?$`,
);

/**
 * Container image reference by the docker/distribution grammar, e.g.
 * registry.k8s.io/pause:3.9 or a name@sha256:… digest; the name is at most 255 characters.
 */
export function isImageReference(s: string): boolean {
  const m = IMAGE_REFERENCE_RE.exec(s);
  return m !== null && (m[1] as string).length <= 255;
}

/**
 * Predicates registered with ajv as custom formats, by format name.
 * The schema refers to these names; the diagnostic mapper maps them to codes.
 */
export const FORMATS: Record<string, (s: string) => boolean> = {
  ipv4: (s) => parseIpv4(s) !== undefined,
  // Nameservers may be IPv6 even on an IPv4 cluster.
  ip: (s) => isIP(s) !== 0,
  // Host bits must be zero: "192.168.56.1/24" most likely is a pasted node
  // address, and Kubernetes components disagree on whether to mask it silently.
  'ipv4-cidr': (s) => {
    const c = parseCidr(s);
    return c !== undefined && formatCidr(c) === s;
  },
  hostname: isRfc1123Hostname,
  endpoint: isEndpoint,
  'go-duration': (s) => parseDuration(s) !== undefined,
  mac: isMac,
  'posix-user': isPosixUserName,
  'interface-name': isInterfaceName,
  'image-reference': isImageReference,
  'http-url': (s) => {
    if (!/^https?:\/\//.test(s)) return false;
    try {
      new URL(s);
      return true;
    } catch {
      return false;
    }
  },
};

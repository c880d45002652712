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

// RFC 3986's characters: unreserved, reserved and "%" (which must start an escape).
const URL_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;

/**
 * An http:// or https:// URL with a host, written only with the characters RFC 3986
 * allows (no spaces, quotes, backticks, braces, control characters; "%" only in
 * %XX escapes), that WHATWG URL parsing accepts. Such a value is one word to every
 * tool that reads it (apt sources, curl, Ignition).
 */
export function isHttpUrl(s: string): boolean {
  if (!/^https?:\/\/[^/?#]/.test(s) || !URL_CHARACTERS.test(s) || /%(?![0-9A-Fa-f]{2})/.test(s)) return false;
  try {
    return new URL(s).hostname !== '';
  } catch {
    return false;
  }
}

const SSH_KEY_TYPES = new Set([
  'ssh-rsa',
  'ssh-dss',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);
// authorized_keys options (sshd(8) "AUTHORIZED_KEYS FILE FORMAT"): comma-separated
// `name` or `name="value"`, where a value may hold spaces and \" escapes.
const OPTION = '[A-Za-z0-9-]+(?:="(?:[^"\\\\]|\\\\.)*")?';
const AUTHORIZED_KEY_RE = new RegExp(`^(?:(${OPTION}(?:,${OPTION})*) +)?([a-z0-9@.-]+) +([A-Za-z0-9+/]+={0,2})(?: +(.*))?$`);

/** The length-prefixed fields (RFC 4251 "string") of an SSH key blob; undefined unless they fill it exactly. */
function sshBlobFields(blob: Buffer): Buffer[] | undefined {
  const fields: Buffer[] = [];
  let at = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) return undefined;
    const length = blob.readUInt32BE(at);
    if (at + 4 + length > blob.length) return undefined;
    fields.push(blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return fields;
}

/**
 * One authorized_keys line as OpenSSH reads it: optional options, a key type sshd
 * knows, a base64 body that decodes to an SSH key blob of that same type (its
 * length-prefixed fields fill it exactly), and an optional comment. Control
 * characters (a newline would start a second key) are refused for every profile string.
 */
export function isAuthorizedKey(s: string): boolean {
  const m = AUTHORIZED_KEY_RE.exec(s);
  if (!m) return false;
  const type = m[2] as string;
  const body = m[3] as string;
  if (!SSH_KEY_TYPES.has(type) || body.length % 4 === 1) return false;
  const blob = Buffer.from(body, 'base64');
  if (blob.toString('base64').replace(/=+$/, '') !== body.replace(/=+$/, '')) return false;
  const fields = sshBlobFields(blob);
  return fields !== undefined && fields.length >= 2 && fields[0]!.toString('latin1') === type;
}

/** A subject alternative name for a serving certificate: an IP address, a DNS name, or "*.": a wildcard DNS name. */
export function isCertSan(s: string): boolean {
  return isIP(s) !== 0 || isRfc1123Hostname(s.startsWith('*.') ? s.slice(2) : s);
}

const PROXY_USERINFO = '[A-Za-z0-9._~%-]+(?::[A-Za-z0-9._~%-]*)?@';
const PROXY_URL_RE = new RegExp(`^https?://(?:${PROXY_USERINFO})?([A-Za-z0-9.-]+)(?::([0-9]{1,5}))?/?$`);

/**
 * A proxy URL as apt, systemd, curl and Go all read it the same way:
 * http(s)://[user[:password]@]host[:port][/], host an IPv4 address or DNS name, and
 * "%" only in %XX escapes. Nothing a shell, a systemd EnvironmentFile or apt.conf
 * would treat specially can appear.
 */
export function isProxyUrl(s: string): boolean {
  const m = PROXY_URL_RE.exec(s);
  if (!m || /%(?![0-9A-Fa-f]{2})/.test(s)) return false;
  const host = m[1] as string;
  if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535)) return false;
  return /^[0-9.]+$/.test(host) ? parseIpv4(host) !== undefined : isRfc1123Hostname(host.toLowerCase());
}

/**
 * One NO_PROXY entry: "*", a host name or ".domain" suffix (optionally ":port"), an
 * IPv4 address, or an IPv4 CIDR.
 */
export function isNoProxyEntry(s: string): boolean {
  if (s === '*') return true;
  const cidr = /^([0-9.]+)\/([0-9]{1,2})$/.exec(s);
  if (cidr) return parseCidr(s) !== undefined;
  const m = /^(\.?)([^:]+)(?::([0-9]{1,5}))?$/.exec(s);
  if (!m) return false;
  if (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 65535)) return false;
  const host = (m[2] as string).toLowerCase();
  return /^[0-9.]+$/.test(host) ? m[1] === '' && parseIpv4(host) !== undefined : isRfc1123Hostname(host);
}

/** An NTP server: a DNS name or an IP address. */
export function isNtpServer(s: string): boolean {
  return isIP(s) !== 0 || isRfc1123Hostname(s.toLowerCase());
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
  'http-url': isHttpUrl,
  'ssh-authorized-key': isAuthorizedKey,
  'cert-san': isCertSan,
  'proxy-url': isProxyUrl,
  'no-proxy-entry': isNoProxyEntry,
  'ntp-server': isNtpServer,
};

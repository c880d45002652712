/**
 * Minimal IPv4 arithmetic on unsigned 32-bit integers, enough for the profile
 * rules (containment, overlap, network/broadcast addresses). IPv6 is out of
 * scope: the generated clusters are IPv4 single-stack.
 */

/** An IPv4 network: base address (host bits zero), prefix length and size. */
export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  network: number;
  /** Broadcast (last) address as an unsigned 32-bit integer. */
  broadcast: number;
  prefix: number;
  /** Number of addresses, 2^(32-prefix). */
  size: number;
}

// Dotted quad with no leading zeros: "010.0.0.1" is ambiguous (octal in some tools).
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4_RE = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/** Returns the address as an unsigned 32-bit integer, or undefined when `s` is not a dotted-quad IPv4 address. */
export function parseIpv4(s: string): number | undefined {
  const m = IPV4_RE.exec(s);
  if (!m) return undefined;
  return ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
}

/** Formats an unsigned 32-bit integer as a dotted quad. */
export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function maskOf(prefix: number): number {
  // `<< 32` is a no-op in JS, hence the special case.
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/**
 * Parses "a.b.c.d/n". Returns undefined when the syntax is wrong.
 * Host bits are not checked here; see {@link hostBitsSet}.
 */
export function parseCidr(s: string): Ipv4Cidr | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseIpv4(s.slice(0, slash));
  const p = s.slice(slash + 1);
  if (addr === undefined || !/^(3[0-2]|[12]?[0-9])$/.test(p)) return undefined;
  const prefix = Number(p);
  const network = (addr & maskOf(prefix)) >>> 0;
  const size = 2 ** (32 - prefix);
  return { network, broadcast: network + size - 1, prefix, size };
}

/** True when "a.b.c.d/n" has bits set beyond the prefix (e.g. 192.168.56.1/24). False for unparsable input. */
export function hostBitsSet(s: string): boolean {
  const c = parseCidr(s);
  return c !== undefined && parseIpv4(s.slice(0, s.indexOf('/'))) !== c.network;
}

/** True when the integer address `ip` lies inside `c` (network and broadcast included). */
export function cidrContains(c: Ipv4Cidr, ip: number): boolean {
  return ip >= c.network && ip <= c.broadcast;
}

/** True when the two networks share at least one address. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.network <= b.broadcast && b.network <= a.broadcast;
}

/** Formats a network as "a.b.c.d/n". */
export function formatCidr(c: Ipv4Cidr): string {
  return `${formatIpv4(c.network)}/${c.prefix}`;
}

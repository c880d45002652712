/**
 * What a semantic rule returns: a diagnostic without a source position. The
 * loader adds line and column by looking the path up in the YAML document, so
 * rules stay pure functions of the Profile.
 */
import type { Diagnostic } from '../../diagnostics.js';
import type { Profile } from '../types.js';
import { parseCidr, parseIpv4, type Ipv4Cidr } from '../ipv4.js';

/** A rule's result: path is a JSON pointer into the YAML (not the Profile). */
export type Finding = Pick<Diagnostic, 'severity' | 'code' | 'path' | 'message'>;

/** A semantic check over a defaulted profile. */
export type Rule = (p: Profile) => Finding[];

/** Builds an error finding. */
export function error(code: string, path: string, message: string): Finding {
  return { severity: 'error', code, path, message };
}

/** Builds a warning finding. */
export function warning(code: string, path: string, message: string): Finding {
  return { severity: 'warning', code, path, message };
}

/** Parses an address the schema already validated; throws (a bug) otherwise. */
export function ipOf(s: string): number {
  const n = parseIpv4(s);
  if (n === undefined) throw new Error(`bug: unvalidated IPv4 address ${s}`);
  return n;
}

/** Parses a CIDR the schema already validated (or a built-in default); throws (a bug) otherwise. */
export function cidrOf(s: string): Ipv4Cidr {
  const c = parseCidr(s);
  if (c === undefined) throw new Error(`bug: unvalidated CIDR ${s}`);
  return c;
}

/**
 * Validates the raw YAML data against the profile schema and turns ajv's
 * errors into Diagnostics with stable codes, JSON pointers and positions.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Diagnostic } from '../diagnostics.js';
import { didYouMean } from './did-you-mean.js';
import { cutText, echoValue } from './echo-value.js';
import { formatCidr, hostBitsSet, parseCidr } from './ipv4.js';
import { validate as generatedValidate } from './profile-validator.generated.js';
import { escapeSegment, type SourceLocator } from './yaml-positions.js';

// schema.ts compiled ahead of time (src/build/validator-modules.ts), with
// verbose errors: parentSchema carries the x-code/x-message annotations.
const validate = generatedValidate as unknown as ValidateFunction;

/** Diagnostic code per custom format name. */
const FORMAT_CODES: Record<string, string> = {
  ipv4: 'invalid-ip',
  ip: 'invalid-ip',
  'ipv4-cidr': 'invalid-cidr',
  hostname: 'invalid-hostname',
  endpoint: 'invalid-endpoint',
  'go-duration': 'invalid-duration',
  mac: 'invalid-mac',
  'posix-user': 'invalid-user-name',
  'interface-name': 'invalid-interface',
  'image-reference': 'invalid-image',
  'http-url': 'invalid-url',
  'ssh-authorized-key': 'invalid-ssh-key',
  'cert-san': 'invalid-san',
};

function formatMessage(format: string, value: string): string {
  const v = echoValue(value);
  switch (format) {
    case 'ipv4':
      return `${v} is not an IPv4 address (dotted quad such as 192.168.56.101, no leading zeros)`;
    case 'ip':
      return `${v} is not an IP address`;
    case 'ipv4-cidr': {
      if (value.includes(':')) return `${v} is IPv6; only IPv4 single-stack clusters are supported`;
      if (hostBitsSet(value)) {
        return `${v} has host bits set; the network address is ${formatCidr(parseCidr(value)!)}`;
      }
      return `${v} is not an IPv4 network in CIDR notation such as 10.244.0.0/16`;
    }
    case 'hostname':
      return `${v} is not an RFC 1123 name: lowercase letters, digits and "-", dot-separated labels of at most 63 characters that start and end with a letter or digit`;
    case 'endpoint':
      return `${v} is not "host" or "host:port" (IPv4 address or DNS name, port 1-65535)`;
    case 'go-duration':
      return `${v} is not a Go duration such as "24h", "90m", "1h30m" or "45s"`;
    case 'mac':
      return `${v} is not a MAC address such as 52:54:00:12:34:56`;
    case 'posix-user':
      return `${v} is not a valid user name: start with a lowercase letter or "_", then lowercase letters, digits, "_" or "-", at most 32 characters`;
    case 'interface-name':
      return `${v} is not a network interface name (1-15 letters, digits, "_", "." or "-")`;
    case 'image-reference':
      return `${v} is not a container image reference such as registry.k8s.io/pause:3.9 ([registry[:port]/]lowercase/path[:tag][@sha256:digest])`;
    case 'cert-san':
      return `${v} is not an IP address or a DNS name (a leading "*." wildcard is allowed)`;
    case 'http-url':
      return `${v} is not an http:// or https:// URL with a host, written with the characters RFC 3986 allows (no spaces, quotes, backticks or braces; "%" only as %XX)`;
    default:
      return `${v} does not match format ${format}`;
  }
}

function describeValue(data: unknown, source: string | undefined): string {
  if (data === null) return 'an empty value';
  const kind = Array.isArray(data) ? 'a list' : typeof data === 'object' ? 'a mapping' : `${typeof data}`;
  return source !== undefined && typeof data !== 'object' ? `${kind} (${cutText(source)})` : kind;
}

function describeType(type: string | string[]): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
    null: 'empty',
  };
  const list = (Array.isArray(type) ? type : type.split(',')).filter((t) => t !== 'null');
  return list.map((t) => names[t] ?? t).join(' or ');
}

interface Annotated {
  'x-code'?: string;
  'x-message'?: string;
  properties?: Record<string, unknown>;
  propertyNames?: { 'x-code'?: string; 'x-message'?: string };
}

function toDiagnostic(e: ErrorObject, loc: SourceLocator): Omit<Diagnostic, 'file'> | undefined {
  const parent = (e.parentSchema ?? {}) as Annotated;
  const at = (path: string, key = false): Pick<Diagnostic, 'path' | 'line' | 'col'> => ({
    path,
    ...loc.locate(path, { key }),
  });
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(e.params.additionalProperty);
      if (parent['x-code'] !== undefined) {
        // A map with free keys of a given syntax (node labels): the key is malformed, not unknown.
        return { severity: 'error', code: parent['x-code'], ...at(`${e.instancePath}/${escapeSegment(name)}`, true), message: `key ${echoValue(name)} ${parent['x-message'] ?? 'is invalid'}` };
      }
      const known = Object.keys(parent.properties ?? {});
      const guess = didYouMean(name, known);
      const hint = guess ? `; did you mean "${guess}"?` : known.length ? `; expected one of: ${known.join(', ')}` : '';
      return {
        severity: 'error',
        code: 'unknown-key',
        ...at(`${e.instancePath}/${escapeSegment(name)}`, true),
        message: `unknown key "${name}"${hint}`,
      };
    }
    case 'required': {
      const name = String(e.params.missingProperty);
      const where = loc.locate(e.instancePath, { key: true });
      return {
        severity: 'error',
        code: 'missing-field',
        path: `${e.instancePath}/${escapeSegment(name)}`,
        ...where,
        message: `required field "${name}" is missing`,
      };
    }
    case 'type': {
      const source = loc.sourceText(e.instancePath);
      const wanted = describeType(e.params.type as string | string[]);
      let message = `must be ${wanted}, got ${describeValue(e.data, source)}`;
      const expectsString = String(e.params.type).split(',').includes('string');
      if (expectsString && (typeof e.data === 'number' || typeof e.data === 'boolean')) {
        // YAML reads 1.30 as the number 1.3; quoting keeps the text as written.
        message +=
          e.instancePath === '/cluster/kubernetesVersion'
            ? '; write the full version in quotes, e.g. "1.30.0"'
            : `; quote it to keep it a string, e.g. "${source ?? String(e.data)}"`;
      }
      if (e.instancePath === '') {
        message = e.data === null ? 'the profile is empty' : `the profile must be a YAML mapping, got ${describeValue(e.data, undefined)}`;
      }
      return { severity: 'error', code: 'wrong-type', ...at(e.instancePath), message };
    }
    case 'if':
      // Reported through the failing `then` branch instead.
      return undefined;
    case 'propertyNames': {
      // A map key that breaks the key rule: point at the key itself.
      const name = String(e.params.propertyName);
      return {
        severity: 'error',
        code: parent.propertyNames?.['x-code'] ?? 'invalid-key',
        ...at(`${e.instancePath}/${escapeSegment(name)}`, true),
        message: `${echoValue(name)}: ${parent.propertyNames?.['x-message'] ?? 'is not a valid key'}`,
      };
    }
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const guess = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
      return {
        severity: 'error',
        code: parent['x-code'] ?? 'invalid-value',
        ...at(e.instancePath),
        message:
          `must be one of ${allowed.join(', ')}; got ${echoValue(e.data)}` + (guess ? ` (did you mean "${guess}"?)` : ''),
      };
    }
    case 'format': {
      const format = String(e.params.format);
      return {
        severity: 'error',
        code: parent['x-code'] ?? FORMAT_CODES[format] ?? 'invalid-format',
        ...at(e.instancePath),
        message: parent['x-message'] ?? formatMessage(format, String(e.data)),
      };
    }
    default: {
      // The key rule's own failure comes with its propertyNames error, reported above.
      if (e.propertyName !== undefined) return undefined;
      const fallback = e.keyword === 'pattern' ? 'invalid-format' : 'invalid-value';
      const got = typeof e.data === 'object' ? '' : `; got ${echoValue(e.data)}`;
      return {
        severity: 'error',
        code: parent['x-code'] ?? fallback,
        ...at(e.instancePath),
        message: (parent['x-message'] ?? e.message ?? 'is invalid') + got,
      };
    }
  }
}

/**
 * Checks `data` (the YAML converted to plain JS) against the profile schema.
 * Returns one error Diagnostic per problem, in document order; [] when valid.
 */
export function schemaDiagnostics(data: unknown, loc: SourceLocator): Omit<Diagnostic, 'file'>[] {
  if (validate(data)) return [];
  const seen = new Set<string>();
  const out: Omit<Diagnostic, 'file'>[] = [];
  for (const e of validate.errors ?? []) {
    const d = toDiagnostic(e, loc);
    if (!d) continue;
    const id = `${d.code} ${d.path}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(d);
  }
  return out;
}

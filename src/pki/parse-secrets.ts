import type { ErrorObject, ValidateFunction } from 'ajv';
import { X509Certificate, createPublicKey, type KeyObject } from 'node:crypto';
import { LineCounter, parseDocument } from 'yaml';
import type { Diagnostic, Result } from '../diagnostics.js';
import { parseDuration } from '../util/duration.js';
import { keyAlgorithmOf, MIN_RSA_BITS } from './key-algorithm.js';
import { keyMatchesCertificate, publicKeyMatchesPrivateKey } from './key-match.js';
import { INVALID_SECRETS } from './secrets-format.js';
import type { SecretsFile } from './secrets-schema.js';
import { validate as generatedValidate } from './secrets-validator.generated.js';
import type { ClusterSecrets } from './types.js';
import { locatePointer } from './yaml-position.js';

// secrets-schema.ts compiled ahead of time (src/build/validator-modules.ts).
const validate = generatedValidate as unknown as ValidateFunction<SecretsFile>;

/**
 * Parses secrets.yaml text (as written by serializeSecrets). Returns the
 * ClusterSecrets, or `invalid-secrets` error diagnostics (JSON pointer path,
 * line and column in `file`) when the YAML is broken, the structure is wrong,
 * a certificate or key does not parse, a key does not belong to its
 * certificate, a key is neither ECDSA P-256 nor RSA of 2048 bits or more, a CA
 * is not a CA, or the admin certificate is not signed by the cluster CA. Both
 * algorithms are accepted, and the bundle keeps the one it was made with
 * (see secretsKeyAlgorithm). Never throws on bad input.
 */
export function parseSecrets(text: string, file: string): Result<ClusterSecrets> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const diag = (path: string, message: string, at?: { line: number; col: number }): Diagnostic => {
    const pos = at ?? locatePointer(doc, lineCounter, path);
    return { severity: 'error', code: INVALID_SECRETS, path, message, line: pos.line, col: pos.col, file };
  };

  if (doc.errors.length > 0) {
    return {
      ok: false,
      diagnostics: doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        return diag('', `YAML syntax: ${e.message.split('\n')[0]}`, pos);
      }),
    };
  }

  if (doc.contents === null) {
    return { ok: false, diagnostics: [diag('', 'the file is empty; expected a gen-userdata secrets bundle')] };
  }
  let data: unknown;
  try {
    // A bundle never uses aliases; an alias bomb or absurd nesting is refused, not expanded.
    data = doc.toJS({ maxAliasCount: 0 });
  } catch (err) {
    const why = err instanceof RangeError ? 'nested too deeply' : 'uses YAML aliases (*name), which a secrets bundle never does';
    return { ok: false, diagnostics: [diag('', `${why}; expected a gen-userdata secrets bundle`)] };
  }
  if (!validate(data)) {
    return { ok: false, diagnostics: (validate.errors ?? []).map((e) => schemaDiagnostic(e, diag)) };
  }

  const diagnostics = cryptoDiagnostics(data, diag);
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  return { ok: true, value: toClusterSecrets(data), warnings: [] };
}

type MakeDiag = (path: string, message: string) => Diagnostic;

function schemaDiagnostic(e: ErrorObject, diag: MakeDiag): Diagnostic {
  const path = e.instancePath;
  switch (e.keyword) {
    case 'required': {
      // The path names the missing field; its position falls back to the parent's line.
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return diag(`${path}/${pointerEscape(missing)}`, `missing required field "${missing}"`);
    }
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      return diag(`${path}/${pointerEscape(extra)}`, `unknown field "${extra}"`);
    }
    case 'pattern':
      return diag(path, `malformed value (${describePattern(path)})`);
    case 'type': {
      const type = (e.params as { type: string }).type;
      // A hand-edited `ttl: 0` is a YAML number; say how to write the string.
      const hint = type === 'string' && path.endsWith('/ttl') ? ' (quote it, e.g. "0")' : '';
      return diag(path, `must be ${type === 'object' ? 'a mapping' : `a ${type}`}${hint}`);
    }
    case 'const':
      return diag(path, `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`);
    default:
      return diag(path, e.message ?? 'invalid value');
  }
}

function pointerEscape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function describePattern(path: string): string {
  if (path.endsWith('/cert')) return 'expected a PEM CERTIFICATE';
  if (path.endsWith('/key') || path.endsWith('/privateKey')) return 'expected a PEM private key';
  if (path.endsWith('/publicKey')) return 'expected a PEM PUBLIC KEY';
  if (path.endsWith('/createdAt')) return 'expected an ISO 8601 UTC time like 2026-01-01T00:00:00.000Z';
  if (path.endsWith('/id')) return 'expected 6 characters [a-z0-9]';
  if (/\/encryptionKeys\/\d+\/secret$/.test(path)) return 'expected the base64 encoding of 32 bytes (44 characters ending in "=")';
  if (/\/encryptionKeys\/\d+\/name$/.test(path)) return 'expected key1, key2, …';
  if (path.endsWith('/secret')) return 'expected 16 characters [a-z0-9]';
  return 'does not match the expected format';
}

/** Checks that need the crypto: parsing, key/cert pairing, CA flags, the admin signature. */
function cryptoDiagnostics(s: SecretsFile, diag: MakeDiag): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const field of ['createdAt', 'bootstrapToken/createdAt'] as const) {
    const value = field === 'createdAt' ? s.createdAt : s.bootstrapToken.createdAt;
    if (Number.isNaN(Date.parse(value))) out.push(diag(`/${field}`, `not a valid time: ${value}`));
  }
  if (parseDuration(s.bootstrapToken.ttl) === undefined) {
    out.push(diag('/bootstrapToken/ttl', `not a Go duration (like "24h", "1h30m" or "0"): ${s.bootstrapToken.ttl}`));
  }

  const certs: Partial<Record<'ca' | 'frontProxyCa' | 'etcdCa' | 'admin', X509Certificate>> = {};
  for (const name of ['ca', 'frontProxyCa', 'etcdCa', 'admin'] as const) {
    const pair = s[name];
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pair.cert);
    } catch {
      out.push(diag(`/${name}/cert`, 'certificate does not parse'));
      continue;
    }
    certs[name] = cert;
    if (!keyMatchesCertificate(pair.cert, pair.key)) {
      out.push(diag(`/${name}/key`, `private key does not parse or does not belong to /${name}/cert`));
    }
    if (name !== 'admin' && !cert.ca) out.push(diag(`/${name}/cert`, 'certificate is not a CA (basicConstraints CA:TRUE)'));
    if (keyAlgorithmOf(cert.publicKey) === undefined) out.push(diag(`/${name}/cert`, unsupportedKey(cert.publicKey)));
  }

  if (certs.ca && certs.admin && !(certs.admin.checkIssued(certs.ca) && certs.admin.verify(certs.ca.publicKey))) {
    out.push(diag('/admin/cert', 'admin certificate is not signed by /ca/cert'));
  }
  const names = new Set<string>();
  (s.encryptionKeys ?? []).forEach((k, i) => {
    if (names.has(k.name)) out.push(diag(`/encryptionKeys/${i}/name`, `encryption key name ${k.name} is used twice`));
    names.add(k.name);
  });
  if (!publicKeyMatchesPrivateKey(s.serviceAccount.publicKey, s.serviceAccount.privateKey)) {
    out.push(diag('/serviceAccount/publicKey', 'public key does not parse or does not belong to /serviceAccount/privateKey'));
  } else {
    const saKey = createPublicKey(s.serviceAccount.publicKey);
    if (keyAlgorithmOf(saKey) === undefined) out.push(diag('/serviceAccount/publicKey', unsupportedKey(saKey)));
  }
  return out;
}

function unsupportedKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails;
  const what = [key.asymmetricKeyType, details?.namedCurve, details?.modulusLength && `${details.modulusLength} bits`].filter(Boolean).join(' ');
  return `unsupported key (${what}): gen-userdata handles ECDSA P-256 and RSA of ${MIN_RSA_BITS} bits or more`;
}

function toClusterSecrets(s: SecretsFile): ClusterSecrets {
  // Drop the file header (apiVersion, kind); keep everything else verbatim so
  // re-serializing gives identical bytes.
  return {
    clusterName: s.clusterName,
    createdAt: s.createdAt,
    ca: { cert: s.ca.cert, key: s.ca.key },
    frontProxyCa: { cert: s.frontProxyCa.cert, key: s.frontProxyCa.key },
    etcdCa: { cert: s.etcdCa.cert, key: s.etcdCa.key },
    serviceAccount: { publicKey: s.serviceAccount.publicKey, privateKey: s.serviceAccount.privateKey },
    bootstrapToken: {
      id: s.bootstrapToken.id,
      secret: s.bootstrapToken.secret,
      ttl: s.bootstrapToken.ttl,
      createdAt: s.bootstrapToken.createdAt,
    },
    admin: { cert: s.admin.cert, key: s.admin.key },
    ...(s.encryptionKeys ? { encryptionKeys: s.encryptionKeys.map((k) => ({ name: k.name, secret: k.secret })) } : {}),
  };
}

/**
 * JSON Schema (draft-07, checked by ajv) for the profile YAML as written by the
 * user, before defaults. Every object is closed (`additionalProperties: false`)
 * so typos surface as `unknown-key` instead of being ignored.
 *
 * Two annotation keywords steer the diagnostics (see schema-diagnostics.ts):
 *  - `x-code`: diagnostic code for a failing value keyword (pattern, format,
 *    enum, const, minItems, …) in this subschema; type errors stay `wrong-type`.
 *  - `x-message`: message for such a failure, replacing ajv's generic text.
 *
 * One rule covers every string (see withTextRules): no control characters and a
 * length cap, added to each string-typed subschema when the schema is built, so a
 * new field cannot miss it. `x-multiline: true` marks the one field that may hold
 * newlines (an ASCII-armored key).
 */
import { PROFILE_LIMITS } from './limits.js';

import { KEY_ALGORITHMS } from '../pki/key-algorithm.js';

// An optional section or list left empty in YAML (`addons:` with everything
// below commented out) parses as null; treat it like an absent one.
const OPTIONAL_OBJECT = ['object', 'null'] as const;
const OPTIONAL_ARRAY = ['array', 'null'] as const;

const str = { type: 'string', minLength: 1 } as const;
const bool = { type: 'boolean' } as const;
const ipv4 = { type: 'string', format: 'ipv4' } as const;
const cidr = { type: 'string', format: 'ipv4-cidr' } as const;
const httpUrl = { type: 'string', format: 'http-url' } as const;
const duration = { type: 'string', format: 'go-duration' } as const;
const hostname = { type: 'string', format: 'hostname' } as const;

/** A sha256 digest as sha256sum prints it (the image's bytes as downloaded). */
const sha256Hex = {
  type: 'string',
  pattern: '^[0-9a-fA-F]{64}$',
  'x-message': 'must be a sha256 digest: 64 hexadecimal characters',
} as const;

/** Release tags end up in download URLs, so no spaces or slashes. */
const versionTag = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9._+-]*$',
  'x-message': 'must be a release tag such as v3.27.0 (letters, digits, ".", "_", "+", "-")',
} as const;

/** Kubernetes resource quantity, e.g. 100m, 256Mi, 1. YAML numbers are accepted. */
const quantity = {
  type: ['string', 'number'],
  pattern: '^[0-9]+(\\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$',
  minimum: 0,
  // Larger numbers print in exponent notation (1e+21), which is no quantity.
  maximum: Number.MAX_SAFE_INTEGER,
  'x-code': 'invalid-quantity',
  'x-message': 'must be a Kubernetes quantity such as 100m, 1, 256Mi or 1Gi',
} as const;

const reserved = {
  type: OPTIONAL_OBJECT,
  additionalProperties: false,
  properties: { cpu: quantity, memory: quantity, 'ephemeral-storage': quantity, pid: quantity },
} as const;

const addon = {
  type: OPTIONAL_OBJECT,
  additionalProperties: false,
  properties: { enabled: bool, version: versionTag, manifestUrl: httpUrl, manifestFile: str },
} as const;

// Characters no profile string may hold: C0 and C1 controls (tab, newline, NUL, DEL,
// NEL…), the Unicode line and paragraph separators (YAML 1.1 and PyYAML, cloud-init's
// parser, break lines at them), lone surrogates and the noncharacters U+FFFE/U+FFFF,
// which PyYAML refuses to read. A multi-line field allows only the newline.
const CONTROL = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u2028\\u2029\\ud800-\\udfff\\ufffe\\uffff';
const TEXT_RULES = [
  {
    pattern: `^[^\\u0009\\u000a${CONTROL}]*$`,
    'x-code': 'control-character',
    'x-message': 'must not contain control characters (tab, newline, NUL, DEL and the like)',
  },
  {
    maxLength: PROFILE_LIMITS.maxStringLength,
    'x-code': 'too-long',
    'x-message': `must be at most ${PROFILE_LIMITS.maxStringLength} characters`,
  },
] as const;
const MULTILINE_TEXT_RULES = [
  {
    pattern: `^[^\\u0009${CONTROL}]*$`,
    'x-code': 'control-character',
    'x-message': 'must not contain control characters other than newlines',
  },
  {
    maxLength: PROFILE_LIMITS.maxMultilineLength,
    'x-code': 'too-long',
    'x-message': `must be at most ${PROFILE_LIMITS.maxMultilineLength} characters`,
  },
] as const;

/** Adds the text rules to every subschema whose type admits a string. */
function withTextRules<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(withTextRules) as T;
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // Property names are keys, not subschemas; enum/const values are ours.
    out[key] = key === 'enum' || key === 'const' ? value : key === 'properties' ? mapValues(value, withTextRules) : withTextRules(value);
  }
  const type = (schema as { type?: unknown }).type;
  const admitsString = type === 'string' || (Array.isArray(type) && type.includes('string'));
  if (admitsString) {
    const multiline = (schema as { 'x-multiline'?: boolean })['x-multiline'] === true;
    out['allOf'] = [...(((schema as { allOf?: unknown[] }).allOf) ?? []), ...(multiline ? MULTILINE_TEXT_RULES : TEXT_RULES)];
  }
  return out as T;
}

function mapValues(o: unknown, f: (v: unknown) => unknown): unknown {
  return Object.fromEntries(Object.entries(o as Record<string, unknown>).map(([k, v]) => [k, f(v)]));
}

/** The profile schema, with the text rules on every string; compiled ahead of time (src/build/validator-modules.ts). */
export const profileSchema = withTextRules({
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['cluster', 'network', 'nodes'],
  properties: {
    cluster: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'kubernetesVersion'],
      properties: {
        name: hostname,
        kubernetesVersion: {
          type: 'string',
          pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+$',
          'x-message': 'must be a full version "major.minor.patch" such as "1.30.0", without a leading "v"',
        },
        controlPlaneEndpoint: { type: 'string', format: 'endpoint' },
        podSubnet: cidr,
        serviceSubnet: cidr,
        dnsDomain: hostname,
        kubeProxy: {
          type: OPTIONAL_OBJECT,
          additionalProperties: false,
          properties: { mode: { enum: ['iptables', 'ipvs'] } },
        },
        cni: {
          type: OPTIONAL_OBJECT,
          additionalProperties: false,
          properties: {
            plugin: { enum: ['calico', 'flannel', 'none'] },
            version: versionTag,
            manifestUrl: httpUrl,
            manifestFile: str,
          },
        },
        token: {
          type: OPTIONAL_OBJECT,
          additionalProperties: false,
          properties: {
            // `ttl: 0` is a YAML integer; accept it as "never expires".
            ttl: {
              type: ['string', 'integer'],
              format: 'go-duration',
              if: { type: 'integer' },
              then: {
                const: 0,
                'x-code': 'invalid-duration',
                'x-message': 'must be a Go duration such as "24h" or "90m", or 0 for a token that never expires',
              },
            },
            revokeWhenJoined: bool,
          },
        },
        joinTimeout: duration,
        vip: {
          type: OPTIONAL_OBJECT,
          additionalProperties: false,
          required: ['address'],
          properties: {
            address: ipv4,
            interface: { type: 'string', format: 'interface-name' },
            kubeVipVersion: versionTag,
          },
        },
      },
    },
    runtime: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: {
        containerd: {
          type: OPTIONAL_OBJECT,
          additionalProperties: false,
          properties: { sandboxImage: { type: 'string', format: 'image-reference' } },
        },
      },
    },
    packages: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: {
        install: bool,
        aptRepository: {
          type: OPTIONAL_OBJECT,
          additionalProperties: false,
          properties: {
            url: httpUrl,
            key: {
              type: 'string',
              'x-multiline': true,
              pattern: '-----BEGIN PGP PUBLIC KEY BLOCK-----',
              'x-message': 'must be an ASCII-armored key ("-----BEGIN PGP PUBLIC KEY BLOCK-----"); use keyFile for a path',
            },
            keyFile: str,
          },
        },
      },
    },
    network: {
      type: 'object',
      additionalProperties: false,
      required: ['cidr'],
      properties: {
        cidr,
        gateway: ipv4,
        nameservers: { type: OPTIONAL_ARRAY, items: { type: 'string', format: 'ip' } },
        interface: { type: 'string', format: 'interface-name' },
        dhcpInterfaces: { type: OPTIONAL_ARRAY, items: { type: 'string', format: 'interface-name' } },
        hostsEntries: { enum: ['auto', 'all', 'control-planes', 'none'] },
      },
    },
    firewall: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: { mode: { enum: ['disabled', 'ports'] } },
    },
    pki: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: { keyAlgorithm: { enum: [...KEY_ALGORITHMS] } },
    },
    access: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: {
        users: {
          type: OPTIONAL_ARRAY,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name'],
            properties: {
              name: { type: 'string', format: 'posix-user' },
              sshAuthorizedKeys: {
                type: OPTIONAL_ARRAY,
                items: {
                  type: 'string',
                  format: 'ssh-authorized-key',
                  'x-code': 'invalid-ssh-key',
                  'x-message':
                    'must be one authorized_keys line: [options] type base64-key [comment], such as "ssh-ed25519 AAAA… comment", whose key decodes to a key of that type',
                },
              },
              sudo: bool,
              shell: {
                type: 'string',
                pattern: '^/\\S+$',
                'x-message': 'must be an absolute path such as /bin/bash',
              },
              kubeconfig: bool,
            },
          },
        },
      },
    },
    kubelet: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: {
        systemReserved: reserved,
        kubeReserved: reserved,
        maxPods: { type: 'integer', minimum: 1, maximum: PROFILE_LIMITS.maxPods },
        serverTLSBootstrap: bool,
      },
    },
    addons: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: {
        metricsServer: addon,
        ingressNginx: {
          ...addon,
          properties: { ...addon.properties, expose: { enum: ['hostPort', 'nodePort'] } },
        },
      },
    },
    verify: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: { smokeTest: bool, keepSmokeWorkloads: bool, rolloutTimeout: duration },
    },
    images: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: {
        repository: {
          type: 'string',
          pattern: '^[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._-]+)*$',
          'x-message': 'must be a registry root such as "registry.example.com:5000/mirror" (no scheme, no trailing slash)',
        },
      },
    },
    image: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: { prebaked: bool },
    },
    backup: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: {
        etcd: {
          type: OPTIONAL_OBJECT,
          additionalProperties: false,
          properties: {
            enabled: bool,
            schedule: {
              type: 'string',
              pattern: '^[A-Za-z0-9 :*/,.~-]+$',
              'x-message': 'must be a systemd OnCalendar expression such as "daily" or "*-*-* 03:00:00"',
            },
            keep: { type: 'integer', minimum: 1, maximum: 1000 },
            dir: {
              type: 'string',
              pattern: '^/[A-Za-z0-9._/-]*[A-Za-z0-9._-]$',
              'x-message': 'must be an absolute directory such as /var/backups/etcd',
            },
          },
        },
      },
    },
    certificates: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: {
        autoRenew: bool,
        renewBefore: duration,
      },
    },
    flatcar: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: {
        sysextUrl: httpUrl,
        // One digest (all Flatcar nodes share an architecture) or one per architecture.
        sysextSha256: {
          type: ['string', 'object'],
          if: { type: 'string' },
          then: sha256Hex,
          else: { additionalProperties: false, properties: { amd64: sha256Hex, arm64: sha256Hex } },
        },
        allowUnverifiedSysext: bool,
      },
    },
    nodes: {
      type: 'array',
      minItems: 1,
      'x-code': 'no-nodes',
      'x-message': 'must list at least one node',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'role', 'ip'],
        properties: {
          name: hostname,
          role: { enum: ['control-plane', 'worker'] },
          ip: ipv4,
          mac: { type: 'string', format: 'mac' },
          arch: { enum: ['amd64', 'arm64', 'auto'] },
        },
      },
    },
  },
} as const);

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
const absolutePath = {
  type: 'string',
  pattern: '^/[^\\s,=]*$',
  'x-message': 'must be an absolute path without spaces, "," or "="',
} as const;

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

/** A node's size for capacity planning and the default kubelet reservations. */
const capacity = {
  type: OPTIONAL_OBJECT,
  additionalProperties: false,
  required: ['cpu', 'memory'],
  properties: { cpu: quantity, memory: quantity },
} as const;

/** A proxy URL: reaches systemd, apt and shell, so only a narrow, quote-free form. */
const proxyUrl = {
  type: 'string',
  format: 'proxy-url',
  'x-code': 'invalid-proxy-url',
  'x-message':
    'must be a proxy URL http://[user[:password]@]host[:port] or https://…: letters, digits and "._~-" in the user and password (percent-encode anything else), no path, spaces, quotes or shell characters',
} as const;

const addon = {
  type: OPTIONAL_OBJECT,
  additionalProperties: false,
  properties: { enabled: bool, version: versionTag, manifestUrl: httpUrl, manifestFile: str },
} as const;

/** A flag value of a control-plane component: YAML numbers and booleans are written as text. */
const flagValue = { type: ['string', 'number', 'boolean'] } as const;

/** extraArgs of one component: flag name (without "--") → value; names are checked by the rules. */
const extraArgs = { type: OPTIONAL_OBJECT, additionalProperties: flagValue } as const;

const labelValue = {
  type: 'string',
  maxLength: 63,
  pattern: '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$',
  'x-code': 'invalid-label',
  'x-message': 'must be a Kubernetes label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (or empty)',
} as const;

// A label or taint key: an optional DNS-subdomain prefix and "/", then a name of at
// most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit.
const DNS_LABEL = '[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?';
const LABEL_KEY = `^(${DNS_LABEL}(\\.${DNS_LABEL})*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`;
const LABEL_KEY_MESSAGE =
  'must be a Kubernetes label key: [prefix/]name, the prefix a lowercase DNS name, the name at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';

/** Node labels and taints, per node or in nodeDefaults. A malformed key is an `invalid-label` at its line. */
const nodeLabels = {
  type: OPTIONAL_OBJECT,
  patternProperties: { [LABEL_KEY]: labelValue },
  additionalProperties: false,
  'x-code': 'invalid-label',
  'x-message': LABEL_KEY_MESSAGE,
} as const;
const nodeTaints = {
  type: OPTIONAL_ARRAY,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['key', 'effect'],
    properties: {
      key: { type: 'string', pattern: LABEL_KEY, 'x-code': 'invalid-taint', 'x-message': LABEL_KEY_MESSAGE },
      value: { ...labelValue, 'x-code': 'invalid-taint' },
      effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'], 'x-code': 'invalid-taint' },
    },
  },
} as const;

const podSecurityLevel = { enum: ['privileged', 'baseline', 'restricted'] } as const;
/** A Kubernetes namespace name (RFC 1123 label). */
const namespaceName = {
  type: 'string',
  pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$',
  'x-code': 'invalid-namespace',
  'x-message': 'must be a namespace name: at most 63 lowercase letters, digits or "-", starting and ending with a letter or digit',
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
        protectKernelDefaults: bool,
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
        auth: {
          type: OPTIONAL_OBJECT,
          propertyNames: {
            pattern: '^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$',
            'x-code': 'invalid-registry',
            'x-message': 'must be a registry host as containerd names it, such as "registry.example.com:5000" (no scheme, no path)',
          },
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['username', 'passwordFile'],
            properties: { username: str, passwordFile: str },
          },
        },
      },
    },
    proxy: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: {
        http: proxyUrl,
        https: proxyUrl,
        noProxy: {
          type: OPTIONAL_ARRAY,
          items: {
            type: 'string',
            format: 'no-proxy-entry',
            'x-code': 'invalid-no-proxy',
            'x-message': 'must be a host name, ".domain", an IPv4 address or CIDR, optionally with ":port", or "*"',
          },
        },
      },
    },
    trust: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: {
        caBundle: {
          type: 'string',
          'x-multiline': true,
          pattern: '-----BEGIN CERTIFICATE-----',
          'x-message': 'must hold PEM certificates ("-----BEGIN CERTIFICATE-----"); use caBundleFile for a path',
        },
        caBundleFile: str,
      },
    },
    time: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: {
        servers: {
          type: OPTIONAL_ARRAY,
          items: {
            type: 'string',
            format: 'ntp-server',
            'x-code': 'invalid-ntp-server',
            'x-message': 'must be an NTP server: a host name or an IP address',
          },
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
    security: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: {
        encryptionAtRest: bool,
        podSecurity: {
          type: OPTIONAL_OBJECT,
          additionalProperties: false,
          properties: {
            enforce: podSecurityLevel,
            audit: podSecurityLevel,
            warn: podSecurityLevel,
            exemptNamespaces: { type: OPTIONAL_ARRAY, items: namespaceName },
          },
        },
        audit: {
          type: OPTIONAL_OBJECT,
          additionalProperties: false,
          properties: {
            enabled: bool,
            maxAge: { type: 'integer', minimum: 0, maximum: 3650 },
            maxBackup: { type: 'integer', minimum: 0, maximum: 1000 },
            maxSizeMB: { type: 'integer', minimum: 1, maximum: 100_000 },
          },
        },
        defaultDenyNamespaces: { type: OPTIONAL_ARRAY, items: namespaceName },
      },
    },
    kubeadm: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: {
        apiServer: {
          type: OPTIONAL_OBJECT,
          additionalProperties: false,
          properties: {
            extraArgs,
            extraVolumes: {
              type: OPTIONAL_ARRAY,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['name', 'hostPath', 'mountPath'],
                properties: {
                  name: namespaceName,
                  hostPath: absolutePath,
                  mountPath: absolutePath,
                  readOnly: bool,
                  pathType: { enum: ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'] },
                },
              },
            },
            certSANs: { type: OPTIONAL_ARRAY, items: { type: 'string', format: 'cert-san' } },
          },
        },
        controllerManager: { type: OPTIONAL_OBJECT, additionalProperties: false, properties: { extraArgs } },
        scheduler: { type: OPTIONAL_OBJECT, additionalProperties: false, properties: { extraArgs } },
        etcd: { type: OPTIONAL_OBJECT, additionalProperties: false, properties: { extraArgs } },
        // Gate names are checked by the rules (a diagnostic at the key's line).
        featureGates: { type: OPTIONAL_OBJECT, additionalProperties: bool },
      },
    },
    nodeDefaults: {
      type: OPTIONAL_OBJECT,
      additionalProperties: false,
      properties: { labels: nodeLabels, taints: nodeTaints, capacity },
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
          labels: nodeLabels,
          taints: nodeTaints,
          capacity,
        },
      },
    },
  },
} as const);

/**
 * JSON Schema (draft-07, checked by ajv) for the profile YAML as written by the
 * user, before defaults. Every object is closed (`additionalProperties: false`)
 * so typos surface as `unknown-key` instead of being ignored.
 *
 * Two annotation keywords steer the diagnostics (see schema-diagnostics.ts):
 *  - `x-code`: diagnostic code for a failing value keyword (pattern, format,
 *    enum, const, minItems, …) in this subschema; type errors stay `wrong-type`.
 *  - `x-message`: message for such a failure, replacing ajv's generic text.
 */

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

/** Key types OpenSSH accepts in authorized_keys; options before the key type are allowed. */
const SSH_KEY_PATTERN =
  '(^|\\s)(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\\.com|sk-ecdsa-sha2-nistp256@openssh\\.com) [A-Za-z0-9+/]+={0,3}(\\s|$)';

/** The profile schema; compiled once by schema-diagnostics.ts. */
export const profileSchema = {
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
          properties: { sandboxImage: str },
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
                  pattern: SSH_KEY_PATTERN,
                  'x-code': 'invalid-ssh-key',
                  'x-message': 'must be an OpenSSH public key line such as "ssh-ed25519 AAAA… comment"',
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
        maxPods: { type: 'integer', minimum: 1 },
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
        sysextSha256: {
          type: 'string',
          pattern: '^[0-9a-fA-F]{64}$',
          'x-message': 'must be a sha256 digest: 64 hexadecimal characters',
        },
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
        },
      },
    },
  },
} as const;

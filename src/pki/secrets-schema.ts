import type { JSONSchemaType } from 'ajv';
import { SECRETS_API_VERSION, SECRETS_KIND } from './secrets-format.js';
import type { ClusterSecrets } from './types.js';

/** secrets.yaml as stored: ClusterSecrets plus the format header. */
export interface SecretsFile extends ClusterSecrets {
  apiVersion: string;
  kind: string;
}

const ISO_UTC = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$';
const pem = (label: string): JSONSchemaType<string> => ({
  type: 'string',
  pattern: `^-----BEGIN ${label}-----\\r?\\n[\\s\\S]+-----END ${label}-----\\s*$`,
});
const privateKey: JSONSchemaType<string> = {
  type: 'string',
  pattern: '^-----BEGIN ((RSA |EC )?PRIVATE KEY)-----\\r?\\n[\\s\\S]+-----END \\1-----\\s*$',
};
const certAndKey = {
  type: 'object',
  properties: { cert: pem('CERTIFICATE'), key: privateKey },
  required: ['cert', 'key'],
  additionalProperties: false,
} as const;

/** JSON Schema for the structure of secrets.yaml (crypto checks are separate). */
export const secretsSchema: JSONSchemaType<SecretsFile> = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string', const: SECRETS_API_VERSION },
    kind: { type: 'string', const: SECRETS_KIND },
    clusterName: { type: 'string', minLength: 1 },
    createdAt: { type: 'string', pattern: ISO_UTC },
    ca: certAndKey,
    frontProxyCa: certAndKey,
    etcdCa: certAndKey,
    serviceAccount: {
      type: 'object',
      properties: { publicKey: pem('PUBLIC KEY'), privateKey },
      required: ['publicKey', 'privateKey'],
      additionalProperties: false,
    },
    bootstrapToken: {
      type: 'object',
      properties: {
        id: { type: 'string', pattern: '^[a-z0-9]{6}$' },
        secret: { type: 'string', pattern: '^[a-z0-9]{16}$' },
        ttl: { type: 'string', minLength: 1 },
        createdAt: { type: 'string', pattern: ISO_UTC },
      },
      required: ['id', 'secret', 'ttl', 'createdAt'],
      additionalProperties: false,
    },
    admin: certAndKey,
    encryptionKeys: {
      type: 'array',
      nullable: true,
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', pattern: '^key[1-9][0-9]{0,8}$' },
          // Base64 of exactly 32 bytes: 43 characters and one "=".
          secret: { type: 'string', pattern: '^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$' },
        },
        required: ['name', 'secret'],
        additionalProperties: false,
      },
    },
  },
  required: [
    'apiVersion',
    'kind',
    'clusterName',
    'createdAt',
    'ca',
    'frontProxyCa',
    'etcdCa',
    'serviceAccount',
    'bootstrapToken',
    'admin',
  ],
  additionalProperties: false,
};

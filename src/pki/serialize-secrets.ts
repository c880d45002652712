import { Document } from 'yaml';
import { SECRETS_API_VERSION, SECRETS_KIND } from './secrets-format.js';
import type { CertAndKey, ClusterSecrets } from './types.js';

const pair = (c: CertAndKey): CertAndKey => ({ cert: c.cert, key: c.key });

/**
 * Returns the secrets bundle as YAML text (out/<cluster>/secrets.yaml): a header
 * comment warning that it is secret and must not be regenerated, then
 * apiVersion/kind and every field in a fixed order, PEMs as literal blocks.
 * The same secrets always give the same bytes. Never fails.
 */
export function serializeSecrets(s: ClusterSecrets): string {
  // Built field by field, not spread, so key order never depends on how the
  // caller assembled the object.
  const body = {
    apiVersion: SECRETS_API_VERSION,
    kind: SECRETS_KIND,
    clusterName: s.clusterName,
    createdAt: s.createdAt,
    ca: pair(s.ca),
    frontProxyCa: pair(s.frontProxyCa),
    etcdCa: pair(s.etcdCa),
    serviceAccount: { publicKey: s.serviceAccount.publicKey, privateKey: s.serviceAccount.privateKey },
    bootstrapToken: {
      id: s.bootstrapToken.id,
      secret: s.bootstrapToken.secret,
      ttl: s.bootstrapToken.ttl,
      createdAt: s.bootstrapToken.createdAt,
    },
    admin: pair(s.admin),
    ...(s.encryptionKeys ? { encryptionKeys: s.encryptionKeys.map((k) => ({ name: k.name, secret: k.secret })) } : {}),
  };
  const doc = new Document(body);
  doc.commentBefore = [
    ` gen-userdata cluster secrets for ${JSON.stringify(s.clusterName)}.`,
    ' SECRET: private keys and the bootstrap token. Keep this file 0600 and out of version control.',
    ' Created once and reused on every run. Do not delete, regenerate or edit it:',
    ' new CAs mean a new cluster, which nodes built from the old files will not trust or join.',
  ].join('\n');
  // lineWidth 0: never fold; literal blocks keep PEM text byte-exact.
  return doc.toString({ lineWidth: 0, blockQuote: 'literal' });
}

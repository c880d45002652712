import { stringify } from 'yaml';
import type { CertAndKey } from './types.js';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/**
 * Returns a kubeconfig (YAML, the layout kubeadm writes for admin.conf) with one
 * cluster, one user authenticated by client certificate, and one context
 * "<userName>@<clusterName>" that is also the current context. Certificate and
 * key data are embedded base64. `server` is the full URL, e.g.
 * "https://192.168.56.101:6443". Never fails.
 */
export function buildKubeconfig(opts: {
  clusterName: string;
  server: string;
  caCertPem: string;
  userName: string;
  client: CertAndKey;
}): string {
  const context = `${opts.userName}@${opts.clusterName}`;
  const config = {
    apiVersion: 'v1',
    clusters: [
      {
        cluster: { 'certificate-authority-data': b64(opts.caCertPem), server: opts.server },
        name: opts.clusterName,
      },
    ],
    contexts: [{ context: { cluster: opts.clusterName, user: opts.userName }, name: context }],
    'current-context': context,
    kind: 'Config',
    preferences: {},
    users: [
      {
        name: opts.userName,
        user: { 'client-certificate-data': b64(opts.client.cert), 'client-key-data': b64(opts.client.key) },
      },
    ],
  };
  // lineWidth 0: never fold the long base64 scalars.
  return stringify(config, { lineWidth: 0 });
}

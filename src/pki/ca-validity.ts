import { X509Certificate } from 'node:crypto';
import type { Diagnostic } from '../diagnostics.js';
import type { ClusterSecrets } from './types.js';

/** The CAs of a bundle, by their JSON path in secrets.yaml and what they sign. */
const CAS = [
  { pointer: '/ca/cert', name: 'cluster CA', of: (s: ClusterSecrets) => s.ca.cert },
  { pointer: '/frontProxyCa/cert', name: 'front-proxy CA', of: (s: ClusterSecrets) => s.frontProxyCa.cert },
  { pointer: '/etcdCa/cert', name: 'etcd CA', of: (s: ClusterSecrets) => s.etcdCa.cert },
] as const;

/**
 * A `ca-not-valid` error for each CA of the bundle that is expired or not yet valid
 * at `now`: kubeadm would refuse it and no node could join. Empty when all are valid.
 * `file` is the secrets file the diagnostics name. Never throws on a parsed bundle.
 */
export function caValidityDiagnostics(secrets: ClusterSecrets, now: Date, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const ca of CAS) {
    const cert = new X509Certificate(ca.of(secrets));
    const from = new Date(cert.validFrom);
    const to = new Date(cert.validTo);
    const problem =
      now < from
        ? `is not valid yet: its validity starts ${from.toISOString()}, after now (${now.toISOString()}); check this machine's clock`
        : now > to
          ? `expired ${to.toISOString()}; nodes cannot join with it. Renew the CA on the cluster (kubeadm certs) and put it in this file, or start a new cluster by moving this file away`
          : undefined;
    if (problem !== undefined) out.push({ severity: 'error', code: 'ca-not-valid', path: ca.pointer, message: `the ${ca.name} ${problem}`, line: 0, col: 0, file });
  }
  return out;
}

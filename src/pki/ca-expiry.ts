import { X509Certificate } from 'node:crypto';
import type { Diagnostic } from '../diagnostics.js';
import type { ClusterSecrets } from './types.js';

/** Warn when a CA has less than this left: replacing a CA is a planned, cluster-wide job. */
export const CA_EXPIRY_WARNING_DAYS = 365;

const DAY_MS = 24 * 3600 * 1000;

/**
 * Each CA of the bundle with its expiry ("ca: valid until 2036-…, 3649 days left")
 * and a warning per CA that expires within a year of `now` (or has expired).
 * Pure; the certificates were validated when the bundle was loaded.
 */
export function caExpiryReport(secrets: ClusterSecrets, now: Date): { lines: string[]; warnings: Diagnostic[] } {
  const cas = [
    ['ca', secrets.ca.cert],
    ['front-proxy-ca', secrets.frontProxyCa.cert],
    ['etcd/ca', secrets.etcdCa.cert],
  ] as const;
  const lines: string[] = [];
  const warnings: Diagnostic[] = [];
  for (const [name, pem] of cas) {
    const notAfter = new Date(new X509Certificate(pem).validTo);
    const days = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
    lines.push(`${name}: valid until ${notAfter.toISOString()} (${days} days left)`);
    if (days < CA_EXPIRY_WARNING_DAYS) {
      warnings.push({
        severity: 'warning',
        code: 'ca-expiry',
        path: '',
        message: days < 0
          ? `${name} expired on ${notAfter.toISOString()}: the cluster cannot issue or verify certificates with it`
          : `${name} expires on ${notAfter.toISOString()}, in ${days} days: plan a CA rotation (kubeadm renews leaf certificates, never the CAs)`,
        line: 0,
        col: 0,
      });
    }
  }
  return { lines, warnings };
}

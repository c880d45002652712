/**
 * kubeadm backdates every certificate by 5 minutes (CertificateBackdate) so a
 * node whose clock is slightly behind still accepts it.
 */
export const CERT_BACKDATE_MS = 5 * 60 * 1000;

/** kubeadm's CA lifetime: 10 × 365 days (duration365d * 10, no leap days). */
export const CA_VALIDITY_HOURS = 10 * 365 * 24;

/**
 * Returns the validity window for a certificate issued at `now`:
 * notBefore = now − 5 minutes, notAfter = notBefore + validityHours.
 * Throws (a bug) when validityHours is not a positive finite number.
 */
export function certificateValidity(now: Date, validityHours: number): { notBefore: Date; notAfter: Date } {
  if (!Number.isFinite(validityHours) || validityHours <= 0) {
    throw new Error(`certificate validity must be a positive number of hours, got ${validityHours}`);
  }
  if (Number.isNaN(now.getTime())) throw new Error('invalid date for certificate validity');
  const notBefore = new Date(now.getTime() - CERT_BACKDATE_MS);
  const notAfter = new Date(notBefore.getTime() + validityHours * 3600 * 1000);
  return { notBefore, notAfter };
}

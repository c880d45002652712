/**
 * Returns the PEM text with LF line endings and exactly one trailing newline.
 * Some writers use CRLF; LF keeps secrets.yaml block scalars clean and files
 * byte-identical to what kubeadm itself writes. Never fails.
 */
export function normalizePem(pem: string): string {
  return pem.replace(/\r\n/g, '\n').trimEnd() + '\n';
}

/**
 * Extra trusted CAs (profile trust.caBundle / trust.caBundleFile): the bundle split
 * into its certificates, each parsed and checked to be a CA. Pure (Node's built-in
 * X.509 parser, no I/O).
 */
import { X509Certificate } from 'node:crypto';

const CERTIFICATE_RE = /-----BEGIN CERTIFICATE-----\r?\n[\s\S]*?-----END CERTIFICATE-----/g;

/** The bundle's certificates, or why it was refused (one message per bad certificate). */
export type CaBundle = { ok: true; certificates: string[] } | { ok: false; problems: string[] };

/**
 * Splits a PEM bundle into its certificates (LF line endings, one trailing newline each)
 * and checks that each parses as X.509 and is a CA (basicConstraints CA:TRUE). Text
 * outside the PEM blocks (comments, as in many bundles) is ignored; a bundle without any
 * certificate, or with a private key in it, is refused. Never throws.
 */
export function parseCaBundle(pem: string): CaBundle {
  const problems: string[] = [];
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) problems.push('it contains a private key; a trust bundle holds only CA certificates');
  const blocks = pem.match(CERTIFICATE_RE) ?? [];
  if (blocks.length === 0) problems.push('it contains no "-----BEGIN CERTIFICATE-----" block');
  const certificates: string[] = [];
  blocks.forEach((block, i) => {
    const text = `${block.replace(/\r\n/g, '\n')}\n`;
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(text);
    } catch {
      problems.push(`certificate ${i + 1} is not a valid X.509 certificate`);
      return;
    }
    if (!cert.ca) {
      problems.push(`certificate ${i + 1} (${oneLine(cert.subject)}) is not a CA certificate (basicConstraints CA:TRUE missing); give the CA that issued it instead`);
      return;
    }
    certificates.push(text);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, certificates };
}

function oneLine(subject: string): string {
  return subject.split('\n').join(', ');
}

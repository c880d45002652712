import { existsSync, readFileSync } from 'node:fs';
import { caCertHash } from '../../pki/ca-cert-hash.js';
import { readProfile } from '../read-profile.js';
import { loadSecrets } from '../secrets-store.js';
import { EXIT, fail, printDiagnostics } from '../report.js';
import { caExpiryReport } from '../../pki/ca-expiry.js';

/**
 * Prints the discovery hash of the cluster CA (or of `--cert FILE`). With
 * `check`, also lists each CA's expiry on stderr and warns about any that
 * expires within a year (kubeadm cannot renew CAs; replacing one is a
 * cluster-wide rotation that needs planning).
 */
export function runCaHash(opts: { profile: string; out: string; cert?: string; check?: boolean }): number {
  if (opts.cert !== undefined) {
    if (!existsSync(opts.cert)) {
      return fail([{ severity: 'error', code: 'file-not-found', path: '', message: 'certificate file not found', line: 0, col: 0, file: opts.cert }]);
    }
    let hash: string;
    try {
      hash = caCertHash(readFileSync(opts.cert, 'utf8'));
    } catch {
      return fail([{ severity: 'error', code: 'invalid-certificate', path: '', message: 'not a PEM certificate', line: 0, col: 0, file: opts.cert }]);
    }
    process.stdout.write(`${hash}\n`);
    return EXIT.ok;
  }
  const profile = readProfile(opts.profile);
  if (!profile.ok) return fail(profile.diagnostics);
  const secrets = loadSecrets(opts.out, profile.value, profile.file);
  if (!secrets.ok) return fail(secrets.diagnostics);
  process.stdout.write(`${caCertHash(secrets.value.secrets.ca.cert)}\n`);
  if (opts.check === true) {
    const report = caExpiryReport(secrets.value.secrets, new Date());
    process.stderr.write(report.lines.map((l) => `${l}\n`).join(''));
    printDiagnostics(report.warnings.map((w) => ({ ...w, file: secrets.value.file })));
  }
  return EXIT.ok;
}

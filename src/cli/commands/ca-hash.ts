import { existsSync, readFileSync } from 'node:fs';
import { caCertHash } from '../../pki/ca-cert-hash.js';
import { readProfile } from '../read-profile.js';
import { loadSecrets } from '../secrets-store.js';
import { EXIT, fail } from '../report.js';

/** Prints the discovery hash of the cluster CA (or of `--cert FILE`). */
export function runCaHash(opts: { profile: string; out: string; cert?: string }): number {
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
  return EXIT.ok;
}

import { randomBytes } from 'node:crypto';
import { withNewEncryptionKey } from '../../pki/encryption-key.js';
import { readProfile } from '../read-profile.js';
import { fail } from '../report.js';
import { updateSecretsAndRegenerate, type TokenRotateOptions } from './token.js';

/** The command that re-encrypts every Secret with the newest key, printed after a rotation. */
export const REWRITE_SECRETS_COMMAND = 'kubectl get secrets --all-namespaces -o json | kubectl replace -f -';

/**
 * `gen-userdata secrets rotate-encryption-key`: adds a new encryption-at-rest key in
 * front of the bundle's keys (the API server encrypts with the first and still reads
 * with the others), saves it, regenerates the output so the control planes'
 * EncryptionConfiguration carries it, and prints on stdout the command that rewrites
 * every Secret with it. Fails (exit 1) when the profile turns encryption at rest off.
 */
export async function runRotateEncryptionKey(opts: TokenRotateOptions): Promise<number> {
  const profile = readProfile(opts.profile);
  if (profile.ok && !profile.value.security.encryptionAtRest) {
    return fail([{ severity: 'error', code: 'encryption-disabled', path: '/security/encryptionAtRest', message: 'encryption at rest is off in this profile; nothing would use a new key', line: 0, col: 0, file: profile.file }]);
  }
  return updateSecretsAndRegenerate(opts, {
    update: (old) => withNewEncryptionKey(old, (n) => new Uint8Array(randomBytes(n))),
    report: (_old, secrets, file, clusterDir, formats) => {
      const [first, ...rest] = secrets.encryptionKeys ?? [];
      process.stderr.write(
        `new encryption key ${first?.name} saved in ${file}, first (it encrypts from now on); ${rest.map((k) => k.name).join(', ') || 'no older key'} kept for reading. ` +
          `${clusterDir} regenerated (${formats.join(', ')}).\n` +
          'On a running cluster: put the new /etc/kubernetes/apiserver/encryption-config.yaml on every control plane, restart each kube-apiserver, then rewrite every Secret with the command below (docs/operations.md#encryption-at-rest).\n',
      );
      process.stdout.write(`${REWRITE_SECRETS_COMMAND}\n`);
    },
  });
}


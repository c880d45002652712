import type { Profile } from '../profile/types.js';
import type { ClusterSecrets } from '../pki/types.js';
import type { PlanFile } from './types.js';
import { APISERVER_FILES, admissionConfiguration, auditPolicy, encryptionConfiguration } from '../kube/apiserver-files.js';

/**
 * The API server's configuration files for a control plane: the
 * EncryptionConfiguration (0600: it holds the keys) with security.encryptionAtRest,
 * the Pod Security AdmissionConfiguration, and the audit policy with
 * security.audit.enabled. Never call this for a worker. Throws (a bug) when
 * encryption is on and the secrets carry no key: the CLI adds one before planning.
 */
export function apiServerConfigFiles(profile: Profile, secrets: ClusterSecrets): PlanFile[] {
  const file = (path: string, content: string, secret = false): PlanFile => ({
    path,
    mode: secret ? 0o600 : 0o644,
    owner: 'root:root',
    content,
    secret,
  });
  const files = [file(APISERVER_FILES.admission, admissionConfiguration(profile))];
  if (profile.security.encryptionAtRest) files.push(file(APISERVER_FILES.encryption, encryptionConfiguration(secrets.encryptionKeys ?? []), true));
  if (profile.security.audit.enabled) files.push(file(APISERVER_FILES.auditPolicy, auditPolicy()));
  return files;
}

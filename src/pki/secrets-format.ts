/** `apiVersion` written into secrets.yaml so the format can evolve. */
export const SECRETS_API_VERSION = 'gen-userdata/v1';
/** `kind` written into secrets.yaml. */
export const SECRETS_KIND = 'ClusterSecrets';
/** Diagnostic code for every problem found in a secrets bundle. */
export const INVALID_SECRETS = 'invalid-secrets';

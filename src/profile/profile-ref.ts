/**
 * How `--profile` names a profile: a bundled name or a path.
 */
import { join } from 'node:path';

/**
 * Returns the file a profile reference points to. A bare name such as "lab"
 * (no slash or backslash, no .yaml/.yml extension) means
 * `<bundledDir>/lab.yaml`; anything else is returned unchanged as a path.
 * Pure: does not check that the file exists.
 */
export function profileRefToPath(ref: string, bundledDir: string): string {
  const bare = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(ref) && !/\.ya?ml$/i.test(ref);
  return bare ? join(bundledDir, `${ref}.yaml`) : ref;
}

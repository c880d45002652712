import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The installed package root (dist/cli/ → ../..), where templates/ and profiles/ live. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Directory of the bundled profiles (`--profile lab` → profiles/lab.yaml). */
export const BUNDLED_PROFILES = join(PACKAGE_ROOT, 'profiles');

/** Directory of the default templates. */
export const DEFAULT_TEMPLATES = join(PACKAGE_ROOT, 'templates');

/**
 * The package's version, from its package.json ("unknown" when that cannot be read).
 * Given to yargs explicitly: left to guess, yargs prints the version of the first
 * package.json above the working directory, which may be another project's.
 */
export function packageVersion(): string {
  try {
    const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

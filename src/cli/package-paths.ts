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
 * The package's version, from its package.json. Given to yargs explicitly: left to
 * find package.json itself, yargs walks directories with readdirSync on every run
 * (~10 ms of a 0.2 s generation).
 */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

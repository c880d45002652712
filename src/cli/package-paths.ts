import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The installed package root (dist/cli/ → ../..), where templates/ and profiles/ live. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Directory of the bundled profiles (`--profile lab` → profiles/lab.yaml). */
export const BUNDLED_PROFILES = join(PACKAGE_ROOT, 'profiles');

/** Directory of the default templates. */
export const DEFAULT_TEMPLATES = join(PACKAGE_ROOT, 'templates');

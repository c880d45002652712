import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { TemplateSet } from '../template/render-template.js';
import { DEFAULT_TEMPLATES } from './package-paths.js';
import { readRegularFile } from './read-regular-file.js';

/** Whether `path` is a directory (following links); false for anything that cannot be stat'ed. */
function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (isDirectory(full)) {
        walk(full);
        continue;
      }
      const read = readRegularFile(full);
      if (!read.ok) throw new UsageError(`--templates: ${full} ${read.reason}`);
      out[relative(root, full).split(sep).join('/')] = read.text;
    }
  };
  walk(root);
  return out;
}

/**
 * The bundled templates, with any file of the same relative path in `overrideDir`
 * (`--templates DIR`) taking its place. Partial override directories are fine.
 */
export function loadTemplates(overrideDir?: string): TemplateSet {
  const base = readTree(DEFAULT_TEMPLATES);
  if (overrideDir === undefined) return base;
  const extra = readTree(overrideDir);
  const unknown = Object.keys(extra).filter((k) => !(k in base));
  if (unknown.length > 0) {
    throw new UsageError(`--templates ${overrideDir}: unknown template(s): ${unknown.join(', ')}`);
  }
  return { ...base, ...extra };
}

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {}

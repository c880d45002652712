// Golden-file comparison. Re-record with GEN_USERDATA_RECORD=1; a run with the
// variable set writes the files and then fails, so it cannot be left on by accident.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { Test } from 'tap';

/** True when golden files should be re-recorded. */
export const RECORDING = process.env['GEN_USERDATA_RECORD'] === '1';

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Compares `files` (relative path → bytes) with the golden directory byte for byte. */
export function compareGolden(t: Test, goldenDir: string, files: ReadonlyMap<string, Uint8Array>): void {
  if (RECORDING) {
    rmSync(goldenDir, { recursive: true, force: true });
    for (const [path, content] of files) {
      const full = join(goldenDir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    t.fail(`re-recorded ${files.size} golden files in ${goldenDir}; unset GEN_USERDATA_RECORD and run again`);
    return;
  }
  t.same(listFiles(goldenDir), [...files.keys()].sort(), `golden file list of ${goldenDir}`);
  for (const [path, content] of files) {
    const full = join(goldenDir, path);
    if (!existsSync(full)) continue;
    const expected = readFileSync(full);
    t.ok(Buffer.from(content).equals(expected), `${path} is byte-identical to its golden file`);
  }
}

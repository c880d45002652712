// The disk floor: a bare Node script that creates the same files (paths, sizes and
// modes from a run's manifest.json) in a fresh directory and swaps it in, with no
// generation at all. Our run's time as a multiple of it says what generation costs
// on top of the filesystem work.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Writes every file of `manifestFile` (zero bytes of the recorded size) under `targetDir`. */
export function writeLikeManifest(manifestFile: string, targetDir: string): number {
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { files: { path: string; bytes: number; mode: string }[] };
  const tmp = `${targetDir}.tmp`;
  const made = new Set<string>();
  let count = 0;
  for (const f of manifest.files) {
    const path = join(tmp, f.path);
    const dir = dirname(path);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(path, Buffer.alloc(f.bytes, 0x61), { mode: Number.parseInt(f.mode, 8) });
    count++;
  }
  renameSync(tmp, targetDir);
  return count;
}

// Run as a script: node disk-floor.js <manifest.json> <targetDir>
if (process.argv[1]?.endsWith('disk-floor.js') && process.argv.length === 4) {
  writeLikeManifest(process.argv[2]!, process.argv[3]!);
}

// npm run bench: wall time and peak RSS of real CLI runs, plus the ISO writer bench.
// Figures are printed, never asserted: timing belongs here, not in tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runIsoBench } from './iso-bench.js';
import { syntheticProfile } from './synthetic-profile.js';
import { prebakedSizeLines } from './prebaked-sizes.js';
import { userDataSizeLines } from './user-data-sizes.js';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(DIST, 'cli', 'main.js');
const HOOK = join(DIST, 'bench', 'rss-hook.js');

interface Measurement {
  wallMs: number;
  rssMb: number;
}

function runMeasured(args: string[]): Measurement {
  const rssFile = join(mkdtempSync(join(tmpdir(), 'gen-userdata-rss-')), 'rss');
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', HOOK, CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GEN_USERDATA_BENCH_RSS_FILE: rssFile },
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`gen-userdata ${args.join(' ')} failed: ${r.stderr}`);
  return { wallMs, rssMb: Number(readFileSync(rssFile, 'utf8')) / 1024 };
}

/** Median of `runs` measurements (by wall time). */
function median(runs: number, fn: () => Measurement): Measurement {
  const all = Array.from({ length: runs }, fn).sort((a, b) => a.wallMs - b.wallMs);
  return all[Math.floor(all.length / 2)]!;
}

function line(label: string, m: Measurement, extra = ''): string {
  return `${label.padEnd(44)} ${m.wallMs.toFixed(0).padStart(6)} ms wall  ${m.rssMb.toFixed(0).padStart(5)} MB peak RSS${extra}`;
}

function verdict(met: boolean): string {
  return met ? 'met' : 'NOT met';
}

function main(): void {
  const work = mkdtempSync(join(tmpdir(), 'gen-userdata-bench-'));
  const out: string[] = [];
  const fresh = median(3, () => {
    const dir = mkdtempSync(join(work, 'fresh-'));
    return runMeasured(['--profile', 'lab', '--out', dir]);
  });
  out.push(line('lab, fresh secrets (cloud-init)', fresh, '   target: none'));
  const reuseDir = join(work, 'reuse');
  runMeasured(['--profile', 'lab', '--out', reuseDir]);
  const reuse = median(5, () => runMeasured(['--profile', 'lab', '--out', reuseDir]));
  out.push(line('lab, reusing secrets (cloud-init)', reuse, `   target: <= 300 ms (${verdict(reuse.wallMs <= 300)})`));
  out.push(line('lab, reusing secrets (--format all)', median(3, () => runMeasured(['--profile', 'lab', '--out', reuseDir, '--format', 'all']))));

  const perNode: string[] = [];
  for (const n of [100, 1000]) {
    const profile = join(work, `synthetic-${n}.yaml`);
    writeFileSync(profile, syntheticProfile(n));
    const dir = join(work, `out-${n}`);
    runMeasured(['--profile', profile, '--out', dir]);
    const m = median(3, () => runMeasured(['--profile', profile, '--out', dir]));
    const target = n === 1000 ? `   target: <= 5000 ms, <= 300 MB (${verdict(m.wallMs <= 5000 && m.rssMb <= 300)})` : '';
    out.push(line(`${n} nodes, reusing secrets (cloud-init)`, m, target));
    perNode.push(`${n} nodes: ${(m.wallMs / n).toFixed(2)} ms/node`);
  }
  out.push(`per-node cost (should not grow): ${perNode.join(', ')}`);
  out.push(...userDataSizeLines('lab'));
  out.push(...prebakedSizeLines('lab'));
  for (const l of out) process.stdout.write(`${l}\n`);
  rmSync(work, { recursive: true, force: true });
}

main();
runIsoBench().then((lines) => {
  for (const l of lines) process.stdout.write(`${l}\n`);
}).catch((err: unknown) => {
  process.stderr.write(`ISO bench failed: ${String(err)}\n`);
  process.exitCode = 1;
});

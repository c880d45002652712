// npm run bench: wall time and peak RSS of real CLI runs, plus the ISO writer bench.
// Figures are printed, never asserted: timing belongs here, not in tests.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runIsoBench } from './iso-bench.js';
import { syntheticProfile } from './synthetic-profile.js';
import { prebakedSizeLines } from './prebaked-sizes.js';
import { phaseLine } from './phases.js';
import { pkiBenchLines, type Measurement } from './pki-bench.js';
import { BUNDLED_PROFILES } from '../cli/package-paths.js';
import { loadZopfli } from '../cli/zopfli.js';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(DIST, 'cli', 'main.js');
const HOOK = join(DIST, 'bench', 'rss-hook.js');

function runMeasured(args: string[]): Measurement {
  const rssFile = join(mkdtempSync(join(tmpdir(), 'gen-userdata-rss-')), 'rss');
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', HOOK, CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GEN_USERDATA_BENCH_RSS_FILE: rssFile },
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`gen-userdata ${args.join(' ')} failed: ${r.stderr}`);
  const usage = JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRSS: number; userUs: number; systemUs: number };
  return { wallMs, cpuMs: (usage.userUs + usage.systemUs) / 1000, rssMb: usage.maxRSS / 1024 };
}

/** Median of `runs` measurements (by wall time). */
function median(runs: number, fn: () => Measurement): Measurement {
  const all = Array.from({ length: runs }, fn).sort((a, b) => a.wallMs - b.wallMs);
  return all[Math.floor(all.length / 2)]!;
}

function line(label: string, m: Measurement, extra = ''): string {
  return `${label.padEnd(48)} ${m.wallMs.toFixed(0).padStart(6)} ms wall ${m.cpuMs.toFixed(0).padStart(6)} ms CPU ${m.rssMb.toFixed(0).padStart(5)} MB peak RSS${extra}`;
}

function verdict(met: boolean): string {
  return met ? 'met' : 'NOT met';
}

/** Wall time of a child process running `args` with node (for the disk floor). */
function wallOf(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A fresh output root holding only `secrets` for cluster "synthetic" (secrets reused, every file written). */
function outWithSecrets(work: string, secrets: string): string {
  const dir = mkdtempSync(join(work, 'out-'));
  mkdirSync(join(dir, 'synthetic'));
  copyFileSync(secrets, join(dir, 'synthetic', 'secrets.yaml'));
  return dir;
}

/**
 * 100, 1,000 and 10,000 nodes (GEN_USERDATA_BENCH_MAX_NODES lowers the top): every
 * file written with secrets reused, a re-run with no change, --format all, the disk
 * floor, and per-phase figures, with the targets.
 */
function scaleLines(work: string): string[] {
  const out: string[] = [];
  const maxNodes = Number(process.env['GEN_USERDATA_BENCH_MAX_NODES'] ?? 10000);
  const byCount = new Map<number, Measurement>();
  let secrets = '';
  for (const n of [100, 1000, 10000].filter((c) => c <= maxNodes)) {
    const profile = join(work, `synthetic-${n}.yaml`);
    writeFileSync(profile, syntheticProfile(n));
    if (secrets === '') {
      const first = join(work, 'first');
      runMeasured(['--profile', profile, '--out', first]);
      secrets = join(first, 'synthetic', 'secrets.yaml');
    }
    const runs = n >= 10000 ? 1 : 3;
    let dir = '';
    const m = median(runs, () => {
      dir = outWithSecrets(work, secrets);
      return runMeasured(['--profile', profile, '--out', dir]);
    });
    byCount.set(n, m);
    let target = '';
    const base = byCount.get(1000);
    if (n === 10000 && base !== undefined) {
      const ratio = m.cpuMs / base.cpuMs;
      target = `   target: CPU <= 11x 1000 nodes (${ratio.toFixed(1)}x) and <= 300 MB (${verdict(ratio <= 11 && m.rssMb <= 300)})`;
    }
    out.push(line(`${n} nodes, secrets reused, all written (cloud-init)`, m, target));
    const rerun = median(runs, () => runMeasured(['--profile', profile, '--out', dir]));
    // The previous run's manifest.json is read into a compact index that lives for the whole run.
    const rerunTarget = n === 10000 ? `   target: <= 300 MB (${verdict(rerun.rssMb <= 300)})` : '';
    out.push(line(`${n} nodes, re-run with no change (hard links)`, rerun, rerunTarget));
    const floorManifest = join(dir, 'synthetic', 'manifest.json');
    const floor = median(runs, () => ({ wallMs: wallOf([join(DIST, 'bench', 'disk-floor.js'), floorManifest, join(mkdtempSync(join(work, 'floor-')), 'synthetic')]), cpuMs: 0, rssMb: 0 }));
    out.push(`  disk floor (bare node script writing the same ${n} nodes' files): ${floor.wallMs.toFixed(0)} ms wall; our run is ${(m.wallMs / floor.wallMs).toFixed(1)}x it`);
    out.push(phaseLine(profile, secrets, ['cloud-init']));
    out.push(`  per node: ${(m.cpuMs / n).toFixed(2)} ms CPU`);
    if (n === 1000) {
      const all = median(3, () => runMeasured(['--profile', profile, '--out', outWithSecrets(work, secrets), '--format', 'all']));
      const ratio = all.cpuMs / m.cpuMs;
      out.push(line('1000 nodes, secrets reused, --format all', all, `   target: CPU <= 2x cloud-init (${ratio.toFixed(2)}x, ${verdict(ratio <= 2)})`));
      out.push(phaseLine(profile, secrets, ['cloud-init', 'iso', 'ignition']));
    }
    // 10,000 nodes' trees are large: keep only the secrets between sizes.
    for (const entry of readdirSync(work)) if (entry.startsWith('out-') || entry.startsWith('floor-')) rmSync(join(work, entry), { recursive: true, force: true });
  }
  return out;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'gen-userdata-bench-'));
  const out: string[] = [];
  const fresh = median(3, () => {
    const dir = mkdtempSync(join(work, 'fresh-'));
    return runMeasured(['--profile', 'lab', '--out', dir]);
  });
  out.push(line('lab, fresh secrets (cloud-init)', fresh, '   target: see the PKI lines'));
  const reuseDir = join(work, 'reuse');
  runMeasured(['--profile', 'lab', '--out', reuseDir]);
  const reuse = median(5, () => runMeasured(['--profile', 'lab', '--out', reuseDir]));
  out.push(line('lab, reusing secrets (cloud-init)', reuse, `   target: <= 300 ms (${verdict(reuse.wallMs <= 300)})`));
  out.push(line('lab, reusing secrets (--format all)', median(3, () => runMeasured(['--profile', 'lab', '--out', reuseDir, '--format', 'all']))));

  out.push(...scaleLines(work));
  out.push(...(await prebakedSizeLines('lab')));
  out.push(...pkiBenchLines(work, join(BUNDLED_PROFILES, 'lab.yaml'), { runMeasured, median, line, verdict }, await loadZopfli()));
  for (const l of out) process.stdout.write(`${l}\n`);
  rmSync(work, { recursive: true, force: true });
}

await main();
runIsoBench().then((lines) => {
  for (const l of lines) process.stdout.write(`${l}\n`);
}).catch((err: unknown) => {
  process.stderr.write(`ISO bench failed: ${String(err)}\n`);
  process.exitCode = 1;
});

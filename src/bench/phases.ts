// Per-phase CPU figures of one generation, in process: read the profile, plan every
// node, plan + emit every file, and plan + emit + write into a fresh output tree.
// Plan and emit are interleaved node by node in a real run, so emit and write are
// reported as differences (after one untimed warm-up pass; noisy on a busy machine).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readProfile } from '../cli/read-profile.js';
import { loadTemplates } from '../cli/load-templates.js';
import { loadSecrets } from '../cli/secrets-store.js';
import { writeClusterOutput } from '../cli/write-cluster-output.js';
import { clusterPlans } from '../plan/build-node-plan.js';
import { generateCluster } from '../output/generate-cluster.js';
import type { OutputFormat } from '../output/output-file.js';

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}

/** One line of phase figures for `profileFile` whose secrets are in `secretsFile`. */
export function phaseLine(profileFile: string, secretsFile: string, formats: OutputFormat[]): string {
  let profile = readProfile(profileFile);
  const read = cpuMs(() => {
    profile = readProfile(profileFile);
  });
  if (!profile.ok) throw new Error(`bench profile ${profileFile} is invalid`);
  const p = profile.value;
  const out = mkdtempSync(join(tmpdir(), 'gen-userdata-phases-'));
  mkdirSync(join(out, p.cluster.name));
  copyFileSync(secretsFile, join(out, p.cluster.name, 'secrets.yaml'));
  const loaded = loadSecrets(out, p, profileFile);
  if (!loaded.ok) throw new Error('bench secrets are invalid');
  const secrets = loaded.value.secrets;
  const templates = loadTemplates();
  // One untimed pass first: otherwise the first phase measured pays for the JIT warm-up.
  writeClusterOutput(join(out, p.cluster.name), generateCluster({ profile: p, secrets, templates, formats }), { dryRun: true });
  const plan = cpuMs(() => {
    for (const target of formats.includes('ignition') ? (['cloud-init', 'flatcar'] as const) : (['cloud-init'] as const)) {
      for (const node of clusterPlans(p, secrets, templates, target)) void node;
    }
  });
  const emit = cpuMs(() => {
    for (const f of generateCluster({ profile: p, secrets, templates, formats })) void f;
  });
  const all = cpuMs(() => {
    writeClusterOutput(join(out, p.cluster.name), generateCluster({ profile: p, secrets, templates, formats }), { dryRun: true });
  });
  const write = cpuMs(() => {
    writeClusterOutput(join(out, p.cluster.name), generateCluster({ profile: p, secrets, templates, formats }), { dryRun: false });
  });
  rmSync(out, { recursive: true, force: true });
  const f = (ms: number): string => `${ms.toFixed(0)} ms`;
  return `  phases (CPU, in process): read profile ${f(read)}, plan ${f(plan)}, emit ${f(emit - plan)}, size report + plan diff ${f(all - emit)}, write ${f(write - all)}`;
}

// Fixtures for the golden-image and air-gap tests: the air-gapped profile (with its
// key and manifests read the way the CLI reads them), prebaked variants, and a way to
// run one generated bash step on this machine against a throwaway root directory.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readProfile } from '../../src/cli/read-profile.js';
import type { Profile } from '../../src/profile/types.js';
import type { PlanStep } from '../../src/plan/types.js';
import { ROOT } from './fixtures.js';

/** test/fixtures/airgap/profile.yaml with keyFile and manifestFile contents embedded (as the CLI does). */
export function airgapProfile(): Profile {
  const r = readProfile(join(ROOT, 'test', 'fixtures', 'airgap', 'profile.yaml'));
  if (!r.ok) throw new Error(`air-gap fixture is invalid: ${JSON.stringify(r.diagnostics)}`);
  return r.value;
}

/** A copy of `profile` for golden-image nodes: packages.install false, image.prebaked true. */
export function prebakedVariant(profile: Profile): Profile {
  const p = structuredClone(profile);
  p.packages.install = false;
  p.images.prebaked = true;
  return p;
}

/**
 * The helpers a step body may call (log, expect_version), as bash source. Taken from
 * the generated shell library (or provision.sh, which carries it) so the test
 * exercises the shipped code.
 */
export function runnerHelpers(script: string): string {
  const pick = (name: string): string => {
    const m = new RegExp(`^${name}\\(\\) \\{[\\s\\S]*?^\\}$|^${name}\\(\\) \\{.*\\}$`, 'm').exec(script);
    if (!m) throw new Error(`helper ${name} not found in the script`);
    return m[0];
  };
  return [pick('log'), pick('expect_version')].join('\n');
}

/**
 * Rewrites the absolute paths a step touches (/etc/…, /var/lib/gen-userdata/…) into
 * `root`, and drops install's owner flags, so the step can run unprivileged in a
 * scratch directory. Only for tests: the shipped body is unchanged.
 */
export function rerooted(body: string, root: string): string {
  let heredoc: string | undefined;
  return body
    .split('\n')
    .map((line) => {
      // Heredoc contents are file contents: leave them byte for byte.
      if (heredoc !== undefined) {
        if (line === heredoc) heredoc = undefined;
        return line;
      }
      heredoc = /<<'(\w+)'/.exec(line)?.[1];
      return line.replace(/(['\s<])\/(etc|var\/lib\/gen-userdata)\//g, `$1${root}/$2/`).replace(/ -o \S+ -g \S+ /g, ' ');
    })
    .join('\n');
}

/** Result of running one step body with bash. */
export interface StepRun {
  status: number | null;
  output: string;
}

/** Runs a step body as a bash function under `set -Eeuo pipefail`, with PATH starting at `binDir` when given. */
export function runStep(step: PlanStep | string, helpers: string, opts: { binDir?: string; root?: string } = {}): StepRun {
  const body = typeof step === 'string' ? step : step.body;
  const source = [
    'set -Eeuo pipefail',
    helpers,
    `the_step() {\n${opts.root !== undefined ? rerooted(body, opts.root) : body}\n}`,
    'the_step',
  ].join('\n');
  const env = { ...process.env, PATH: `${opts.binDir !== undefined ? `${opts.binDir}:` : ''}${process.env['PATH'] ?? ''}` };
  const r = spawnSync('bash', ['-c', source], { encoding: 'utf8', env });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

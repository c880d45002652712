// Shared test fixtures: bundled profiles, the fixed secrets bundles, the templates,
// and a way to run the built CLI.
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readProfile } from '../../src/cli/read-profile.js';
import { parseSecrets } from '../../src/pki/parse-secrets.js';
import { loadTemplates } from '../../src/cli/load-templates.js';
import type { Profile } from '../../src/profile/types.js';
import type { ClusterSecrets } from '../../src/pki/types.js';
import type { TemplateSet } from '../../src/template/render-template.js';
import { FIXTURES, type FixtureName } from '../fixtures/secrets/fixture-params.js';

/** Repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Loads a profile file (path relative to the repo root) as the CLI does, files it
 * names (trust.caBundleFile, images.auth passwordFile) included; throws when it is invalid.
 */
export function profileAt(relPath: string): Profile {
  const r = readProfile(join(ROOT, relPath));
  if (!r.ok) throw new Error(`fixture profile ${relPath} is invalid: ${JSON.stringify(r.diagnostics)}`);
  return r.value;
}

/**
 * A fixed secrets bundle from test/fixtures/secrets/: "lab" and "ha" (RSA-2048),
 * "lab-ecdsa" and "ha-ecdsa" (ECDSA P-256); see fixture-params.ts.
 */
export function fixtureSecrets(cluster: FixtureName): ClusterSecrets {
  const file = join(ROOT, 'test', 'fixtures', 'secrets', `${cluster}-secrets.yaml`);
  const r = parseSecrets(readFileSync(file, 'utf8'), file);
  if (!r.ok) throw new Error(`secrets fixture ${cluster} is invalid: ${JSON.stringify(r.diagnostics)}`);
  return r.value;
}

/** The bundled templates. */
export function bundledTemplates(): TemplateSet {
  return loadTemplates();
}

/** Result of one CLI run. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (dist/, built by `npm test`'s pretest) with `args` in `cwd`. */
export function runCli(args: string[], opts: { cwd?: string; input?: string } = {}): CliRun {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    input: opts.input ?? '',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh output root whose <cluster>/secrets.yaml is the fixed fixture bundle (e.g. "lab-ecdsa" for cluster lab). */
export function outWithFixtureSecrets(fixture: FixtureName): string {
  const f = FIXTURES.find((x) => x.name === fixture)!;
  const out = mkdtempSync(join(tmpdir(), `gen-userdata-${fixture}-out-`));
  mkdirSync(join(out, f.clusterName));
  copyFileSync(join(ROOT, 'test', 'fixtures', 'secrets', f.file), join(out, f.clusterName, 'secrets.yaml'));
  // As gen-userdata writes it: a looser mode would (rightly) draw a warning.
  chmodSync(join(out, f.clusterName, 'secrets.yaml'), 0o600);
  return out;
}

/** Every file below `dir` (relative path → base64 content), for before/after comparisons. */
export function snapshotTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full, `${rel}${name}/`);
      else files.set(`${rel}${name}`, readFileSync(full).toString('base64'));
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return files;
}

/** A file's permission bits as octal text, e.g. "600". */
export function fileMode(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}

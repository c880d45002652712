/**
 * `cloud-init schema` of two releases: the host's (Debian 12, cloud-init 22.4)
 * and Debian 13's cloud-init 25.1, unpacked from its package by
 * scripts/debian-package.sh (.ci/run does it) and run with the host's Python and
 * libraries. The package rather than a Debian 13 guest: a schema check is pure
 * Python over one file, so it runs in the unit suite on every generated
 * user-data in milliseconds, where a guest would cost a boot per check and keep
 * it out of `npm test`. Both fail on errors and on deprecations (cloud-init
 * prints deprecations and still exits 0).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';

/** Where .ci/run unpacks Debian packages of other releases ($GEN_USERDATA_TOOLS). */
export function toolsRoot(): string {
  if (process.env.GEN_USERDATA_TOOLS) return process.env.GEN_USERDATA_TOOLS;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gen-userdata-tools');
}

/** The unpacked cloud-init package of Debian 13. */
export const CLOUD_INIT_25_ROOT = join(toolsRoot(), 'trixie', 'cloud-init');

export interface CloudInitRelease {
  label: string;
  /** argv[0] and the arguments before `schema`. */
  command: [string, ...string[]];
  env: NodeJS.ProcessEnv;
}

/** The two cloud-init releases every generated user-data is checked with. */
export function cloudInitReleases(): CloudInitRelease[] {
  const dist = join(CLOUD_INIT_25_ROOT, 'usr', 'lib', 'python3', 'dist-packages');
  return [
    { label: 'cloud-init 22.4 (Debian 12)', command: ['cloud-init'], env: process.env },
    {
      label: 'cloud-init 25.1 (Debian 13)',
      // Debian's python3 (not one earlier on PATH): its dist-packages hold cloud-init's dependencies.
      command: ['/usr/bin/python3', join(CLOUD_INIT_25_ROOT, 'usr', 'bin', 'cloud-init')],
      env: { ...process.env, PYTHONPATH: dist },
    },
  ];
}

/** Says how to get cloud-init 25 when it is not unpacked yet, else undefined. */
export function missingCloudInit25(): string | undefined {
  if (existsSync(join(CLOUD_INIT_25_ROOT, 'usr', 'bin', 'cloud-init'))) return undefined;
  return `cloud-init 25.1 is not unpacked in ${CLOUD_INIT_25_ROOT}: run scripts/debian-package.sh trixie ${join(toolsRoot(), 'trixie')} cloud-init (.ci/run does)`;
}

export interface SchemaResult {
  status: number | null;
  output: string;
}

/** Runs one release's `cloud-init schema` on a file (`schemaType` user-data by default). */
export function runSchema(release: CloudInitRelease, file: string, schemaType: 'cloud-config' | 'network-config' = 'cloud-config'): SchemaResult {
  const [cmd, ...pre] = release.command;
  const args = [...pre, 'schema', ...(schemaType === 'network-config' ? ['--schema-type', 'network-config'] : []), '--config-file', file];
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: release.env });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}` };
}

/** Problems in one schema run: a non-zero exit, no "Valid" line, or any deprecation. */
export function schemaProblems(r: SchemaResult): string[] {
  const problems: string[] = [];
  if (r.status !== 0) problems.push(`exit ${r.status}`);
  if (!/^Valid (cloud-config|schema)\b/m.test(r.output)) problems.push('no "Valid" line');
  if (/deprecat/i.test(r.output)) problems.push('deprecation');
  return problems;
}

/**
 * Asserts that both releases accept the user-data file with neither errors nor
 * deprecations. Fails (never skips) when cloud-init 25 is not unpacked.
 */
export function assertCloudConfigValid(t: Test, file: string, label: string): void {
  const missing = missingCloudInit25();
  if (missing) {
    t.fail(missing);
    return;
  }
  for (const release of cloudInitReleases()) {
    const r = runSchema(release, file);
    t.same(schemaProblems(r), [], `${label}: ${release.label} accepts it without deprecations`, { output: r.output });
  }
}

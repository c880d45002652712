/**
 * What a generation run changes in out/<cluster>/, worked out from the previous
 * run's manifest.json and the new one: per node, which files are added, changed,
 * unchanged or removed, and why. For user-data, config.ign and seed.iso the reason
 * names the embedded files that differ, from the manifest's `parts`.
 */
import type { Manifest, ManifestEntry } from './manifest.js';
import { ManifestIndex, type PreviousFile } from './manifest-index.js';

export type ChangeStatus = 'added' | 'changed' | 'unchanged' | 'removed';

/** One file of the output and what happens to it. */
export interface FileChange {
  /** Relative to out/<cluster>/, e.g. "nodes/worker-1/user-data". */
  path: string;
  status: ChangeStatus;
  /** Why; "" for unchanged files. */
  reason: string;
}

/** One node's files. */
export interface NodeChange {
  node: string;
  /** "added": new in the profile; "removed": gone from it (its files are deleted); "kept". */
  status: 'added' | 'removed' | 'kept';
  files: FileChange[];
}

/** The whole plan. */
export interface ChangePlan {
  /** There was no (readable) previous manifest.json: everything is new. */
  firstRun: boolean;
  /** Files that belong to no node (secrets.yaml, admin.conf); manifest.json itself is left out. */
  cluster: FileChange[];
  nodes: NodeChange[];
}

const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * Reads a manifest.json text written by an earlier run. Returns undefined when it
 * is not JSON or not shaped like a manifest (then the plan treats the run as the
 * first one). Never throws.
 */
export function parseManifest(text: string): Manifest | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const m = data as { cluster?: unknown; kubernetesVersion?: unknown; files?: unknown };
  if (typeof m.cluster !== 'string' || !Array.isArray(m.files)) return undefined;
  const files = m.files.filter(
    (f): f is ManifestEntry =>
      typeof f === 'object' && f !== null && typeof (f as ManifestEntry).path === 'string' && typeof (f as ManifestEntry).sha256 === 'string',
  );
  return { cluster: m.cluster, ...(typeof m.kubernetesVersion === 'string' ? { kubernetesVersion: m.kubernetesVersion } : {}), files };
}

/** "changed: /a, /b; added: /c; removed: /d" between two parts maps; "" when they are equal. */
export function partsDifference(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): string {
  const changed: string[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  for (const [name, hash] of Object.entries(after)) {
    if (!(name in before)) added.push(name);
    else if (before[name] !== hash) changed.push(name);
  }
  for (const name of Object.keys(before)) if (!(name in after)) removed.push(name);
  return [
    ['changed', changed],
    ['added', added],
    ['removed', removed],
  ]
    .filter(([, names]) => names.length > 0)
    .map(([what, names]) => `${what as string}: ${(names as string[]).sort().join(', ')}`)
    .join('; ');
}

function changedReason(before: PreviousFile, after: ManifestEntry, beforeParts: () => Readonly<Record<string, string>> | undefined): string {
  const reasons: string[] = [];
  if (before.sha256 !== after.sha256) {
    const parts = after.parts !== undefined ? beforeParts() : undefined;
    if (parts !== undefined && after.parts !== undefined) {
      reasons.push(partsDifference(parts, after.parts) || 'same embedded files; hostname, users, network or layout differ');
    } else {
      reasons.push('content differs');
    }
  }
  if (before.mode !== after.mode) reasons.push(`mode ${before.mode} → ${after.mode}`);
  return reasons.join('; ');
}

const FIRST_RUN = 'first run';

/**
 * Builds the change plan from the new run's rows one at a time, as its files
 * stream past, against the previous manifest (undefined on a first run). It keeps
 * one small record per file (path, status, reason), never the new rows, so a run
 * does not have to parse its own manifest.json back to say what changed.
 */
export class ChangePlanBuilder {
  private readonly seen = new Set<string>();
  private readonly nodesAfter = new Set<string>();
  private readonly formatsAfter = new Set<string>();
  private readonly cluster: FileChange[] = [];
  private readonly byNode = new Map<string, FileChange[]>();

  constructor(private readonly previous: ManifestIndex | undefined) {}

  /** Takes note of one row of the new manifest (manifest.json's own row is left out). */
  add(after: ManifestEntry): void {
    if (isManifest(after) || this.seen.has(after.path)) return;
    this.seen.add(after.path);
    if (after.node !== undefined) this.nodesAfter.add(after.node);
    this.formatsAfter.add(after.format);
    const previous = this.previous;
    const before = previous?.get(after.path);
    if (before === undefined) {
      const reason =
        previous === undefined ? FIRST_RUN
        : after.node !== undefined && !previous.hadNode(after.node) ? 'new node'
        : !previous.hadNodeFormat(after.node, after.format) ? `format ${after.format} newly written`
        : 'new file';
      this.push(after.node, { path: after.path, status: 'added', reason });
    } else if (before.sha256 === after.sha256 && before.mode === after.mode) {
      this.push(after.node, { path: after.path, status: 'unchanged', reason: '' });
    } else {
      this.push(after.node, { path: after.path, status: 'changed', reason: changedReason(before, after, () => previous?.partsOf(after.path)) });
    }
  }

  /** The plan: previous files no row named are removed; nodes and files sorted by name and path. */
  result(): ChangePlan {
    for (const path of this.previous?.paths() ?? []) {
      if (this.seen.has(path)) continue;
      const before = this.previous!.get(path)!;
      const reason =
        before.node !== undefined && !this.nodesAfter.has(before.node) ? 'node removed from the profile'
        : !this.formatsAfter.has(before.format) ? `format ${before.format} not written this time`
        : 'no longer generated';
      this.push(before.node, { path, status: 'removed', reason });
    }
    const nodesBefore = new Set(this.previous?.nodes() ?? []);
    const nodeNames = [...new Set([...nodesBefore, ...this.nodesAfter])].sort();
    return {
      firstRun: this.previous === undefined,
      cluster: [...this.cluster].sort(byPath),
      nodes: nodeNames.map((node) => ({
        node,
        status: !nodesBefore.has(node) ? 'added' : !this.nodesAfter.has(node) ? 'removed' : 'kept',
        files: [...(this.byNode.get(node) ?? [])].sort(byPath),
      })),
    };
  }

  private push(node: string | undefined, change: FileChange): void {
    if (node === undefined) {
      this.cluster.push(change);
      return;
    }
    const files = this.byNode.get(node);
    if (files === undefined) this.byNode.set(node, [change]);
    else files.push(change);
  }
}

function isManifest(e: ManifestEntry): boolean {
  return e.path === 'manifest.json';
}

/**
 * Compares the previous manifest (undefined on a first run) with the new one.
 * Pure and never throws; nodes and files come out sorted by name and path.
 */
export function diffManifests(previous: Manifest | undefined, next: Manifest): ChangePlan {
  const builder = new ChangePlanBuilder(previous === undefined ? undefined : ManifestIndex.fromManifest(previous));
  for (const e of next.files) builder.add(e);
  return builder.result();
}

/** Shortens "nodes/<node>/user-data" to "user-data" when listing a node's files. */
function shortName(path: string, node: string | undefined): string {
  const prefix = node === undefined ? '' : `nodes/${node}/`;
  return prefix !== '' && path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/** The top-level places a removed node's files lived in, e.g. "nodes/worker-9/", "http/worker-9/". */
function removedLocations(files: readonly FileChange[], node: string): string[] {
  const places = files.map((f) => {
    const dir = f.path.split('/').slice(0, 2).join('/');
    return dir.endsWith(`/${node}`) ? `${dir}/` : f.path;
  });
  return [...new Set(places)].sort();
}

function fileLines(files: readonly FileChange[], node: string | undefined): string[] {
  const lines: string[] = [];
  for (const status of ['added', 'changed', 'removed'] as const) {
    // Files with the same status and reason share a line ("added user-data, meta-data (new node)").
    const groups = new Map<string, string[]>();
    for (const f of files.filter((x) => x.status === status)) {
      const key = status === 'changed' ? `${f.path}\n${f.reason}` : f.reason;
      groups.set(key, [...(groups.get(key) ?? []), shortName(f.path, node)]);
    }
    for (const [key, names] of groups) {
      const reason = status === 'changed' ? key.slice(key.indexOf('\n') + 1) : key;
      lines.push(`    ${status.padEnd(9)} ${names.join(', ')}${reason ? ` (${reason})` : ''}`);
    }
  }
  const same = files.filter((x) => x.status === 'unchanged').map((f) => shortName(f.path, node));
  if (same.length > 0) lines.push(`    ${'unchanged'.padEnd(9)} ${same.join(', ')}`);
  return lines;
}

function counts(files: readonly FileChange[]): string {
  const parts = (['added', 'changed', 'removed', 'unchanged'] as const)
    .map((s) => [s, files.filter((f) => f.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  return parts.join(', ') || 'no files';
}

/**
 * The plan as short text lines for the terminal: one header per node with counts,
 * then one line per added, changed or removed file with its reason, and one line
 * listing the unchanged ones. A removed node is one line naming what is deleted.
 */
export function formatChangePlan(plan: ChangePlan): string[] {
  const all = [...plan.cluster, ...plan.nodes.flatMap((n) => n.files)];
  if (plan.firstRun) {
    return [`no previous manifest.json: ${all.length} new files for ${plan.nodes.length} node(s)`];
  }
  if (all.every((f) => f.status === 'unchanged')) return ['no changes: every file is byte-identical to the previous run'];
  const lines = ['changes against the previous manifest.json:'];
  lines.push(`  cluster: ${counts(plan.cluster)}`, ...fileLines(plan.cluster, undefined));
  for (const n of plan.nodes) {
    if (n.status === 'removed') {
      lines.push(`  ${n.node} (removed from the profile): deleting ${removedLocations(n.files, n.node).join(', ')}`);
      continue;
    }
    lines.push(`  ${n.node}${n.status === 'added' ? ' (new node)' : ''}: ${counts(n.files)}`, ...fileLines(n.files, n.node));
  }
  return lines;
}

import { createHash } from 'node:crypto';
import type { NodePlan } from '../plan/types.js';

/** Lowercase hex sha256 of UTF-8 text or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * What a node's user-data or config.ign embeds, for manifest.json: every plan file
 * (by its path on the node) and every systemd unit (as /etc/systemd/system/<name>)
 * → sha256 of its content, keys sorted. The next run compares these to say which
 * embedded files changed ("changed: /etc/gen-userdata/hosts"). Never throws.
 */
export function planParts(plan: NodePlan): Record<string, string> {
  const entries: [string, string][] = [
    ...plan.files.map((f): [string, string] => [f.path, sha256Hex(f.content)]),
    ...plan.units.map((u): [string, string] => [`/etc/systemd/system/${u.name}`, sha256Hex(u.content)]),
  ];
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

/** Parts of a seed that bundles named documents (seed.iso: user-data, meta-data, network-config). */
export function documentParts<K extends string>(docs: Readonly<Record<K, string>>): Record<string, string> {
  const names = (Object.keys(docs) as K[]).sort();
  return Object.fromEntries(names.map((name) => [name, sha256Hex(docs[name])]));
}

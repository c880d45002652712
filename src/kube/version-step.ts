/**
 * Which version changes a kubeadm cluster can make, following kubeadm's upgrade
 * rules and Kubernetes' version-skew policy
 * (https://kubernetes.io/releases/version-skew-policy/):
 * - `kubeadm upgrade apply` moves a cluster within a minor (patch upgrade) or to
 *   exactly the next minor; skipping a minor and downgrading are not supported.
 * - a kubelet must not be newer than the API server, and may be up to three minors
 *   older; a node joins with `kubeadm join` of its own version, which kubeadm
 *   supports against a control plane of the same minor.
 */
import { parseKubeVersion, type KubeVersion } from './versions.js';

/** What kind of change from one version to another. */
export type VersionChange = 'same' | 'patch' | 'minor' | 'downgrade' | 'skips-minors' | 'major';

/** Classifies from → to. Both must be "x.y.z" (throws otherwise: callers validate first). */
export function versionChange(from: string, to: string): VersionChange {
  const a = requireVersion(from);
  const b = requireVersion(to);
  if (a.major !== b.major) return 'major';
  if (compare(a, b) === 0) return 'same';
  if (compare(a, b) > 0) return 'downgrade';
  if (a.minor === b.minor) return 'patch';
  return b.minor === a.minor + 1 ? 'minor' : 'skips-minors';
}

function requireVersion(v: string): KubeVersion {
  const parsed = parseKubeVersion(v);
  if (parsed === undefined) throw new Error(`malformed Kubernetes version "${v}" (expected x.y.z)`);
  return parsed;
}

function compare(a: KubeVersion, b: KubeVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** "1.30" of "1.30.2". */
export function minorOf(version: string): string {
  const v = requireVersion(version);
  return `${v.major}.${v.minor}`;
}

/**
 * Why `gen-userdata upgrade` refuses from → to, or undefined when kubeadm can
 * make that step (same minor, or exactly the next one).
 */
export function upgradeRefusal(from: string, to: string): string | undefined {
  switch (versionChange(from, to)) {
    case 'same':
      return `the profile is already at ${to}: nothing to upgrade`;
    case 'downgrade':
      return `${from} → ${to} is a downgrade; kubeadm cannot downgrade a cluster (restore an etcd snapshot taken at ${to} instead)`;
    case 'skips-minors':
      return `${from} → ${to} skips a minor version; kubeadm upgrades one minor at a time: upgrade to the newest 1.${requireVersion(from).minor + 1}.x first`;
    case 'major':
      return `${from} → ${to} changes the major version, which kubeadm does not support`;
    default:
      return undefined;
  }
}

/**
 * The version skew a plain generation would create when the previous run
 * generated `running` and the profile now says `next`: new nodes would join at
 * `next` while running nodes keep `running` (they never see regenerated files).
 */
export interface SkewNotice {
  change: VersionChange;
  /** Sentences for the change plan. */
  lines: string[];
  /** True when a new node at `next` could not join a cluster at `running` (needs --allow-version-skew). */
  refused: boolean;
}

/** Undefined when the version did not change. */
export function versionSkewNotice(running: string, next: string): SkewNotice | undefined {
  const change = versionChange(running, next);
  if (change === 'same') return undefined;
  const lines = [
    `Kubernetes version changed: running nodes keep ${running}; new nodes will join at ${next}.`,
    'Running nodes never see regenerated files.',
  ];
  switch (change) {
    case 'patch':
    case 'minor':
      lines.push(
        `Upgrade running nodes with \`gen-userdata upgrade --to ${next}\`` +
          (change === 'minor'
            ? ` before adding nodes: a kubelet may not be newer than the API server, and kubeadm ${minorOf(next)} joins only a ${minorOf(next)} control plane.`
            : '.'),
      );
      break;
    case 'downgrade':
      lines.push(`A downgrade: kubeadm cannot downgrade the running cluster, and new nodes at ${next} would join a newer control plane than their kubeadm supports.`);
      break;
    default:
      lines.push(`${running} → ${next} is not one kubeadm upgrade step: new nodes could not join the running control plane.`);
  }
  return { change, lines, refused: change === 'downgrade' || change === 'skips-minors' || change === 'major' };
}

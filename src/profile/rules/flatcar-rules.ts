/**
 * Rules that apply only when Ignition (Flatcar) output is generated: a profile that
 * only ever becomes cloud-init user-data is not held to them. The CLI adds them to
 * the profile rules for `--format ignition` and `--format all`.
 */
import type { Profile } from '../types.js';
import { declaredArches } from '../node-arches.js';
import { parseKubeVersion } from '../../kube/versions.js';
import { error, warning, type Finding, type Rule } from './finding.js';

/**
 * The oldest Kubernetes minor Flatcar's sysext-bakery publishes at
 * extensions.flatcar.org. The bakery builds the releases of the minors in Kubernetes'
 * release schedule (kubernetes.sysext/funcs.inc reads data/releases/schedule.yaml), so
 * end-of-life minors drop out; 1.30 is gone (1.30.0 is no longer built), its own
 * README's example is v1.32.2. Newer minors than our version table are not a concern:
 * the version rule rejects them first.
 */
export const BAKERY_OLDEST_MINOR = [1, 31] as const;

/** Errors for nodes with arch auto: Ignition downloads the sysext in the initramfs, before anything could run uname -m. */
export function flatcarArchAuto(p: Profile): Finding[] {
  return p.nodes.flatMap((n, i) =>
    n.arch === 'auto'
      ? [error('arch-auto-flatcar', `/nodes/${i}/arch`, `node ${n.name}: arch auto cannot be used for Ignition (Flatcar) output, which downloads the amd64 or arm64 Kubernetes sysext before the node runs anything; set amd64 or arm64`)]
      : [],
  );
}

/**
 * The sysext download must be verifiable: a digest for every architecture in use
 * (flatcar.sysextSha256), or an explicit flatcar.allowUnverifiedSysext: true, which
 * is then a warning. A single digest cannot cover two architectures.
 */
export function sysextVerification(p: Profile): Finding[] {
  const arches = declaredArches(p);
  const f = p.flatcar;
  if (f.sysextSha256Single && arches.length > 1) {
    return [error('sysext-sha256-per-arch', '/flatcar/sysextSha256', `the nodes are ${arches.join(' and ')}, which download different sysext images: give one digest per architecture (sysextSha256: {amd64: …, arm64: …})`)];
  }
  const missing = arches.filter((a) => f.sysextSha256[a] === undefined);
  if (missing.length === 0) return [];
  const images = missing.join(' and ');
  if (f.allowUnverifiedSysext) {
    return [warning('unverified-sysext', '/flatcar/allowUnverifiedSysext', `the Kubernetes sysext (${images}) is downloaded without a sha256 check: only HTTPS vouches for it`)];
  }
  return [
    error(
      'sysext-sha256-required',
      '/flatcar/sysextSha256',
      `no sha256 for the ${images} Kubernetes sysext of ${p.cluster.kubernetesVersion}: set flatcar.sysextSha256 (sha256sum of the .raw image you serve or of the bakery's image), or flatcar.allowUnverifiedSysext: true to trust HTTPS alone`,
    ),
  ];
}

/** Warns when the version is older than what the bakery publishes and no mirror URL is set. */
export function sysextBakeryRange(p: Profile): Finding[] {
  if (p.flatcar.sysextUrl !== undefined) return [];
  const v = parseKubeVersion(p.cluster.kubernetesVersion);
  if (v === undefined) return [];
  const [major, minor] = BAKERY_OLDEST_MINOR;
  if (v.major > major || (v.major === major && v.minor >= minor)) return [];
  return [
    warning(
      'sysext-not-published',
      '/cluster/kubernetesVersion',
      `Flatcar's sysext-bakery publishes Kubernetes sysexts from ${major}.${minor} on; kubernetes-v${p.cluster.kubernetesVersion} is likely not at extensions.flatcar.org and Ignition would fail to download it: pick a published version or set flatcar.sysextUrl to a mirror that has it`,
    ),
  ];
}

/** The rules for Ignition output, in order. */
export const FLATCAR_RULES: readonly Rule[] = [flatcarArchAuto, sysextVerification, sysextBakeryRange];

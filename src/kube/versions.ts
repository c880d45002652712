/**
 * Per-minor facts about Kubernetes/kubeadm releases that the generator depends on,
 * and the small derivations from a version string (apt track, package pin, pause image).
 *
 * Sources, checked per minor (a minor is listed only when its pause tag was confirmed):
 * - pause: kubeadm's cmd/kubeadm/app/constants/constants.go `PauseVersion`
 *   (1.31 and 1.32 release-branch sources, a 1.33 development snapshot), the
 *   `kubeadm config images list` table minikube generates from kubeadm (1.27–1.32),
 *   recorded `kubeadm config images list` output for v1.33.1 (pause:3.10) and
 *   v1.34.0 (pause:3.10.1), and kubespray's pod_infra_supported_versions
 *   (1.33 → 3.10, 1.34 → 3.10.1).
 *   1.35 is left out: only secondary sources (3.10.1) were found, not kubeadm's own.
 * - kubeadm API: v1beta4 exists from kubeadm 1.31 (its types.go moves the
 *   discovery and control-plane timeouts into `timeouts` and turns extraArgs into
 *   lists of {name, value}); v1beta3 stays readable through 1.36.
 */
export interface KubeVersionInfo {
  /** "1.30" */
  minor: string;
  /** kubeadm config API group/version to emit. */
  kubeadmApiVersion: 'kubeadm.k8s.io/v1beta3' | 'kubeadm.k8s.io/v1beta4';
  /** Tag of registry.k8s.io/pause that kubeadm expects. */
  pauseVersion: string;
  /** kubeadm of this minor still reads kubeadm.k8s.io/v1beta3 (true through 1.36). */
  acceptsV1beta3: boolean;
  /** kube-proxy's ipvs mode is deprecated in this minor (from 1.35), so the profile rules warn. */
  ipvsDeprecated: boolean;
}

const V1BETA3 = 'kubeadm.k8s.io/v1beta3';
const V1BETA4 = 'kubeadm.k8s.io/v1beta4';

const TABLE: readonly KubeVersionInfo[] = [
  { minor: '1.27', kubeadmApiVersion: V1BETA3, pauseVersion: '3.9', acceptsV1beta3: true, ipvsDeprecated: false },
  { minor: '1.28', kubeadmApiVersion: V1BETA3, pauseVersion: '3.9', acceptsV1beta3: true, ipvsDeprecated: false },
  { minor: '1.29', kubeadmApiVersion: V1BETA3, pauseVersion: '3.9', acceptsV1beta3: true, ipvsDeprecated: false },
  { minor: '1.30', kubeadmApiVersion: V1BETA3, pauseVersion: '3.9', acceptsV1beta3: true, ipvsDeprecated: false },
  { minor: '1.31', kubeadmApiVersion: V1BETA4, pauseVersion: '3.10', acceptsV1beta3: true, ipvsDeprecated: false },
  { minor: '1.32', kubeadmApiVersion: V1BETA4, pauseVersion: '3.10', acceptsV1beta3: true, ipvsDeprecated: false },
  { minor: '1.33', kubeadmApiVersion: V1BETA4, pauseVersion: '3.10', acceptsV1beta3: true, ipvsDeprecated: false },
  { minor: '1.34', kubeadmApiVersion: V1BETA4, pauseVersion: '3.10.1', acceptsV1beta3: true, ipvsDeprecated: false },
];

/** Minors the generator supports, oldest first, e.g. ["1.27", …]. */
export const SUPPORTED_MINORS: readonly string[] = TABLE.map((v) => v.minor);

/** Registry kubeadm pulls from when ClusterConfiguration.imageRepository is unset. */
export const DEFAULT_IMAGE_REPOSITORY = 'registry.k8s.io';

/** Default base of the pkgs.k8s.io apt layout; the track and "/deb/" are appended. */
export const DEFAULT_APT_REPOSITORY = 'https://pkgs.k8s.io/core:/stable:';

/** A parsed "x.y.z" Kubernetes version. */
export interface KubeVersion {
  major: number;
  minor: number;
  patch: number;
}

/** Parses "x.y.z" (no leading v, no pre-release); undefined when it is not of that form. */
export function parseKubeVersion(version: string): KubeVersion | undefined {
  const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(version);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

/** Returns the table row for an "x.y.z" version, or undefined when unsupported. */
export function versionInfo(version: string): KubeVersionInfo | undefined {
  const v = parseKubeVersion(version);
  if (!v) return undefined;
  return TABLE.find((row) => row.minor === `${v.major}.${v.minor}`);
}

/**
 * The table row for a version the profile rules already accepted.
 * Throws on an unsupported or malformed version: reaching here with one is a bug.
 */
export function requireVersionInfo(version: string): KubeVersionInfo {
  const info = versionInfo(version);
  if (!info) throw new Error(`unsupported Kubernetes version "${version}" (supported minors: ${SUPPORTED_MINORS.join(', ')})`);
  return info;
}

function requireParsed(version: string): KubeVersion {
  const v = parseKubeVersion(version);
  if (!v) throw new Error(`malformed Kubernetes version "${version}" (expected x.y.z)`);
  return v;
}

/** pkgs.k8s.io repository track for a version: "1.30.0" → "v1.30". Throws on a malformed version. */
export function aptTrack(version: string): string {
  const v = requireParsed(version);
  return `v${v.major}.${v.minor}`;
}

/**
 * apt package version in the pkgs.k8s.io style: "1.30.0" → "1.30.0-1.1".
 * (The "-00" suffix belonged to the retired apt.kubernetes.io repo.) Throws on a malformed version.
 */
export function packageVersion(version: string): string {
  requireParsed(version);
  return `${version}-1.1`;
}

/**
 * apt version glob that matches any package revision of the release: "1.30.0" → "1.30.0-*".
 * pkgs.k8s.io occasionally republishes a release with a new revision (e.g. "-2.1"), and the
 * kubeadm upgrade docs pin with this form; use it when the exact revision is not known.
 * Throws on a malformed version.
 */
export function packageVersionPattern(version: string): string {
  requireParsed(version);
  return `${version}-*`;
}

/**
 * The apt source URL for a version: (base, "1.30.0") → "<base>/v1.30/deb/".
 * A trailing slash on base is ignored. Throws on a malformed version.
 */
export function aptRepositoryUrl(version: string, base: string = DEFAULT_APT_REPOSITORY): string {
  return `${base.replace(/\/+$/, '')}/${aptTrack(version)}/deb/`;
}

/** The signing key URL next to the apt source: "<base>/v1.30/deb/Release.key". Throws on a malformed version. */
export function aptReleaseKeyUrl(version: string, base: string = DEFAULT_APT_REPOSITORY): string {
  return `${aptRepositoryUrl(version, base)}Release.key`;
}

/**
 * The sandbox image kubeadm expects for a version, e.g. "registry.k8s.io/pause:3.9".
 * imageRepository (an air-gap mirror) replaces registry.k8s.io, as kubeadm's own
 * imageRepository does. Throws on an unsupported version.
 */
export function pauseImage(version: string, imageRepository?: string): string {
  const repo = (imageRepository ?? '').replace(/\/+$/, '') || DEFAULT_IMAGE_REPOSITORY;
  return `${repo}/pause:${requireVersionInfo(version).pauseVersion}`;
}

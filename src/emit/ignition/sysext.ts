/**
 * Kubernetes binaries for Flatcar as a systemd-sysext image, laid out the way
 * Flatcar's "Getting started with Kubernetes" guide does: the image is downloaded
 * by Ignition to /opt/extensions/kubernetes/kubernetes-v<version>-<arch>.raw and
 * activated by the symlink /etc/extensions/kubernetes.raw. See docs/flatcar.md.
 */
import type { CpuArch, FlatcarSettings } from '../../profile/types.js';
import type { IgnitionFile, IgnitionLink } from './types.js';
import { isHttpUrl } from '../../profile/formats.js';

/** Base of the Flatcar-hosted sysext-bakery images. */
export const SYSEXT_BASE_URL = 'https://extensions.flatcar.org/extensions';
/** Symlink systemd-sysext.service merges at boot. */
export const SYSEXT_LINK_PATH = '/etc/extensions/kubernetes.raw';
/** Directory the versioned images live in (systemd-sysupdate's layout, should the user add it later). */
export const SYSEXT_IMAGE_DIR = '/opt/extensions/kubernetes';

/** The sysext-bakery's architecture suffix (systemd's %a): x86-64 for amd64, arm64 for arm64. */
export function sysextArch(arch: CpuArch): string {
  return arch === 'amd64' ? 'x86-64' : 'arm64';
}

/** The versioned image name, e.g. "kubernetes-v1.32.2-x86-64.raw" or "kubernetes-v1.32.2-arm64.raw". */
export function sysextImageName(kubernetesVersion: string, arch: CpuArch): string {
  return `kubernetes-v${kubernetesVersion}-${sysextArch(arch)}.raw`;
}

/** The default download URL for a Kubernetes version ("x.y.z", no leading v) and architecture. */
export function defaultSysextUrl(kubernetesVersion: string, arch: CpuArch): string {
  return `${SYSEXT_BASE_URL}/${sysextImageName(kubernetesVersion, arch)}`;
}

/**
 * Where a node of `arch` downloads the image from: flatcar.sysextUrl as given, or, when
 * it ends in "/", that directory plus the versioned per-architecture name (one mirror
 * setting for a mixed-architecture cluster); the bakery's URL without it.
 */
export function sysextUrl(kubernetesVersion: string, arch: CpuArch, flatcar: Pick<FlatcarSettings, 'sysextUrl'>): string {
  const url = flatcar.sysextUrl;
  if (url === undefined) return defaultSysextUrl(kubernetesVersion, arch);
  return url.endsWith('/') ? `${url}${sysextImageName(kubernetesVersion, arch)}` : url;
}

/**
 * Returns the storage entries that install the Kubernetes sysext for a node of `arch`:
 * the remote image (with Ignition's sha256 verification when the profile has a digest
 * for that architecture) and the activation symlink. The local file name always follows
 * the version, whatever the URL, so a mirror URL does not change the on-node layout.
 * Throws when the URL is not http(s) or a digest is not 64 hex digits: the profile
 * rules must have rejected those already.
 */
export function kubernetesSysext(
  kubernetesVersion: string,
  arch: CpuArch,
  flatcar: Pick<FlatcarSettings, 'sysextUrl' | 'sysextSha256'>,
): { file: IgnitionFile; link: IgnitionLink } {
  if (!/^\d+\.\d+\.\d+$/.test(kubernetesVersion)) {
    throw new Error(`kubernetesSysext: version must be x.y.z, got ${JSON.stringify(kubernetesVersion)}`);
  }
  const url = sysextUrl(kubernetesVersion, arch, flatcar);
  if (!isHttpUrl(url)) {
    throw new Error(`kubernetesSysext: sysextUrl must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  const imagePath = `${SYSEXT_IMAGE_DIR}/${sysextImageName(kubernetesVersion, arch)}`;
  // overwrite: a re-provisioned node (flatcar-reset keeps /opt) may still hold the image.
  const file: IgnitionFile = { path: imagePath, overwrite: true, contents: { source: url }, mode: 0o644 };
  const digest = flatcar.sysextSha256[arch];
  if (digest !== undefined) {
    if (!/^[0-9a-f]{64}$/.test(digest)) throw new Error('kubernetesSysext: sysextSha256 must be 64 lowercase hex digits');
    file.contents.verification = { hash: `sha256-${digest}` };
  }
  return { file, link: { path: SYSEXT_LINK_PATH, overwrite: true, target: imagePath, hard: false } };
}

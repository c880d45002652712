/**
 * Kubernetes binaries for Flatcar as a systemd-sysext image, laid out the way
 * Flatcar's "Getting started with Kubernetes" guide does: the image is downloaded
 * by Ignition to /opt/extensions/kubernetes/kubernetes-v<version>-x86-64.raw and
 * activated by the symlink /etc/extensions/kubernetes.raw. See docs/flatcar.md.
 */
import type { FlatcarSettings } from '../../profile/types.js';
import type { IgnitionFile, IgnitionLink } from './types.js';
import { isHttpUrl } from '../../profile/formats.js';

/** Base of the Flatcar-hosted sysext-bakery images. */
export const SYSEXT_BASE_URL = 'https://extensions.flatcar.org/extensions';
/** Symlink systemd-sysext.service merges at boot. */
export const SYSEXT_LINK_PATH = '/etc/extensions/kubernetes.raw';
/** Directory the versioned images live in (systemd-sysupdate's layout, should the user add it later). */
export const SYSEXT_IMAGE_DIR = '/opt/extensions/kubernetes';

/** The versioned image name, e.g. "kubernetes-v1.30.0-x86-64.raw". Only x86-64 is generated. */
export function sysextImageName(kubernetesVersion: string): string {
  return `kubernetes-v${kubernetesVersion}-x86-64.raw`;
}

/** The default download URL for a Kubernetes version ("x.y.z", no leading v). */
export function defaultSysextUrl(kubernetesVersion: string): string {
  return `${SYSEXT_BASE_URL}/${sysextImageName(kubernetesVersion)}`;
}

/**
 * Returns the storage entries that install the Kubernetes sysext: the remote image
 * (with a sha256 verification when flatcar.sysextSha256 is set) and the activation
 * symlink. The local file name always follows the version, whatever the URL, so
 * a mirror URL does not change the on-node layout.
 * Throws when the URL is not http(s) or the sha256 is not 64 hex digits: the
 * profile rules must have rejected those already.
 */
export function kubernetesSysext(
  kubernetesVersion: string,
  flatcar: FlatcarSettings,
): { file: IgnitionFile; link: IgnitionLink } {
  if (!/^\d+\.\d+\.\d+$/.test(kubernetesVersion)) {
    throw new Error(`kubernetesSysext: version must be x.y.z, got ${JSON.stringify(kubernetesVersion)}`);
  }
  const url = flatcar.sysextUrl ?? defaultSysextUrl(kubernetesVersion);
  if (!isHttpUrl(url)) {
    throw new Error(`kubernetesSysext: sysextUrl must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  const imagePath = `${SYSEXT_IMAGE_DIR}/${sysextImageName(kubernetesVersion)}`;
  const file: IgnitionFile = { path: imagePath, contents: { source: url }, mode: 0o644 };
  if (flatcar.sysextSha256 !== undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(flatcar.sysextSha256)) {
      throw new Error('kubernetesSysext: sysextSha256 must be 64 hex digits');
    }
    file.contents.verification = { hash: `sha256-${flatcar.sysextSha256.toLowerCase()}` };
  }
  return { file, link: { path: SYSEXT_LINK_PATH, target: imagePath, hard: false } };
}

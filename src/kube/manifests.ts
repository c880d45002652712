/**
 * Upstream manifest URLs for the CNI and add-ons the init node applies. Layouts, as
 * published by each project's install instructions:
 * - Calico (manifest install): raw.githubusercontent.com/projectcalico/calico/<version>/manifests/calico.yaml
 * - Flannel: github.com/flannel-io/flannel/releases/download/<version>/kube-flannel.yml
 * - metrics-server: github.com/kubernetes-sigs/metrics-server/releases/download/<version>/components.yaml
 * - ingress-nginx, bare-metal (NodePort) flavour:
 *   raw.githubusercontent.com/kubernetes/ingress-nginx/<version>/deploy/static/provider/baremetal/deploy.yaml
 *   where <version> is a git tag such as "controller-v1.10.1".
 */
import type { AddonSpec, CniSettings } from '../profile/types.js';

/** The add-ons with a built-in upstream URL. */
export type AddonName = 'metricsServer' | 'ingressNginx';

// Versions are path segments; encoding keeps a stray "/" or "?" from changing the path.
const seg = (version: string): string => encodeURIComponent(version);

function requireVersion(what: string, version: string): string {
  if (version === '') throw new Error(`${what} has no version and no manifestUrl`);
  return seg(version);
}

/**
 * URL of the CNI manifest: manifestUrl when set, otherwise the upstream URL for the
 * plugin and version; undefined for plugin "none". Throws when a plugin has neither
 * a version nor a manifestUrl (the profile defaults always supply one).
 */
export function cniManifestUrl(cni: CniSettings): string | undefined {
  if (cni.manifestUrl) return cni.manifestUrl;
  switch (cni.plugin) {
    case 'none':
      return undefined;
    case 'calico':
      return `https://raw.githubusercontent.com/projectcalico/calico/${requireVersion('calico', cni.version)}/manifests/calico.yaml`;
    case 'flannel':
      return `https://github.com/flannel-io/flannel/releases/download/${requireVersion('flannel', cni.version)}/kube-flannel.yml`;
  }
}

/**
 * URL of an add-on's manifest: spec.manifestUrl when set, otherwise the upstream URL
 * for the add-on and spec.version. Throws when there is neither a version nor a
 * manifestUrl (the profile defaults always supply one).
 */
export function addonManifestUrl(name: AddonName, spec: AddonSpec): string {
  if (spec.manifestUrl) return spec.manifestUrl;
  switch (name) {
    case 'metricsServer':
      return `https://github.com/kubernetes-sigs/metrics-server/releases/download/${requireVersion(name, spec.version)}/components.yaml`;
    case 'ingressNginx':
      return `https://raw.githubusercontent.com/kubernetes/ingress-nginx/${requireVersion(name, spec.version)}/deploy/static/provider/baremetal/deploy.yaml`;
  }
}

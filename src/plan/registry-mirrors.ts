/**
 * Air-gapped registry layout. With images.repository set ("host[:port][/path]"), every
 * image a node pulls comes from that one registry:
 * - kubeadm's own images (kube-apiserver, etcd, coredns, pause, …) through
 *   ClusterConfiguration.imageRepository, i.e. <repository>/<name>:<tag>;
 * - images that manifests name by their upstream registry (Calico on docker.io, add-ons
 *   on registry.k8s.io, …) through containerd's hosts.toml, one per upstream registry:
 *   registry.k8s.io/<path> → <repository>/<path> (the same place kubeadm looks), and
 *   <registry>/<path> → <repository>/<registry>/<path> for the others.
 */

/** Upstream registries that get a hosts.toml pointing at the mirror. */
export const MIRRORED_REGISTRIES: readonly string[] = ['docker.io', 'ghcr.io', 'quay.io', 'registry.k8s.io'];

/** Where one upstream registry's images live on the mirror. */
export interface RegistryMirror {
  /** Upstream registry namespace as containerd names it, e.g. "docker.io". */
  registry: string;
  /** Image name prefix on the mirror, e.g. "registry.example:5000/mirror/docker.io". */
  prefix: string;
  /** containerd host URL with the API root in its path (used with override_path). */
  endpoint: string;
}

/** The mirror prefix for an upstream registry: <repository> for registry.k8s.io, <repository>/<registry> otherwise. */
export function mirrorPrefix(repository: string, registry: string): string {
  const root = repository.replace(/\/+$/, '');
  return registry === 'registry.k8s.io' ? root : `${root}/${registry}`;
}

/**
 * One entry per MIRRORED_REGISTRIES member for a mirror root such as
 * "registry.example:5000/mirror" (the profile schema guarantees that form: no scheme).
 * The endpoint is https://<host>/v2/<path>: containerd then asks for
 * /v2/<path>/<image>/manifests/<ref>, which is the registry API for <host>/<path>/<image>.
 */
export function registryMirrors(repository: string): RegistryMirror[] {
  return MIRRORED_REGISTRIES.map((registry) => {
    const prefix = mirrorPrefix(repository, registry);
    const slash = prefix.indexOf('/');
    const host = slash < 0 ? prefix : prefix.slice(0, slash);
    const path = slash < 0 ? '' : prefix.slice(slash);
    return { registry, prefix, endpoint: `https://${host}/v2${path}` };
  });
}

import type { Profile } from '../profile/types.js';
import { parseEndpoint } from './endpoint.js';
import { CONTROL_PLANE_HEALTH_TIMEOUT, extraArgs, isV1beta4, type KubeadmApiVersion } from './kubeadm-api.js';
import { apiServerVolumes, componentFlags } from './control-plane-flags.js';

/**
 * kubeadm's v1beta4 `encryptionAlgorithm` (the key type of the leaf certificates
 * and keys kubeadm makes itself) for a cluster whose CAs use `keyAlgorithm`, or
 * undefined where kubeadm's default, RSA-2048, already matches. v1beta3 has no
 * such field: on 1.30 the leaves stay RSA under an ECDSA CA, which is valid.
 */
export function kubeadmEncryptionAlgorithm(keyAlgorithm: string): string | undefined {
  return keyAlgorithm === 'ecdsa-p256' ? 'ECDSA-P256' : undefined;
}

/**
 * The ClusterConfiguration: version, endpoint, cluster name, networking, the API
 * server certificate SANs and, for an air-gapped mirror, imageRepository; the
 * control-plane components' flags (secure defaults, feature gates and the profile's
 * `kubeadm` extraArgs: a map in v1beta3, a list of {name, value} in v1beta4) and the
 * API server's hostPath volumes (its configuration files, the audit log). In v1beta3
 * it also carries apiServer.timeoutForControlPlane (v1beta4 moved that timeout to
 * Init/JoinConfiguration.timeouts); in v1beta4 an ECDSA cluster (`keyAlgorithm`, the
 * algorithm of its CA keys) also gets `encryptionAlgorithm: ECDSA-P256`, so kubeadm's
 * own leaf keys match the CAs. Throws on a malformed endpoint (a bug upstream).
 */
export function buildClusterConfiguration(api: KubeadmApiVersion, profile: Profile, keyAlgorithm: string): Record<string, unknown> {
  const c = profile.cluster;
  const apiServer: Record<string, unknown> = {
    certSANs: apiServerCertSans(profile),
    extraArgs: extraArgs(api, componentFlags(profile, 'apiServer')),
    extraVolumes: apiServerVolumes(profile),
  };
  if (!isV1beta4(api)) apiServer.timeoutForControlPlane = CONTROL_PLANE_HEALTH_TIMEOUT;
  const doc: Record<string, unknown> = {
    apiVersion: api,
    kind: 'ClusterConfiguration',
    clusterName: c.name,
    kubernetesVersion: `v${c.kubernetesVersion}`,
    controlPlaneEndpoint: c.controlPlaneEndpoint,
  };
  const repo = profile.images.repository?.replace(/\/+$/, '');
  if (repo) doc.imageRepository = repo;
  doc.networking = { podSubnet: c.podSubnet, serviceSubnet: c.serviceSubnet, dnsDomain: c.dnsDomain };
  doc.apiServer = apiServer;
  // Empty sections are left out, so kubeadm's defaults stay visible as defaults.
  for (const component of ['controllerManager', 'scheduler'] as const) {
    const flags = componentFlags(profile, component);
    if (Object.keys(flags).length > 0) doc[component] = { extraArgs: extraArgs(api, flags) };
  }
  const etcdFlags = componentFlags(profile, 'etcd');
  if (Object.keys(etcdFlags).length > 0) doc.etcd = { local: { extraArgs: extraArgs(api, etcdFlags) } };
  const encryptionAlgorithm = kubeadmEncryptionAlgorithm(keyAlgorithm);
  if (isV1beta4(api) && encryptionAlgorithm !== undefined) doc.encryptionAlgorithm = encryptionAlgorithm;
  return doc;
}

/**
 * Extra SANs for the API server certificate, sorted and without duplicates: the
 * endpoint host, the VIP when one is configured, every control plane's IP and
 * name, and the profile's kubeadm.apiServer.certSANs. Listing all control planes up front matters because every control plane
 * signs its own serving certificate from the shared CA when it joins.
 */
export function apiServerCertSans(profile: Profile): string[] {
  const sans = new Set<string>([parseEndpoint(profile.cluster.controlPlaneEndpoint).host]);
  if (profile.cluster.vip) sans.add(profile.cluster.vip.address);
  for (const n of profile.nodes) {
    if (n.role !== 'control-plane') continue;
    sans.add(n.ip);
    sans.add(n.name);
  }
  for (const san of profile.kubeadm.apiServer.certSANs) sans.add(san);
  // Plain code-unit order, not locale order, so the output is the same everywhere.
  return [...sans].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

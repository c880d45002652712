import type { Profile } from '../profile/types.js';
import { parseEndpoint } from './endpoint.js';
import { CONTROL_PLANE_HEALTH_TIMEOUT, isV1beta4, type KubeadmApiVersion } from './kubeadm-api.js';

/**
 * The ClusterConfiguration: version, endpoint, cluster name, networking, the API
 * server certificate SANs and, for an air-gapped mirror, imageRepository. In v1beta3
 * it also carries apiServer.timeoutForControlPlane (v1beta4 moved that timeout to
 * Init/JoinConfiguration.timeouts). Throws on a malformed endpoint (a bug upstream).
 */
export function buildClusterConfiguration(api: KubeadmApiVersion, profile: Profile): Record<string, unknown> {
  const c = profile.cluster;
  const apiServer: Record<string, unknown> = { certSANs: apiServerCertSans(profile) };
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
  return doc;
}

/**
 * Extra SANs for the API server certificate, sorted and without duplicates: the
 * endpoint host, the VIP when one is configured, and every control plane's IP and
 * name. Listing all control planes up front matters because every control plane
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
  // Plain code-unit order, not locale order, so the output is the same everywhere.
  return [...sans].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

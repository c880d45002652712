import type { Profile, ProfileNode } from '../profile/types.js';
import { assertBootstrapToken, assertCaCertHash } from './bootstrap-token.js';
import { localApiEndpoint } from './init-configuration.js';
import { CONTROL_PLANE_HEALTH_TIMEOUT, DISCOVERY_TIMEOUT, isV1beta4, KUBEADM_PATCHES_DIR, nodeRegistration, type KubeadmApiVersion } from './kubeadm-api.js';

/**
 * The JoinConfiguration for every node except the first control plane: token
 * discovery against controlPlaneEndpoint pinned to the CA hash, and the node's
 * registration. Control planes also get controlPlane.localAPIEndpoint, and never a
 * certificateKey: the shared CAs are already on their disk, so kubeadm has nothing
 * to download. The discovery timeout sits in discovery.timeout (v1beta3) or
 * timeouts.discovery (v1beta4). Throws on a malformed token, hash or endpoint.
 */
export function buildJoinConfiguration(
  api: KubeadmApiVersion,
  profile: Profile,
  node: ProfileNode,
  token: string,
  caCertHash: string,
): Record<string, unknown> {
  assertBootstrapToken(token);
  assertCaCertHash(caCertHash);
  const discovery: Record<string, unknown> = {
    bootstrapToken: {
      apiServerEndpoint: profile.cluster.controlPlaneEndpoint,
      token,
      caCertHashes: [caCertHash],
    },
  };
  if (!isV1beta4(api)) discovery.timeout = DISCOVERY_TIMEOUT;
  const doc: Record<string, unknown> = {
    apiVersion: api,
    kind: 'JoinConfiguration',
    discovery,
    nodeRegistration: nodeRegistration(api, node),
    patches: { directory: KUBEADM_PATCHES_DIR },
  };
  const controlPlane = node.role === 'control-plane';
  if (controlPlane) doc.controlPlane = { localAPIEndpoint: localApiEndpoint(profile, node) };
  if (isV1beta4(api)) {
    // A joining control plane waits for its own API server too; v1beta3 took that
    // timeout from the cluster's ClusterConfiguration instead.
    doc.timeouts = controlPlane
      ? { controlPlaneComponentHealthCheck: CONTROL_PLANE_HEALTH_TIMEOUT, discovery: DISCOVERY_TIMEOUT }
      : { discovery: DISCOVERY_TIMEOUT };
  }
  return doc;
}

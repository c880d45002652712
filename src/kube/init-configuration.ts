import type { Profile, ProfileNode } from '../profile/types.js';
import { BOOTSTRAP_TOKEN_GROUP, BOOTSTRAP_TOKEN_USAGES, assertBootstrapToken, tokenTtl } from './bootstrap-token.js';
import { parseEndpoint } from './endpoint.js';
import { CONTROL_PLANE_HEALTH_TIMEOUT, isV1beta4, KUBEADM_PATCHES_DIR, nodeRegistration, type KubeadmApiVersion } from './kubeadm-api.js';

/**
 * The InitConfiguration for the first control plane: the pre-generated bootstrap
 * token (so other nodes can join without a printed join line), the local API
 * endpoint on the node's profile IP, and its node registration. In v1beta4 it also
 * carries timeouts.controlPlaneComponentHealthCheck (v1beta3 keeps that timeout in
 * ClusterConfiguration). Throws on a malformed token or endpoint (bugs upstream).
 */
export function buildInitConfiguration(api: KubeadmApiVersion, profile: Profile, node: ProfileNode, token: string): Record<string, unknown> {
  assertBootstrapToken(token);
  const doc: Record<string, unknown> = {
    apiVersion: api,
    kind: 'InitConfiguration',
    bootstrapTokens: [
      {
        token,
        ttl: tokenTtl(profile.cluster.token.ttl),
        usages: [...BOOTSTRAP_TOKEN_USAGES],
        groups: [BOOTSTRAP_TOKEN_GROUP],
      },
    ],
    localAPIEndpoint: localApiEndpoint(profile, node),
    nodeRegistration: nodeRegistration(api, node),
    patches: { directory: KUBEADM_PATCHES_DIR },
  };
  if (isV1beta4(api)) doc.timeouts = { controlPlaneComponentHealthCheck: CONTROL_PLANE_HEALTH_TIMEOUT };
  return doc;
}

/**
 * {advertiseAddress, bindPort} for a control plane: the node's profile IP, and the
 * port of controlPlaneEndpoint (6443 when it names none). The endpoint port is the
 * API server's own port here because the endpoint is a control-plane IP or a VIP
 * that lands on one, not a port-translating load balancer.
 */
export function localApiEndpoint(profile: Profile, node: ProfileNode): { advertiseAddress: string; bindPort: number } {
  return { advertiseAddress: node.ip, bindPort: parseEndpoint(profile.cluster.controlPlaneEndpoint).port };
}

/**
 * The NO_PROXY list every node uses with proxy: traffic that must never go through the
 * proxy (the node's own loopback, the node network, the pod and service subnets, the
 * cluster's DNS names and the API endpoint), then the profile's own entries. Go
 * (containerd, kubelet, kubeadm, kubectl) and curl ≥ 7.86 match CIDRs and ".suffix" entries.
 */
import { parseEndpoint } from '../kube/endpoint.js';

/** What the automatic entries are made of. */
export interface NoProxyInput {
  nodeCidr: string;
  podSubnet: string;
  serviceSubnet: string;
  dnsDomain: string;
  controlPlaneEndpoint: string;
  /** proxy.noProxy from the profile, appended after the automatic entries. */
  extra: readonly string[];
}

/** The final list, in a fixed order without duplicates. */
export function noProxyList(input: NoProxyInput): string[] {
  const entries = [
    'localhost',
    '127.0.0.1',
    '::1',
    input.nodeCidr,
    input.podSubnet,
    input.serviceSubnet,
    // Service names: kubernetes.default.svc and <svc>.<ns>.svc.cluster.local.
    '.svc',
    `.${input.dnsDomain}`,
    // Empty only in a profile without a control plane, which the rules refuse.
    ...(input.controlPlaneEndpoint === '' ? [] : [parseEndpoint(input.controlPlaneEndpoint).host]),
    ...input.extra,
  ];
  return [...new Set(entries)];
}

import type { HostsEntries, Profile, ProfileNode } from '../profile/types.js';
import { parseEndpoint } from '../kube/endpoint.js';
import { parseIpv4 } from '../profile/ipv4.js';

/** Up to this many nodes, network.hostsEntries "auto" lists every node (the lab guide's /etc/hosts). */
export const AUTO_HOSTS_ENTRIES_LIMIT = 50;

/** network.hostsEntries with "auto" decided by the profile's node count. */
export function resolvedHostsEntries(profile: Profile): Exclude<HostsEntries, 'auto'> {
  const mode = profile.network.hostsEntries;
  if (mode !== 'auto') return mode;
  return profile.nodes.length <= AUTO_HOSTS_ENTRIES_LIMIT ? 'all' : 'control-planes';
}

/** One line of the managed /etc/hosts block. */
export interface HostsEntry {
  ip: string;
  name: string;
}

/**
 * The entries `node` keeps in its managed /etc/hosts block, or undefined for "none"
 * (no block at all):
 * - "all": every node of the profile;
 * - "control-planes": the control planes, and the node itself (sudo and kubeadm's
 *   preflight look its own name up), so a worker's list does not grow with the cluster.
 * Either way, when the endpoint is a DNS name on cluster.vip, that name with the VIP,
 * so nodes reach the API by name without DNS. Never throws for a validated profile.
 */
export function hostsEntries(profile: Profile, node: ProfileNode): HostsEntry[] | undefined {
  const mode = resolvedHostsEntries(profile);
  if (mode === 'none') return undefined;
  const nodes = mode === 'all' ? profile.nodes : controlPlanesAnd(profile, node);
  const entries = nodes.map((n) => ({ ip: n.ip, name: n.name }));
  const endpoint = parseEndpoint(profile.cluster.controlPlaneEndpoint).host;
  const vip = profile.cluster.vip?.address;
  if (vip !== undefined && parseIpv4(endpoint) === undefined && !endpoint.includes(':') && !entries.some((e) => e.name === endpoint)) {
    entries.push({ ip: vip, name: endpoint });
  }
  return entries;
}

/** Per node list: its control planes with their positions, and every node's position by name. */
interface NodeIndex {
  size: number;
  controlPlanes: { node: ProfileNode; at: number }[];
  positionOf: Map<string, number>;
}

const nodeIndexes = new WeakMap<readonly ProfileNode[], NodeIndex>();

/**
 * The control planes and `node`, in profile order: what filtering the node list for
 * them gives, without walking every node once per node (10,000 nodes made that
 * 10^8 steps). The index is built once per node list (again if its length changed).
 */
function controlPlanesAnd(profile: Profile, node: ProfileNode): ProfileNode[] {
  let index = nodeIndexes.get(profile.nodes);
  if (index === undefined || index.size !== profile.nodes.length) {
    index = { size: profile.nodes.length, controlPlanes: [], positionOf: new Map() };
    for (const [at, n] of profile.nodes.entries()) {
      if (n.role === 'control-plane') index.controlPlanes.push({ node: n, at });
      if (!index.positionOf.has(n.name)) index.positionOf.set(n.name, at);
    }
    nodeIndexes.set(profile.nodes, index);
  }
  const own = index.positionOf.get(node.name);
  const result: ProfileNode[] = [];
  let placed = own === undefined || node.role === 'control-plane';
  for (const cp of index.controlPlanes) {
    if (!placed && own !== undefined && own < cp.at) {
      result.push(profile.nodes[own]!);
      placed = true;
    }
    result.push(cp.node);
  }
  if (!placed) result.push(profile.nodes[own!]!);
  return result;
}

/**
 * The capacity planner: pods needed for a request rate (pods-needed.ts), and for each
 * node type of the profile how many pods fit on one node at the target utilisation
 * (60–70 % of allocatable) and so how many such nodes the service takes. Pure.
 */
import type { Profile, ProfileNode } from '../profile/types.js';
import { allocatable, EVICTION_HARD_MEMORY_BYTES, type NodeSize, type Resources } from './kubelet-reserved.js';
import { nodeReservations, nodeSize, type Reservation } from './node-reservations.js';
import { ceilClean, podsNeeded, type Demand, type DemandInput } from './pods-needed.js';

/** The utilisation band nodes are planned for: the low end gives the most nodes. */
export const TARGET_UTILISATION = { low: 0.6, high: 0.7 } as const;

/** One pod's requests. */
export interface PodSize {
  cpuMillicores: number;
  memoryBytes: number;
}

/** Nodes of the same role, size and reservations. */
export interface NodeType {
  role: ProfileNode['role'];
  nodes: string[];
  size: NodeSize;
  systemReserved: Reservation;
  kubeReserved: Reservation;
  evictionMemoryBytes: number;
  allocatable: Resources;
  maxPods: number;
}

/** How one node type serves the demand at one utilisation. */
export interface Fit {
  utilisation: number;
  podsPerNode: number;
  /** What caps podsPerNode. */
  limitedBy: 'cpu' | 'memory' | 'maxPods';
  /** Undefined when not even one pod fits a node. */
  nodesNeeded?: number;
}

/** One row group of the plan. */
export interface NodeTypePlan extends NodeType {
  /** At the high end of the band (fewest nodes), then the low end. */
  fits: [Fit, Fit];
  /** How many nodes of this type the profile has. */
  inProfile: number;
}

/** The whole plan. */
export interface CapacityPlan {
  demand: Demand;
  pod: PodSize;
  types: NodeTypePlan[];
}

/** One node as a node type of its own: its size, reservations and what is left for pods. Throws (a bug) without a capacity. */
export function nodeTypeOf(profile: Profile, node: ProfileNode): NodeType {
  if (node.capacity === undefined) throw new Error(`bug: node ${node.name} has no capacity`);
  const size = nodeSize(node.capacity);
  const r = nodeReservations(profile, node);
  return {
    role: node.role,
    nodes: [node.name],
    size,
    systemReserved: r.systemReserved,
    kubeReserved: r.kubeReserved,
    evictionMemoryBytes: EVICTION_HARD_MEMORY_BYTES,
    allocatable: allocatable(size, r.systemReserved.amounts, r.kubeReserved.amounts),
    maxPods: profile.kubelet.maxPods,
  };
}

/**
 * The node types that run workloads: workers with a capacity, or the control planes when
 * the profile has no worker. Nodes that share role, size and reservations form one type,
 * in profile order. Empty when none of them has a capacity.
 */
export function nodeTypes(profile: Profile): NodeType[] {
  const hasWorker = profile.nodes.some((n) => n.role === 'worker');
  const types = new Map<string, NodeType>();
  for (const node of profile.nodes) {
    if (node.capacity === undefined || (hasWorker && node.role !== 'worker')) continue;
    const type = nodeTypeOf(profile, node);
    const key = JSON.stringify([type.role, type.size, type.systemReserved.amounts, type.kubeReserved.amounts]);
    const known = types.get(key);
    if (known) known.nodes.push(node.name);
    else types.set(key, type);
  }
  return [...types.values()];
}

/** Pods of `pod` that fit one node of `type` when only `utilisation` of its allocatable is used. */
export function fitAt(type: NodeType, pod: PodSize, pods: number, utilisation: number): Fit {
  // Whole millicores and bytes first, so 3820m × 0.7 is 2674 and not 2673.9999999999995.
  const byCpu = Math.floor(Math.round(type.allocatable.cpuMillicores * utilisation * 1e6) / 1e6 / pod.cpuMillicores);
  const byMemory = Math.floor(Math.round(type.allocatable.memoryBytes * utilisation) / pod.memoryBytes);
  const candidates: Array<[Fit['limitedBy'], number]> = [['cpu', byCpu], ['memory', byMemory], ['maxPods', type.maxPods]];
  const [limitedBy, podsPerNode] = candidates.reduce((a, b) => (b[1] < a[1] ? b : a));
  return { utilisation, podsPerNode, limitedBy, ...(podsPerNode > 0 ? { nodesNeeded: ceilClean(pods / podsPerNode) } : {}) };
}

/** The plan for a demand and pod size over the given node types. */
export function planCapacity(demand: DemandInput, pod: PodSize, types: readonly NodeType[]): CapacityPlan {
  const d = podsNeeded(demand);
  return {
    demand: d,
    pod,
    types: types.map((type) => ({
      ...type,
      fits: [fitAt(type, pod, d.pods, TARGET_UTILISATION.high), fitAt(type, pod, d.pods, TARGET_UTILISATION.low)],
      inProfile: type.nodes.length,
    })),
  };
}

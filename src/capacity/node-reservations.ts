/**
 * The kubelet reservations a node gets: the profile's kubelet.systemReserved and
 * kubelet.kubeReserved when set (cluster-wide, as before), otherwise defaults computed
 * from the node's capacity (nodes[].capacity or nodeDefaults.capacity). A node without
 * capacity and a profile without reservations reserve nothing, as kubelet's own default.
 */
import type { NodeCapacity, Profile, ProfileNode } from '../profile/types.js';
import { cpuMillicores, formatCpu, formatMemory, memoryBytes } from '../kube/quantity.js';
import { kubeReservedFor, SYSTEM_RESERVED_DEFAULT, type NodeSize, type Resources } from './kubelet-reserved.js';

/** Where a reservation comes from. */
export type ReservationSource = 'profile' | 'capacity' | 'none';

/** One reservation (systemReserved or kubeReserved) of one node. */
export interface Reservation {
  source: ReservationSource;
  /** CPU and memory in numbers (absent keys count as 0). */
  amounts: Resources;
  /** As KubeletConfiguration wants it, e.g. {cpu: "80m", memory: "2663Mi"}. */
  quantities: Record<string, string>;
}

/** Both reservations of a node. */
export interface NodeReservations {
  systemReserved: Reservation;
  kubeReserved: Reservation;
}

/** A validated capacity in numbers. */
export function nodeSize(capacity: NodeCapacity): NodeSize {
  return { cpuMillicores: cpuMillicores(capacity.cpu) ?? 0, memoryBytes: memoryBytes(capacity.memory) ?? 0 };
}

function fromProfile(quantities: Record<string, string>): Reservation {
  return {
    source: 'profile',
    amounts: {
      cpuMillicores: quantities['cpu'] === undefined ? 0 : (cpuMillicores(quantities['cpu']) ?? 0),
      memoryBytes: quantities['memory'] === undefined ? 0 : (memoryBytes(quantities['memory']) ?? 0),
    },
    quantities,
  };
}

function computed(amounts: Resources): Reservation {
  return { source: 'capacity', amounts, quantities: { cpu: formatCpu(amounts.cpuMillicores), memory: formatMemory(amounts.memoryBytes) } };
}

const NONE: Reservation = { source: 'none', amounts: { cpuMillicores: 0, memoryBytes: 0 }, quantities: {} };

/** The node's reservations: the profile's where set, else computed from its capacity, else none. */
export function nodeReservations(profile: Profile, node: ProfileNode): NodeReservations {
  const { systemReserved, kubeReserved } = profile.kubelet;
  const size = node.capacity === undefined ? undefined : nodeSize(node.capacity);
  return {
    systemReserved:
      Object.keys(systemReserved).length > 0 ? fromProfile(systemReserved) : size ? computed(SYSTEM_RESERVED_DEFAULT) : NONE,
    kubeReserved: Object.keys(kubeReserved).length > 0 ? fromProfile(kubeReserved) : size ? computed(kubeReservedFor(size)) : NONE,
  };
}

/**
 * The reservations that differ per node and so cannot live in the cluster-wide
 * KubeletConfiguration: those computed from capacity. Empty when there are none.
 */
export function computedReservations(profile: Profile, node: ProfileNode): Partial<Record<'systemReserved' | 'kubeReserved', Record<string, string>>> {
  const r = nodeReservations(profile, node);
  return {
    ...(r.systemReserved.source === 'capacity' ? { systemReserved: r.systemReserved.quantities } : {}),
    ...(r.kubeReserved.source === 'capacity' ? { kubeReserved: r.kubeReserved.quantities } : {}),
  };
}

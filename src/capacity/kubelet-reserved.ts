/**
 * Default kubelet reservations for a node of a given size: the tiered formula the big
 * managed Kubernetes services use for kubeReserved (GKE's published tiers; AKS and EKS
 * use the same shape), a fixed systemReserved for the operating system's own daemons,
 * and kubelet's default hard-eviction threshold for memory. The result is what pods
 * can request on the node (allocatable).
 */

const MI = 2 ** 20;
const GI = 2 ** 30;

/** A node's size: CPU in millicores, memory in bytes. */
export interface NodeSize {
  cpuMillicores: number;
  memoryBytes: number;
}

/** Reserved or allocatable amounts of CPU (millicores) and memory (bytes). */
export type Resources = NodeSize;

/** systemReserved default: sshd, journald, udev and the rest of the OS. */
export const SYSTEM_RESERVED_DEFAULT: Resources = { cpuMillicores: 100, memoryBytes: 100 * MI };

/** kubelet's default evictionHard memory.available (100Mi): never allocatable. */
export const EVICTION_HARD_MEMORY_BYTES = 100 * MI;

/** Sums `size` cut into tiers of [width, fraction]; the last tier is open-ended (width Infinity). */
function tiered(size: number, tiers: ReadonlyArray<readonly [number, number]>): number {
  let rest = size;
  let total = 0;
  for (const [width, fraction] of tiers) {
    const part = Math.min(rest, width);
    total += part * fraction;
    rest -= part;
    if (rest <= 0) break;
  }
  return total;
}

// CPU: 6 % of the first core, 1 % of the second, 0.5 % of the third and fourth, 0.25 % of the rest.
const CPU_TIERS = [[1000, 0.06], [1000, 0.01], [2000, 0.005], [Infinity, 0.0025]] as const;
// Memory: 25 % of the first 4 GiB, 20 % of the next 4, 10 % of the next 8, 6 % of the next 112, 2 % above 128 GiB.
const MEMORY_TIERS = [[4 * GI, 0.25], [4 * GI, 0.2], [8 * GI, 0.1], [112 * GI, 0.06], [Infinity, 0.02]] as const;
// Below 1 GiB the tiers leave kubelet and containerd too little; GKE reserves a flat 255 MiB.
const SMALL_NODE_MEMORY = { below: GI, reserve: 255 * MI } as const;

/**
 * kubeReserved for a node of this size (kubelet, containerd): CPU rounded up to whole
 * millicores, memory rounded up to whole MiB. 4 cores / 16 GiB → 80m and 2663Mi.
 */
export function kubeReservedFor(size: NodeSize): Resources {
  const memory =
    size.memoryBytes < SMALL_NODE_MEMORY.below ? SMALL_NODE_MEMORY.reserve : tiered(size.memoryBytes, MEMORY_TIERS);
  return {
    cpuMillicores: Math.ceil(tiered(size.cpuMillicores, CPU_TIERS) - 1e-9),
    memoryBytes: Math.ceil(memory / MI - 1e-9) * MI,
  };
}

/** What is left for pods: capacity minus both reservations and, for memory, the eviction threshold (never below 0). */
export function allocatable(size: NodeSize, systemReserved: Resources, kubeReserved: Resources): Resources {
  return {
    cpuMillicores: Math.max(0, size.cpuMillicores - systemReserved.cpuMillicores - kubeReserved.cpuMillicores),
    memoryBytes: Math.max(0, size.memoryBytes - systemReserved.memoryBytes - kubeReserved.memoryBytes - EVICTION_HARD_MEMORY_BYTES),
  };
}

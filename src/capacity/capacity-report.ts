/** The capacity plan as text (a table per node type) and as JSON (`--json`). Pure. */
import { formatCpu, formatMemory } from '../kube/quantity.js';
import type { CapacityPlan, Fit, NodeTypePlan } from './capacity-plan.js';
import type { Reservation } from './node-reservations.js';

const SOURCE: Record<Reservation['source'], string> = {
  profile: 'kubelet.* in the profile',
  capacity: 'default from capacity',
  none: 'none set',
};

function percent(u: number): string {
  return `${Math.round(u * 100)} %`;
}

function fitLine(f: Fit): string {
  const nodes = f.nodesNeeded === undefined ? 'one pod does not fit a node' : `${f.nodesNeeded} node${f.nodesNeeded === 1 ? '' : 's'}`;
  return `  at ${percent(f.utilisation)}: ${f.podsPerNode} pods per node (limited by ${f.limitedBy}) -> ${nodes}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 2))).join('')}`.trimEnd());
}

function typeSection(t: NodeTypePlan, index: number): string[] {
  const [high, low] = t.fits;
  const most = low.nodesNeeded ?? high.nodesNeeded;
  const verdict =
    most === undefined
      ? `  the profile has ${t.inProfile}; a bigger node type is needed`
      : t.inProfile >= most
        ? `  the profile has ${t.inProfile}: enough`
        : `  the profile has ${t.inProfile}: ${most - t.inProfile} short at ${percent(low.utilisation)}`;
  return [
    `Node type ${index + 1}: ${t.role}, ${formatCpu(t.size.cpuMillicores)} CPU / ${formatMemory(t.size.memoryBytes)} (${t.nodes.join(', ')})`,
    ...table([
      ['', 'CPU', 'memory', ''],
      ['capacity', formatCpu(t.size.cpuMillicores), formatMemory(t.size.memoryBytes), ''],
      ['systemReserved', formatCpu(t.systemReserved.amounts.cpuMillicores), formatMemory(t.systemReserved.amounts.memoryBytes), `(${SOURCE[t.systemReserved.source]})`],
      ['kubeReserved', formatCpu(t.kubeReserved.amounts.cpuMillicores), formatMemory(t.kubeReserved.amounts.memoryBytes), `(${SOURCE[t.kubeReserved.source]})`],
      ['evictionHard', '-', formatMemory(t.evictionMemoryBytes), '(kubelet default memory.available)'],
      ['allocatable', formatCpu(t.allocatable.cpuMillicores), formatMemory(t.allocatable.memoryBytes), `(maxPods ${t.maxPods})`],
    ]),
    fitLine(high),
    fitLine(low),
    verdict,
  ];
}

/** The plan as the text `gen-userdata capacity` prints. */
export function capacityText(plan: CapacityPlan): string {
  const d = plan.demand;
  const lines = [
    `Pods needed: ${d.pods} = ${d.formula}`,
    ...(d.inFlight !== undefined ? [`Requests in flight: ${round(d.inFlight)} (Little's law: req/s × latency), ${round(d.inFlight / d.pods)} per pod`] : []),
    `Per pod: ${formatCpu(plan.pod.cpuMillicores)} CPU, ${formatMemory(plan.pod.memoryBytes)} memory; nodes planned at 60-70 % of allocatable; each node type below as if it served all pods alone`,
  ];
  plan.types.forEach((t, i) => lines.push('', ...typeSection(t, i)));
  return `${lines.join('\n')}\n`;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function resources(cpuMillicores: number, memoryBytes: number): { cpu: string; memory: string; cpuMillicores: number; memoryBytes: number } {
  return { cpu: formatCpu(cpuMillicores), memory: formatMemory(memoryBytes), cpuMillicores, memoryBytes };
}

/** The plan as the JSON `gen-userdata capacity --json` prints (stable key order). */
export function capacityJson(plan: CapacityPlan): string {
  const doc = {
    pods: plan.demand.pods,
    formula: plan.demand.formula,
    ...(plan.demand.inFlight !== undefined ? { inFlight: plan.demand.inFlight } : {}),
    pod: resources(plan.pod.cpuMillicores, plan.pod.memoryBytes),
    nodeTypes: plan.types.map((t) => ({
      role: t.role,
      nodes: t.nodes,
      capacity: resources(t.size.cpuMillicores, t.size.memoryBytes),
      systemReserved: { source: t.systemReserved.source, ...resources(t.systemReserved.amounts.cpuMillicores, t.systemReserved.amounts.memoryBytes) },
      kubeReserved: { source: t.kubeReserved.source, ...resources(t.kubeReserved.amounts.cpuMillicores, t.kubeReserved.amounts.memoryBytes) },
      evictionHardMemoryBytes: t.evictionMemoryBytes,
      allocatable: resources(t.allocatable.cpuMillicores, t.allocatable.memoryBytes),
      maxPods: t.maxPods,
      fits: t.fits,
      inProfile: t.inProfile,
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

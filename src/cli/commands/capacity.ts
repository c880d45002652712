import type { Profile } from '../../profile/types.js';
import { cpuMillicores, memoryBytes } from '../../kube/quantity.js';
import { nodeTypeOf, nodeTypes, planCapacity, type NodeType } from '../../capacity/capacity-plan.js';
import { capacityJson, capacityText } from '../../capacity/capacity-report.js';
import { locateInProfile } from '../../profile/load-profile.js';
import { readRegularFile } from '../read-regular-file.js';
import { readProfile } from '../read-profile.js';
import { EXIT, fail } from '../report.js';
import { UsageError } from '../load-templates.js';

/** Options of `gen-userdata capacity`. */
export interface CapacityOptions {
  profile: string;
  qps: number;
  latencyMs?: number;
  perPodRps?: number;
  perPodConcurrency?: number;
  buffer: number;
  cpuPerPod: string;
  memoryPerPod: string;
  /** Plan for this node size instead of the profile's capacities (both or neither). */
  nodeCpu?: string;
  nodeMemory?: string;
  json: boolean;
}

function positive(name: string, value: number | undefined, min = 0): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value <= min) throw new UsageError(`${name} must be a number above ${min}`);
}

function quantityOption(name: string, value: string, parse: (q: string) => number | undefined): number {
  const n = parse(value);
  if (n === undefined || n <= 0) throw new UsageError(`${name} ${JSON.stringify(value)} is not a positive Kubernetes quantity such as 250m, 2, 256Mi or 16Gi`);
  return n;
}

/** The node type --node-cpu/--node-memory describe, with the profile's reservation rules. */
function commandLineType(profile: Profile, cpu: string, memory: string): NodeType {
  return nodeTypeOf(profile, { name: '--node-cpu/--node-memory', role: 'worker', ip: '', arch: 'auto', capacity: { cpu, memory } });
}

/**
 * Prints how many pods a request rate needs and, per node type of the profile, how many
 * nodes that takes at 60–70 % utilisation. Exit 0; 1 for an invalid profile or one with
 * no capacity to plan with; 2 (UsageError) for bad flags.
 */
export function runCapacity(opts: CapacityOptions): number {
  positive('--qps', opts.qps);
  positive('--latency-ms', opts.latencyMs);
  positive('--per-pod-rps', opts.perPodRps);
  positive('--per-pod-concurrency', opts.perPodConcurrency);
  if (!Number.isFinite(opts.buffer) || opts.buffer < 1) throw new UsageError('--buffer must be a number of at least 1 (1.3 = 30 % headroom)');
  if ((opts.perPodRps === undefined) === (opts.perPodConcurrency === undefined)) {
    throw new UsageError('give exactly one of --per-pod-rps (requests per second one pod sustains) and --per-pod-concurrency (requests one pod serves at once)');
  }
  if (opts.perPodConcurrency !== undefined && opts.latencyMs === undefined) throw new UsageError('--per-pod-concurrency needs --latency-ms');
  if ((opts.nodeCpu === undefined) !== (opts.nodeMemory === undefined)) throw new UsageError('give both --node-cpu and --node-memory, or neither');
  const pod = {
    cpuMillicores: quantityOption('--cpu-per-pod', opts.cpuPerPod, cpuMillicores),
    memoryBytes: quantityOption('--memory-per-pod', opts.memoryPerPod, memoryBytes),
  };
  if (opts.nodeCpu !== undefined) quantityOption('--node-cpu', opts.nodeCpu, cpuMillicores);
  if (opts.nodeMemory !== undefined) quantityOption('--node-memory', opts.nodeMemory, memoryBytes);

  const profile = readProfile(opts.profile);
  if (!profile.ok) return fail(profile.diagnostics);
  const types =
    opts.nodeCpu !== undefined && opts.nodeMemory !== undefined
      ? [commandLineType(profile.value, opts.nodeCpu, opts.nodeMemory)]
      : nodeTypes(profile.value);
  if (types.length === 0) {
    const read = readRegularFile(profile.file);
    const pos = read.ok ? locateInProfile(read.text, '/nodes') : { line: 0, col: 0 };
    return fail([{
      severity: 'error',
      code: 'no-capacity',
      path: '/nodes',
      message: 'no node that runs workloads has a capacity: set nodes[].capacity or nodeDefaults.capacity ({cpu: "4", memory: "16Gi"}), or pass --node-cpu and --node-memory',
      ...pos,
      file: profile.file,
    }]);
  }
  const plan = planCapacity(
    {
      qps: opts.qps,
      buffer: opts.buffer,
      ...(opts.latencyMs !== undefined ? { latencyMs: opts.latencyMs } : {}),
      ...(opts.perPodRps !== undefined ? { perPodRps: opts.perPodRps } : {}),
      ...(opts.perPodConcurrency !== undefined ? { perPodConcurrency: opts.perPodConcurrency } : {}),
    },
    pod,
    types,
  );
  process.stdout.write(opts.json ? capacityJson(plan) : capacityText(plan));
  return EXIT.ok;
}

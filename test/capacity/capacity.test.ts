// Capacity arithmetic against hand-computed cases (docs/capacity.md shows the same numbers).
import t from 'tap';
import { cpuMillicores, formatCpu, formatMemory, memoryBytes } from '../../src/kube/quantity.js';
import { allocatable, kubeReservedFor, SYSTEM_RESERVED_DEFAULT } from '../../src/capacity/kubelet-reserved.js';
import { podsNeeded } from '../../src/capacity/pods-needed.js';
import { fitAt, nodeTypes, planCapacity } from '../../src/capacity/capacity-plan.js';
import { computedReservations, nodeReservations } from '../../src/capacity/node-reservations.js';
import { loadProfile } from '../../src/profile/load-profile.js';
import type { Profile } from '../../src/profile/types.js';

const MI = 2 ** 20;
const GI = 2 ** 30;

t.test('quantities', async (t) => {
  t.equal(cpuMillicores('250m'), 250);
  t.equal(cpuMillicores('1.5'), 1500);
  t.equal(cpuMillicores(4), 4000);
  t.equal(cpuMillicores('0.3'), 300, 'no floating-point dust');
  t.equal(memoryBytes('256Mi'), 256 * MI);
  t.equal(memoryBytes('16Gi'), 16 * GI);
  t.equal(memoryBytes('1G'), 1e9);
  t.equal(cpuMillicores('4 cores'), undefined);
  t.equal(formatCpu(4000), '4');
  t.equal(formatCpu(80), '80m');
  t.equal(formatMemory(16 * GI), '16Gi');
  t.equal(formatMemory(2663 * MI), '2663Mi');
  t.equal(formatMemory(1e9), '954Mi', 'a decimal gigabyte rounds up to whole MiB');
});

t.test('kubeReserved by the tiered formula', async (t) => {
  // 4 cores: 6 % of 1000m + 1 % of 1000m + 0.5 % of 2000m = 60 + 10 + 10 = 80m.
  // 16 GiB: 25 % of 4 GiB (1024Mi) + 20 % of 4 GiB (819.2Mi) + 10 % of 8 GiB (819.2Mi) = 2662.4Mi → 2663Mi.
  t.same(kubeReservedFor({ cpuMillicores: 4000, memoryBytes: 16 * GI }), { cpuMillicores: 80, memoryBytes: 2663 * MI });
  // 1 core: 60m. 512 MiB is below 1 GiB: a flat 255Mi.
  t.same(kubeReservedFor({ cpuMillicores: 1000, memoryBytes: 512 * MI }), { cpuMillicores: 60, memoryBytes: 255 * MI });
  // 2 cores: 60 + 10 = 70m. 4 GiB: 25 % = 1024Mi.
  t.same(kubeReservedFor({ cpuMillicores: 2000, memoryBytes: 4 * GI }), { cpuMillicores: 70, memoryBytes: 1024 * MI });
  // 8 cores: 80 + 0.25 % of 4000m = 90m. 32 GiB: 2662.4 + 6 % of 16 GiB (983.04Mi) = 3645.44 → 3646Mi.
  t.same(kubeReservedFor({ cpuMillicores: 8000, memoryBytes: 32 * GI }), { cpuMillicores: 90, memoryBytes: 3646 * MI });
  // 64 cores: 80 + 0.25 % of 60000m = 230m. 256 GiB: 2662.4 + 6 % of 112 GiB (6881.28) + 2 % of 128 GiB (2621.44) = 12165.12 → 12166Mi.
  t.same(kubeReservedFor({ cpuMillicores: 64000, memoryBytes: 256 * GI }), { cpuMillicores: 230, memoryBytes: 12166 * MI });
  // 2.5 cores: 60 + 10 + 0.5 % of 500m = 72.5 → 73m (rounded up).
  t.equal(kubeReservedFor({ cpuMillicores: 2500, memoryBytes: 4 * GI }).cpuMillicores, 73);
});

t.test('allocatable subtracts both reservations and the eviction threshold', async (t) => {
  const size = { cpuMillicores: 4000, memoryBytes: 16 * GI };
  // 4000 − 100 − 80 = 3820m; 16384 − 100 − 2663 − 100 = 13521Mi.
  t.same(allocatable(size, SYSTEM_RESERVED_DEFAULT, kubeReservedFor(size)), { cpuMillicores: 3820, memoryBytes: 13521 * MI });
  t.same(allocatable({ cpuMillicores: 100, memoryBytes: 100 * MI }, SYSTEM_RESERVED_DEFAULT, kubeReservedFor({ cpuMillicores: 100, memoryBytes: 100 * MI })), { cpuMillicores: 0, memoryBytes: 0 }, 'never negative');
});

t.test('pods needed: the guide example with corrected units', async (t) => {
  // 1000 req/s, 200 ms, 50 req/s per pod, buffer 1.3. The guide's expression
  // ceil(1000 × 200 / 1000 / 50 × 1.3) = ceil(5.2) = 6 divides 200 requests in flight by a rate.
  // With P in req/s the latency cancels: ceil(1000 / 50 × 1.3) = ceil(26) = 26, not 27.
  const rps = podsNeeded({ qps: 1000, latencyMs: 200, perPodRps: 50, buffer: 1.3 });
  t.equal(rps.pods, 26);
  t.equal(rps.inFlight, 200);
  // The guide's expression is right when P is requests one pod serves at once: 200 / 10 × 1.3 = 26.
  t.equal(podsNeeded({ qps: 1000, latencyMs: 200, perPodConcurrency: 10, buffer: 1.3 }).pods, 26);
  t.equal(podsNeeded({ qps: 1000, latencyMs: 200, perPodConcurrency: 50, buffer: 1.3 }).pods, 6, 'the guide number, with its P read as concurrency');
  // 250 / 40 × 1.0 = 6.25 → 7; 120 / 40 × 1.3 = 3.9 → 4; 3 / 1 × 1 = 3 exactly.
  t.equal(podsNeeded({ qps: 250, perPodRps: 40, buffer: 1 }).pods, 7);
  t.equal(podsNeeded({ qps: 120, perPodRps: 40, buffer: 1.3 }).pods, 4);
  t.equal(podsNeeded({ qps: 3, perPodRps: 1, buffer: 1 }).pods, 3);
  // 0.1 + 0.2 style dust: 700 / 70 × 1.1 = 11.000000000000002 in floating point → 11.
  t.equal(podsNeeded({ qps: 700, perPodRps: 70, buffer: 1.1 }).pods, 11);
  t.throws(() => podsNeeded({ qps: 1, buffer: 1 }), /bug/);
});

function profile(extra: string): Profile {
  const text = `cluster: {name: cap, kubernetesVersion: "1.30.0"}
network: {cidr: 192.168.56.0/24}
${extra}`;
  const r = loadProfile(text, 'cap.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

t.test('node types, fits and nodes needed at 70 % and 60 %', async (t) => {
  const p = profile(`nodeDefaults: {capacity: {cpu: 4, memory: 16Gi}}
nodes:
  - {name: cp-1, role: control-plane, ip: 192.168.56.101, capacity: {cpu: 2, memory: 4Gi}}
  - {name: w-1, role: worker, ip: 192.168.56.102}
  - {name: w-2, role: worker, ip: 192.168.56.103}
  - {name: w-3, role: worker, ip: 192.168.56.104, capacity: {cpu: "8", memory: 32Gi}}
`);
  const types = nodeTypes(p);
  t.same(types.map((x) => x.nodes), [['w-1', 'w-2'], ['w-3']], 'workers only, grouped by size; nodeDefaults fills w-1 and w-2');
  const plan = planCapacity({ qps: 1000, latencyMs: 200, perPodRps: 50, buffer: 1.3 }, { cpuMillicores: 250, memoryBytes: 256 * MI }, types);
  const [small, big] = plan.types;
  // 3820m × 0.7 = 2674m / 250m = 10.7 → 10 pods (memory: 13521Mi × 0.7 / 256Mi = 36.9): 26 / 10 → 3 nodes.
  t.same(small!.fits[0], { utilisation: 0.7, podsPerNode: 10, limitedBy: 'cpu', nodesNeeded: 3 });
  // 3820m × 0.6 = 2292m / 250m = 9.2 → 9 pods: 26 / 9 → 3 nodes.
  t.same(small!.fits[1], { utilisation: 0.6, podsPerNode: 9, limitedBy: 'cpu', nodesNeeded: 3 });
  // 8 cores: 7810m × 0.7 = 5467m → 21 pods → 2 nodes; × 0.6 = 4686m → 18 pods → 2 nodes.
  t.same(big!.fits.map((f) => [f.podsPerNode, f.nodesNeeded]), [[21, 2], [18, 2]]);
  // Memory-bound: 2Gi pods on 16Gi nodes: 13521 × 0.7 / 2048 = 4.6 → 4 pods; 26 / 4 → 7 nodes.
  const mem = fitAt(small!, { cpuMillicores: 100, memoryBytes: 2 * GI }, 26, 0.7);
  t.same(mem, { utilisation: 0.7, podsPerNode: 4, limitedBy: 'memory', nodesNeeded: 7 });
  // maxPods caps tiny pods: 3820 × 0.7 / 10m = 267 → 110.
  t.equal(fitAt(small!, { cpuMillicores: 10, memoryBytes: 16 * MI }, 26, 0.7).limitedBy, 'maxPods');
  // A pod bigger than the node: no nodesNeeded.
  t.same(fitAt(small!, { cpuMillicores: 8000, memoryBytes: MI }, 26, 0.7), { utilisation: 0.7, podsPerNode: 0, limitedBy: 'cpu' });
});

t.test('without workers the control planes run the workloads', async (t) => {
  const p = profile(`nodes:
  - {name: cp-1, role: control-plane, ip: 192.168.56.101, capacity: {cpu: 2, memory: 4Gi}}
`);
  t.same(nodeTypes(p).map((x) => [x.role, x.nodes]), [['control-plane', ['cp-1']]]);
});

t.test('reservations: the profile wins, capacity gives defaults, otherwise none', async (t) => {
  const p = profile(`kubelet: {kubeReserved: {cpu: 200m}}
nodes:
  - {name: cp-1, role: control-plane, ip: 192.168.56.101}
  - {name: w-1, role: worker, ip: 192.168.56.102, capacity: {cpu: 4, memory: 16Gi}}
`);
  const [cp, w] = p.nodes;
  t.same(nodeReservations(p, cp!).systemReserved.source, 'none');
  t.same(computedReservations(p, cp!), {}, 'no capacity, no per-node reservations');
  const r = nodeReservations(p, w!);
  t.equal(r.kubeReserved.source, 'profile');
  t.same(r.kubeReserved.amounts, { cpuMillicores: 200, memoryBytes: 0 });
  t.same(computedReservations(p, w!), { systemReserved: { cpu: '100m', memory: '100Mi' } }, 'only the one the profile leaves unset');
  const q = profile(`nodes:
  - {name: cp-1, role: control-plane, ip: 192.168.56.101, capacity: {cpu: 4, memory: 16Gi}}
`);
  t.same(computedReservations(q, q.nodes[0]!), { systemReserved: { cpu: '100m', memory: '100Mi' }, kubeReserved: { cpu: '80m', memory: '2663Mi' } });
});

t.test('capacity needs cpu and memory as quantities', async (t) => {
  const text = `cluster: {name: cap, kubernetesVersion: "1.30.0"}
network: {cidr: 192.168.56.0/24}
nodes:
  - {name: cp-1, role: control-plane, ip: 192.168.56.101, capacity: {cpu: four, memory: 16Gi}}
  - {name: w-1, role: worker, ip: 192.168.56.102, capacity: {cpu: 4}}
`;
  const r = loadProfile(text, 'cap.yaml');
  t.equal(r.ok, false);
  if (r.ok) return;
  t.match(r.diagnostics, [
    { code: 'invalid-quantity', path: '/nodes/0/capacity/cpu', line: 4 },
    { path: '/nodes/1/capacity', line: 5 },
  ]);
});

// `gen-userdata capacity` end to end: table, --json, exit codes.
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-capacity-'));
const profile = join(dir, 'cap.yaml');
writeFileSync(profile, `cluster: {name: cap, kubernetesVersion: "1.30.0"}
network: {cidr: 192.168.56.0/24}
nodeDefaults:
  capacity: {cpu: 4, memory: 16Gi}
nodes:
  - {name: cp-1, role: control-plane, ip: 192.168.56.101}
  - {name: w-1, role: worker, ip: 192.168.56.102}
  - {name: w-2, role: worker, ip: 192.168.56.103}
`);

t.test('a table per node type', async (t) => {
  const r = runCli(['capacity', '--profile', profile, '--qps', '1000', '--latency-ms', '200', '--per-pod-rps', '50']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /^Pods needed: 26 = ceil\(1000 req\/s \/ 50 req\/s per pod × 1\.3\)$/m);
  t.match(r.stdout, /Requests in flight: 200 /);
  t.match(r.stdout, /Node type 1: worker, 4 CPU \/ 16Gi \(w-1, w-2\)/);
  t.match(r.stdout, /kubeReserved +80m +2663Mi +\(default from capacity\)/);
  t.match(r.stdout, /allocatable +3820m +13521Mi/);
  t.match(r.stdout, /at 70 %: 10 pods per node \(limited by cpu\) -> 3 nodes/);
  t.match(r.stdout, /the profile has 2: 1 short at 60 %/);
  t.equal(r.stderr, '');
});

t.test('--json', async (t) => {
  const r = runCli(['capacity', '--profile', profile, '--qps', '1000', '--latency-ms', '200', '--per-pod-concurrency', '10', '--json']);
  t.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  t.equal(doc.pods, 26);
  t.equal(doc.inFlight, 200);
  t.same(doc.nodeTypes[0].nodes, ['w-1', 'w-2']);
  t.same(doc.nodeTypes[0].fits.map((f: { nodesNeeded: number }) => f.nodesNeeded), [3, 3]);
  t.equal(doc.nodeTypes[0].kubeReserved.memory, '2663Mi');
});

t.test('--node-cpu/--node-memory with the lab profile, whose reservations are explicit', async (t) => {
  const r = runCli(['capacity', '--qps', '100', '--per-pod-rps', '10', '--buffer', '1', '--node-cpu', '2', '--node-memory', '4Gi', '--json']);
  t.equal(r.status, 0, r.stderr);
  const type = JSON.parse(r.stdout).nodeTypes[0];
  t.equal(type.systemReserved.source, 'profile');
  t.equal(type.kubeReserved.source, 'profile');
});

t.test('mistakes', async (t) => {
  const none = runCli(['capacity', '--qps', '100', '--per-pod-rps', '10']);
  t.equal(none.status, 1, 'the lab profile has no capacity');
  t.match(none.stderr, /lab\.yaml:\d+:\d+: error\[no-capacity\] \/nodes:/);
  for (const args of [
    ['--qps', '100'],
    ['--qps', '100', '--per-pod-rps', '10', '--per-pod-concurrency', '2'],
    ['--qps', '100', '--per-pod-concurrency', '2'],
    ['--qps', '-1', '--per-pod-rps', '10'],
    ['--qps', 'many', '--per-pod-rps', '10'],
    ['--qps', '100', '--per-pod-rps', '10', '--buffer', '0.5'],
    ['--qps', '100', '--per-pod-rps', '10', '--cpu-per-pod', '1 core'],
    ['--qps', '100', '--per-pod-rps', '10', '--node-cpu', '4'],
  ]) {
    const r = runCli(['capacity', '--profile', profile, ...args]);
    t.equal(r.status, 2, `${args.join(' ')}: usage error`);
    t.equal(r.stdout, '');
  }
});

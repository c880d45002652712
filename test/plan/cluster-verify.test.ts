// The init node's cluster verifier: the real script, sourcing the real shell library,
// run with stand-in kubectl and curl that answer from a world the test controls.
// Checks the verdict markers, the JSON report and the ConfigMap.
import t from 'tap';
import { STATUS_CONFIGMAP } from '../../src/plan/cluster-verify.js';
import { smokeEchoText, SMOKE_NAMESPACE, SMOKE_NODE_PORT } from '../../src/kube/smoke-manifests.js';
import { profileAt } from '../helpers/fixtures.js';
import { checkOf, LAB_NODES, runVerifier as run, withIngress } from '../helpers/verify-harness.js';

const lab = profileAt('profiles/lab.yaml');

t.test('lab, everything works: verified, report and ConfigMap agree, smoke namespace deleted', async (t) => {
  const o = run(lab, { hpaCpu: '3' });
  t.equal(o.status, 0, o.log);
  t.ok(o.verified, 'cluster-verified written');
  t.notOk(o.failed, 'no failure marker');
  t.equal(o.report.verdict, 'verified');
  t.equal(o.report.cluster, 'lab');
  t.equal(o.report.kubernetesVersion, 'v1.30.0');
  t.same(o.report.checks.map((c: any) => [c.name, c.status]), [
    ['nodes', 'ok'], ['cni', 'ok'], ['coredns', 'ok'], ['metrics-server', 'ok'], ['smoke-nodeport', 'ok'], ['smoke-hpa', 'ok'],
  ]);
  t.same(o.report.nodes.map((n: any) => [n.name, n.role, n.ip, n.registered, n.ready, n.kubeletVersion, n.problem]), [
    ['control-plane', 'control-plane', '192.168.56.101', true, true, 'v1.30.0', ''],
    ['worker-1', 'worker', '192.168.56.102', true, true, 'v1.30.0', ''],
    ['worker-2', 'worker', '192.168.56.103', true, true, 'v1.30.0', ''],
  ]);
  t.match(checkOf(o, 'smoke-hpa').message, /CPU at 3% of requests/);
  t.match(o.report.startedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  t.match(o.report.finishedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  t.equal(o.configMaps.length, 2, 'the report is stored when the run starts and when it ends');
  const [first, last] = o.configMaps;
  t.equal(JSON.parse(first.data['report.json']).verdict, 'running', 'the first ConfigMap says the run is in progress');
  t.same(JSON.parse(last.data['report.json']), o.report, 'the last ConfigMap holds the file report');
  t.same(last.metadata, { name: STATUS_CONFIGMAP, namespace: 'kube-system', labels: { 'app.kubernetes.io/managed-by': 'gen-userdata' } });
  t.ok(o.calls.includes(`kubectl delete namespace ${SMOKE_NAMESPACE} --wait=false KUBECONFIG=/etc/kubernetes/admin.conf`), 'smoke namespace deleted');
  t.ok(o.calls.filter((c) => c.startsWith('kubectl')).every((c) => c.endsWith('KUBECONFIG=/etc/kubernetes/admin.conf')), 'kubectl always uses admin.conf');
  for (const [, ip] of LAB_NODES) t.ok(o.calls.some((c) => c.startsWith('curl') && c.endsWith(`http://${ip}:${SMOKE_NODE_PORT}/`)), `NodePort curled on ${ip}`);
  t.ok(o.calls.includes('kubectl -n kube-system rollout status daemonset/calico-node --timeout=2s KUBECONFIG=/etc/kubernetes/admin.conf'), 'rollout bounded by the (overridden) timeout');
});

t.test('a worker that never joins: failed after the join timeout, naming it; nothing hangs', async (t) => {
  const start = Date.now();
  const o = run(lab, { nodes: [['control-plane', 'v1.30.0', true], ['worker-1', 'v1.30.0', true]], hpaCpu: '1' }, { GEN_USERDATA_VERIFY_JOIN_TIMEOUT: '3' });
  t.ok(Date.now() - start < 60_000, 'bounded');
  t.equal(o.status, 1);
  t.notOk(o.verified);
  t.match(o.failed, /^nodes: after 3s: worker-2 \(not registered\)$/m, 'the failure marker names the worker');
  t.equal(o.report.verdict, 'failed');
  t.equal(checkOf(o, 'nodes').status, 'failed');
  t.same(o.report.nodes.find((n: any) => n.name === 'worker-2'), { name: 'worker-2', role: 'worker', ip: '192.168.56.103', registered: false, ready: false, kubeletVersion: '', problem: 'not registered' });
  t.equal(checkOf(o, 'smoke-nodeport').status, 'ok', 'the other checks still ran, on the nodes that are Ready');
  t.notOk(o.calls.some((c) => c.includes('192.168.56.103')), 'the missing node is not curled');
  t.notOk(o.calls.some((c) => c.startsWith('kubectl delete namespace')), 'smoke workloads kept for inspection after a failure');
  t.same(JSON.parse(o.configMaps.at(-1).data['report.json']), o.report);
});

t.test('node not Ready or on another kubelet version', async (t) => {
  const o = run(lab, { nodes: [['control-plane', 'v1.30.0', true], ['worker-1', 'v1.29.3', true], ['worker-2', 'v1.30.0', false], ['stray', 'v1.30.0', true]], hpaCpu: '1' });
  t.equal(o.status, 1);
  t.match(o.failed, /nodes: after 2s: worker-1 \(kubelet v1\.29\.3, expected v1\.30\.0\), worker-2 \(not Ready\)/);
  t.notOk(o.report.nodes.some((n: any) => n.name === 'stray'), 'the report lists the profile nodes');
});

t.test('a rollout that does not finish fails its check with the namespace events', async (t) => {
  const o = run(lab, { stuck: ['deployment/coredns'], hpaCpu: '1' });
  t.equal(o.status, 1);
  const c = checkOf(o, 'coredns');
  t.equal(c.status, 'failed');
  t.match(c.message, /deployment\/coredns in kube-system not rolled out after 2s: error: timed out waiting for the condition/);
  t.match(c.events, /FailedScheduling .* events of kube-system/);
  t.match(o.failed, /^coredns: /m);
  t.equal(checkOf(o, 'cni').status, 'ok');
});

t.test('metrics-server up but no metrics; HPA without a CPU value', async (t) => {
  const o = run(lab, { noMetrics: true });
  t.equal(o.status, 1);
  t.match(checkOf(o, 'metrics-server').message, /kubectl top nodes gave no metrics within 2s: error: Metrics API not available/);
  t.match(checkOf(o, 'smoke-hpa').message, /reported no CPU utilization/);
});

t.test('a NodePort that does not answer on one node', async (t) => {
  const o = run(lab, { hpaCpu: '1', http: [`192.168.56.101:${SMOKE_NODE_PORT}`, `192.168.56.102:${SMOKE_NODE_PORT}`] });
  t.equal(o.status, 1);
  t.match(checkOf(o, 'smoke-nodeport').message, /no HTTP 200 within 2s: worker-2 192\.168\.56\.103:31080 answered 000$/);
});

t.test('ingress in hostPort mode: Host echo.local on port 80 of every worker', async (t) => {
  const p = withIngress(lab);
  const text = smokeEchoText(p);
  const good = run(p, { hpaCpu: '1', bodies: { '192.168.56.102:80': text, '192.168.56.103:80': text } });
  t.equal(good.status, 0, good.log);
  t.same(good.report.checks.map((c: any) => c.name), ['nodes', 'cni', 'coredns', 'metrics-server', 'ingress-nginx', 'smoke-nodeport', 'smoke-ingress', 'smoke-hpa']);
  t.match(checkOf(good, 'smoke-ingress').message, /Host echo\.local on port 80 answers with the echo text on: worker-1, worker-2/);
  t.ok(good.calls.includes('curl -s --max-time 5 -H Host: echo.local http://192.168.56.102:80/'), 'sends Host: echo.local');
  t.notOk(good.calls.some((c) => c.includes('192.168.56.101:80')), 'not the control plane: no controller there');

  const wrong = run(p, { hpaCpu: '1', bodies: { '192.168.56.102:80': text, '192.168.56.103:80': 'default backend - 404' } });
  t.equal(wrong.status, 1);
  t.match(checkOf(wrong, 'smoke-ingress').message, /no echo text for Host echo\.local within 2s: worker-2 192\.168\.56\.103:80/);
  t.match(checkOf(wrong, 'smoke-ingress').events, /events of ingress-nginx/);
});

t.test('ingress in nodePort mode: the controller Service\'s HTTP NodePort on every node', async (t) => {
  const p = withIngress(lab, 'nodePort');
  const text = smokeEchoText(p);
  const o = run(p, { hpaCpu: '1', bodies: Object.fromEntries(LAB_NODES.map(([, ip]) => [`${ip}:30555`, text])) });
  t.equal(o.status, 0, o.log);
  t.match(checkOf(o, 'smoke-ingress').message, /port 30555 answers .* on: control-plane, worker-1, worker-2/);
});

t.test('keepSmokeWorkloads keeps the namespace; smokeTest false skips the smoke checks', async (t) => {
  const keep = run({ ...lab, verify: { ...lab.verify, keepSmokeWorkloads: true } }, { hpaCpu: '1' });
  t.equal(keep.status, 0);
  t.notOk(keep.calls.some((c) => c.startsWith('kubectl delete')));
  const none = run({ ...lab, verify: { ...lab.verify, smokeTest: false } }, {});
  t.equal(none.status, 0, none.log);
  t.same(none.report.checks.map((c: any) => c.name), ['nodes', 'cni', 'coredns', 'metrics-server']);
  t.notOk(none.calls.some((c) => c.startsWith('curl')));
});

t.test('re-running replaces the previous verdict', async (t) => {
  const failed = run(lab, { hpaCpu: '1', nodes: [['control-plane', 'v1.30.0', true]] });
  t.match(failed.failed, /worker-1 \(not registered\), worker-2 \(not registered\)/);
  const again = run(lab, { hpaCpu: '1' }, {}, failed.dir);
  t.equal(again.status, 0, again.log);
  t.ok(again.verified);
  t.notOk(again.failed, 'the old failure marker is gone');
  t.equal(again.report.verdict, 'verified');
});

t.test('messages with quotes, backslashes and newlines stay valid JSON', async (t) => {
  const o = run(lab, { hpaCpu: '1', stuck: ['daemonset/calico-node'] });
  t.ok(o.report, 'the report parses');
  t.match(checkOf(o, 'cni').events, /FailedScheduling[^\n]*\n5s Warning Failed pod\/x-1 "quoted" \\back\\slash\ttab/);
  t.same(JSON.parse(o.configMaps.at(-1).data['report.json']).checks[1].events, checkOf(o, 'cni').events, 'and survives the ConfigMap');
});


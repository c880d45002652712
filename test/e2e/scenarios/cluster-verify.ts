// Scenario 1b, within the control plane's boot: the cluster verifier. The stand-in
// kubectl reports every profile node Ready and every rollout done, and a fake NodePort
// answers on the node addresses, so the first run must reach cluster-verified and
// store the report as ConfigMap kube-system/gen-userdata-status. The probe then re-runs
// the unit with one worker gone from the stand-in's node list and 20 s waits: the
// verdict must turn into cluster-verify.failed naming that worker, while the node's
// own bootstrap.done stays.
import type { Test } from 'tap';
import { copiedInput, type NodeRun, type RawProfile } from '../../helpers/vm-node.js';
import { yamlDocs } from '../../helpers/vm-asserts.js';

const SMOKE_NODE_PORT = 31080;
const FIRST = '/var/lib/gen-userdata-e2e/first-verify';
/** The worker the re-run leaves out. */
const MISSING = 'e2e-worker-2';

/** Kernel parameters for the control plane's boot that steer the verifier's world. */
export function verifyKernelArgs(profile: RawProfile): string[] {
  const names = profile.nodes.map((n) => n.name);
  return [
    `gen_userdata_e2e.ready_nodes=${names.join(',')}`,
    `gen_userdata_e2e.fake_nodeport=${SMOKE_NODE_PORT}@${profile.nodes.map((n) => n.ip).join(',')}`,
    `gen_userdata_e2e.verify_rerun_ready=${names.filter((n) => n !== MISSING).join(',')}`,
  ];
}

interface Report {
  verdict: string;
  startedAt: string;
  finishedAt: string;
  nodes: { name: string; registered: boolean; ready: boolean; kubeletVersion: string; problem: string }[];
  checks: { name: string; status: string; message: string; at: string }[];
}

const seconds = (iso: string): number => Date.parse(iso) / 1000;

/** Asserts the verifier's two runs in the control plane's boot `run`. */
export async function checkClusterVerify(t: Test, run: NodeRun, profile: RawProfile): Promise<void> {
  const kubectl = run.calls.filter((c) => c.tool === 'kubectl');
  const configMaps = kubectl
    .filter((c) => c.argv.includes('apply'))
    .map((c) => copiedInput(run, c, '-f') ?? '')
    .filter((text) => text.includes('"kind":"ConfigMap"') && text.includes('"gen-userdata-status"'))
    .map((text) => JSON.parse(text) as { metadata: { namespace: string }; data: Record<string, string> });
  const reports = configMaps.map((cm) => JSON.parse(cm.data['report.json'] ?? '{}') as Report);

  await t.test('first run: every node Ready, every check ok, cluster-verified', async (t) => {
    const text = run.file(`${FIRST}/cluster-status.json`);
    t.ok(text, 'the first run wrote cluster-status.json', { log: run.file('/var/log/gen-userdata/verify.log') });
    if (!text) return;
    const report = JSON.parse(text) as Report;
    t.equal(report.verdict, 'verified', 'verdict verified', { log: run.file('/var/log/gen-userdata/verify.log') });
    t.same(report.checks.map((c) => [c.name, c.status]), [
      ['nodes', 'ok'], ['cni', 'ok'], ['coredns', 'ok'], ['metrics-server', 'ok'], ['smoke-nodeport', 'ok'], ['smoke-hpa', 'ok'],
    ], 'checks for Calico, CoreDNS, metrics-server and the smoke workloads, all ok');
    t.same(
      report.nodes.map((n) => [n.name, n.registered, n.ready, n.kubeletVersion, n.problem]),
      profile.nodes.map((n) => [n.name, true, true, `v${profile.cluster.kubernetesVersion}`, '']),
      'the profile node list, each node Ready on the profile kubelet',
    );
    t.ok(run.file(`${FIRST}/cluster-verified`) !== undefined, 'cluster-verified was written');
    t.equal(run.file(`${FIRST}/cluster-verify.failed`), undefined, 'no failure marker');
    t.ok(
      reports.some((r) => JSON.stringify(r) === JSON.stringify(report)),
      'the same report was applied as ConfigMap gen-userdata-status',
    );
    t.ok(configMaps.every((cm) => cm.metadata.namespace === 'kube-system'), 'in kube-system');
    t.equal(reports[0]?.verdict, 'running', 'the first ConfigMap said the run was in progress');
  });

  await t.test('smoke workloads applied, curled on every node, then deleted', async (t) => {
    const smoke = kubectl.find((c) => c.argv.includes('apply') && c.argv.includes('/etc/gen-userdata/smoke-workloads.yaml'));
    t.ok(smoke, 'kubectl apply -f /etc/gen-userdata/smoke-workloads.yaml', { calls: kubectl.map((c) => c.argv.join(' ')) });
    if (smoke) {
      t.equal(smoke.rc, 0);
      const kinds = yamlDocs(copiedInput(run, smoke, '-f') ?? '').map((d) => `${d.kind}/${(d.metadata as { name: string }).name}`);
      t.same(kinds, ['Namespace/gen-userdata-smoke', 'Deployment/nginx', 'Service/nginx', 'HorizontalPodAutoscaler/nginx']);
    }
    const asked = (run.file('/var/log/gen-userdata-e2e/fake-nodeport.log') ?? '').split('\n').filter((l) => l.includes(' GET '));
    for (const n of profile.nodes) {
      t.ok(asked.some((l) => l.includes(`GET ${n.ip}:${SMOKE_NODE_PORT}/`)), `the NodePort was asked on ${n.name} (${n.ip})`);
    }
    t.ok(kubectl.some((c) => c.argv.join(' ').includes('delete namespace gen-userdata-smoke --wait=false') && c.rc === 0), 'namespace deleted after success');
  });

  await t.test('re-run with a worker gone: cluster-verify.failed names it; bootstrap.done stays', async (t) => {
    // systemctl start of a oneshot whose script exits 1 fails (exit 1); a missing file means the re-run never ran.
    t.match(run.file(`${FIRST}/rerun-exit`)?.trim(), /^[1-9]\d*$/, 'the re-run unit failed (systemctl start exit code)');
    const failed = run.file('/var/lib/gen-userdata/cluster-verify.failed');
    t.match(failed, new RegExp(`^nodes: after 20s: ${MISSING} \\(not registered\\)$`, 'm'), 'the failure marker names the worker', { failed });
    t.equal(run.file('/var/lib/gen-userdata/cluster-verified'), undefined, 'the old verdict is gone');
    t.ok(run.file('/var/lib/gen-userdata/bootstrap.done') !== undefined, 'bootstrap.done still exists');
    const report = JSON.parse(run.file('/var/lib/gen-userdata/cluster-status.json') ?? '{}') as Report;
    t.equal(report.verdict, 'failed');
    t.same(report.nodes.find((n) => n.name === MISSING), { name: MISSING, role: 'worker', ip: profile.nodes.find((n) => n.name === MISSING)!.ip, registered: false, ready: false, kubeletVersion: '', problem: 'not registered' });
    const nodes = report.checks.find((c) => c.name === 'nodes');
    t.equal(nodes?.status, 'failed');
    const waited = nodes ? seconds(nodes.at) - seconds(report.startedAt) : -1;
    t.ok(waited >= 19 && waited <= 90, `waited the 20 s join timeout, not longer (${waited} s)`);
    t.same(reports.at(-1), report, 'the failed report replaced the ConfigMap');
  });
}

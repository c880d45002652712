// `gen-userdata status` end to end against a local HTTPS API double on 127.0.0.1
// whose serving certificate is signed by the test cluster's CA, so TLS and the CA in
// the kubeconfig are really checked (and the client certificate by the server).
import t from 'tap';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildKubeconfig } from '../../src/pki/kubeconfig.js';
import { ADMIN_COMMON_NAME } from '../../src/pki/client-certificate.js';
import { fixtureSecrets, ROOT } from '../helpers/fixtures.js';
import { otherCa, startApiDouble, type ApiWorld } from '../helpers/kube-api-double.js';

const secrets = fixtureSecrets('lab');
const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-status-'));

function kubeconfig(server: string, caCertPem = secrets.ca.cert): string {
  const file = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, buildKubeconfig({ clusterName: 'lab', server, caCertPem, userName: ADMIN_COMMON_NAME, client: secrets.admin }), { mode: 0o600 });
  return file;
}

/** Runs the built CLI without blocking this process (the API double lives here). */
function status(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), 'status', '--profile', 'lab', ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const LAB: [string, string][] = [['control-plane', 'control-plane'], ['worker-1', 'worker'], ['worker-2', 'worker']];
const IPS: Record<string, string> = { 'control-plane': '192.168.56.101', 'worker-1': '192.168.56.102', 'worker-2': '192.168.56.103' };
const CHECKS = ['nodes', 'cni', 'coredns', 'metrics-server', 'smoke-nodeport', 'smoke-hpa'];

function report(verdict: 'running' | 'verified' | 'failed', over: { problems?: Record<string, string>; checks?: Record<string, [string, string, string?]> } = {}): string {
  return JSON.stringify({
    cluster: 'lab',
    kubernetesVersion: 'v1.30.0',
    verdict,
    startedAt: '2026-12-01T05:00:00Z',
    finishedAt: verdict === 'running' ? '' : '2026-12-01T05:04:00Z',
    nodes: LAB.map(([name, role]) => {
      const problem = over.problems?.[name] ?? '';
      return { name, role, ip: IPS[name], registered: problem !== 'not registered', ready: problem === '', kubeletVersion: problem === 'not registered' ? '' : 'v1.30.0', problem };
    }),
    checks: CHECKS.map((name) => {
      const [status, message, events] = over.checks?.[name] ?? (verdict === 'running' ? ['pending', ''] : ['ok', `${name} fine`]);
      return { name, status, message, at: '2026-12-01T05:01:00Z', events: events ?? '' };
    }),
  });
}

const allReady = (): ApiWorld['nodes'] => LAB.map(([n]) => [n, 'v1.30.0', true]);

t.test('status against the API double', async (t) => {
  const api = await startApiDouble(secrets.ca, { nodes: allReady(), report: report('verified') });
  t.teardown(() => api.close());
  const kc = kubeconfig(api.url);

  await t.test('all verified: exit 0, one table of nodes and one of checks', async (t) => {
    api.world.nodes = allReady();
    api.world.report = report('verified');
    const r = await status(['--kubeconfig', kc]);
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /^NODE\s+ROLE\s+IP\s+REGISTERED\s+READY\s+KUBELET\s+VERIFIER$/m);
    t.match(r.stdout, /^control-plane\s+control-plane\s+192\.168\.56\.101\s+yes\s+yes\s+v1\.30\.0\s+ok$/m);
    t.match(r.stdout, /^worker-2\s+worker\s+192\.168\.56\.103\s+yes\s+yes\s+v1\.30\.0\s+ok$/m);
    t.match(r.stdout, /^CHECK\s+STATUS\s+DETAIL$/m);
    t.match(r.stdout, /^smoke-hpa\s+ok\s+smoke-hpa fine$/m);
    t.match(r.stdout, /^cluster lab: VERIFIED: verified at 2026-12-01T05:04:00Z$/m);
    t.ok(api.requests.includes('GET /api/v1/nodes'), 'listed the nodes');
    t.ok(api.requests.includes('GET /api/v1/namespaces/kube-system/configmaps/gen-userdata-status'), 'read the ConfigMap');
  });

  await t.test('pending: no report yet, or the verifier still running: exit 3', async (t) => {
    api.world.report = undefined;
    const none = await status(['--kubeconfig', kc]);
    t.equal(none.code, 3, none.stderr);
    t.match(none.stdout, /cluster lab: PENDING: no verifier report yet/);
    t.match(none.stdout, /^worker-1\s+worker\s+192\.168\.56\.102\s+yes\s+yes\s+v1\.30\.0\s+no report yet$/m);
    api.world.report = report('running', { checks: { nodes: ['ok', '3 node(s) Ready'] } });
    const running = await status(['--kubeconfig', kc]);
    t.equal(running.code, 3);
    t.match(running.stdout, /PENDING: the verifier is running \(started 2026-12-01T05:00:00Z; 1 of 6 checks done\)/);
    t.match(running.stdout, /^cni\s+pending$/m);
  });

  await t.test('failed: exit 1 with the failure text and the events', async (t) => {
    api.world.report = report('failed', {
      checks: { coredns: ['failed', 'deployment/coredns in kube-system not rolled out after 300s: error: timed out', 'LAST SEEN TYPE REASON\n10s Warning FailedScheduling pod/coredns-1'] },
    });
    const r = await status(['--kubeconfig', kc]);
    t.equal(r.code, 1);
    t.match(r.stdout, /^coredns\s+failed\s+deployment\/coredns in kube-system not rolled out after 300s: error: timed out$/m);
    t.match(r.stdout, /events for coredns:\n  LAST SEEN TYPE REASON\n  10s Warning FailedScheduling pod\/coredns-1/);
    t.match(r.stdout, /cluster lab: FAILED: the verifier failed \(2026-12-01T05:04:00Z\): coredns$/m);
  });

  await t.test('a node missing: not registered in the table, the verifier names it, exit 1', async (t) => {
    api.world.nodes = allReady().filter(([n]) => n !== 'worker-2');
    api.world.report = report('failed', { problems: { 'worker-2': 'not registered' }, checks: { nodes: ['failed', 'after 3600s: worker-2 (not registered)'] } });
    const r = await status(['--kubeconfig', kc]);
    t.equal(r.code, 1);
    t.match(r.stdout, /^worker-2\s+worker\s+192\.168\.56\.103\s+no\s+-\s+-\s+failed: not registered$/m);
    t.match(r.stdout, /^nodes\s+failed\s+after 3600s: worker-2 \(not registered\)$/m);
  });

  await t.test('a node gone NotReady after a verified run: failed', async (t) => {
    api.world.nodes = allReady().map(([n, v]) => [n, v, n !== 'worker-1']);
    api.world.report = report('verified');
    const r = await status(['--kubeconfig', kc]);
    t.equal(r.code, 1);
    t.match(r.stdout, /^worker-1\s+worker\s+192\.168\.56\.102\s+yes\s+no\s+v1\.30\.0\s+ok$/m);
    t.match(r.stdout, /FAILED: verified at 2026-12-01T05:04:00Z, but now not Ready on kubelet v1\.30\.0: worker-1/);
  });

  await t.test('an extra node the profile does not list: shown as such, verdict unchanged', async (t) => {
    api.world.nodes = [...allReady(), ['stray-1', 'v1.29.0', true]];
    api.world.report = report('verified');
    const r = await status(['--kubeconfig', kc]);
    t.equal(r.code, 0);
    t.match(r.stdout, /^stray-1\s+-\s+-\s+yes\s+yes\s+v1\.29\.0\s+not in profile$/m);
  });

  await t.test('--json: the same state as one JSON document', async (t) => {
    api.world.nodes = allReady();
    api.world.report = report('verified');
    const r = await status(['--kubeconfig', kc, '--json']);
    t.equal(r.code, 0);
    const v = JSON.parse(r.stdout);
    t.equal(v.overall, 'verified');
    t.same(v.nodes.map((n: any) => n.name), ['control-plane', 'worker-1', 'worker-2']);
    t.same(v.checks.map((c: any) => c.name), CHECKS);
  });

  await t.test('certificates: the earliest expiry any control plane recorded, and the kubeconfig\'s own', async (t) => {
    api.world.nodes = allReady();
    api.world.report = report('verified');
    api.world.certificates = undefined;
    const none = await status(['--kubeconfig', kc]);
    t.equal(none.code, 0, none.stderr);
    t.match(none.stdout, /^certificates: no control plane has recorded its expiry yet/m);
    const adminExpiry = new Date(new X509Certificate(secrets.admin.cert).validTo).toISOString().replace(/\.000Z$/, 'Z');
    t.match(none.stdout, new RegExp(`^kubeconfig: client certificate expires ${adminExpiry} \\(\\d+ days left\\)$`, 'm'));
    t.ok(api.requests.includes('GET /api/v1/namespaces/kube-system/configmaps/gen-userdata-certs'), 'read the certificates ConfigMap');
    const soon = new Date(Date.now() + 20.5 * 86400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    api.world.certificates = { 'cp-1': '2027-11-30T05:00:00Z apiserver', 'cp-2': `${soon} etcd-server`, 'cp-3': 'garbage' };
    const r = await status(['--kubeconfig', kc]);
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, new RegExp(`^certificates: earliest kubeadm certificate expiry ${soon} \\(etcd-server on cp-2; 20 days left\\)$`, 'm'));
    t.match(r.stdout, /^certificates: unreadable record from cp-3$/m);
    const j = JSON.parse((await status(['--kubeconfig', kc, '--json'])).stdout);
    t.same(j.certificates.earliest, { certificate: 'etcd-server', node: 'cp-2', expires: soon, daysLeft: 20 });
    api.world.certificates = undefined;
  });

  await t.test('--watch polls until a verdict; its timeout ends a wait with exit 3', async (t) => {
    api.world.report = undefined;
    const before = api.requests.length;
    const started = status(['--kubeconfig', kc, '--watch', '--interval', '200ms', '--timeout', '60s']);
    // Once the first poll has read the (missing) ConfigMap, the verifier "finishes".
    const flip = setInterval(() => {
      if (api.requests.length >= before + 2) {
        api.world.report = report('verified');
        clearInterval(flip);
      }
    }, 20);
    const r = await started;
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /PENDING: no verifier report yet[\s\S]*VERIFIED/, 'printed the pending state, then the verdict');
    api.world.report = undefined;
    const timedOut = await status(['--kubeconfig', kc, '--watch', '--interval', '200ms', '--timeout', '1s']);
    t.equal(timedOut.code, 3);
  });

  await t.test('an unreadable report is a failure, not a crash', async (t) => {
    api.world.report = '{"verdict": "maybe"';
    const r = await status(['--kubeconfig', kc]);
    t.equal(r.code, 1);
    t.match(r.stdout, /FAILED: the verifier's report is unreadable: report\.json is not JSON/);
  });

  await t.test('wrong CA in the kubeconfig: refused, one line naming the endpoint, exit 1', async (t) => {
    const r = await status(['--kubeconfig', kubeconfig(api.url, otherCa())]);
    t.equal(r.code, 1);
    t.equal(r.stdout, '');
    t.match(r.stderr, new RegExp(`^gen-userdata: cannot trust the API server at ${api.url.replace(/\./g, '\\.')}: .*certificate`));
    t.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  });
});

t.test('API server down: one line naming the endpoint, exit 1 (also with --watch, at its timeout)', async (t) => {
  const api = await startApiDouble(secrets.ca, { nodes: [] });
  const url = api.url;
  await api.close();
  const kc = kubeconfig(url);
  const r = await status(['--kubeconfig', kc]);
  t.equal(r.code, 1);
  t.equal(r.stderr, `gen-userdata: cannot reach the API server at ${url}: ECONNREFUSED\n`);
  const w = await status(['--kubeconfig', kc, '--watch', '--interval', '200ms', '--timeout', '5s']);
  t.equal(w.code, 1);
  t.match(w.stderr, /ECONNREFUSED; trying again until the timeout\n.*ECONNREFUSED\n$/);
});

t.test('usage and input errors', async (t) => {
  const bad = await status(['--timeout', 'soon']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--timeout "soon" is not a duration/);
  const missing = await status(['--kubeconfig', join(dir, 'nope.conf')]);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /no kubeconfig at .*nope\.conf/);
  const noOut = await status(['--out', join(dir, 'empty-out')]);
  t.equal(noOut.code, 1);
  t.match(noOut.stderr, /no kubeconfig at .*empty-out\/lab\/admin\.conf \(run gen-userdata for this profile first, or pass --kubeconfig\)/);
});

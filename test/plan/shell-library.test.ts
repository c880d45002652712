// The shell library every node script sources (templates/lib/common.sh), as the
// node gets it, run in bash: logging, bounded retries and waits, kubectl with the
// admin kubeconfig.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { shellLibraryPath } from '../../src/plan/paths.js';
import { renderShellLibrary } from '../../src/plan/shell-library.js';
import { trimShellLibrary } from '../../src/plan/trim-shell-library.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const plans = buildClusterPlans(profileAt('profiles/lab.yaml'), fixtureSecrets('lab'), bundledTemplates(), 'cloud-init');
const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-lib-'));
const library = join(dir, 'common.sh');
// The whole library of a control plane, before trimming to what the node's scripts call.
writeFileSync(library, renderShellLibrary(bundledTemplates(), { controlPlane: true, kubeVip: true }));
const bin = join(dir, 'bin');
mkdirSync(bin);
writeFileSync(join(bin, 'kubectl'), '#!/bin/bash\nprintf "kubectl %s\\n" "$*"\n');
writeFileSync(join(bin, 'sleep'), '#!/bin/bash\necho "sleep $*" >&2\n/bin/sleep "$@"\n');
chmodSync(join(bin, 'kubectl'), 0o755);
chmodSync(join(bin, 'sleep'), 0o755);

function run(body: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', `set -Eeuo pipefail\n. ${library}\n${body}`], {
    encoding: 'utf8',
    // stdin not a socket: bash would read ~/.bashrc as if started by rshd.
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: `${bin}:${process.env['PATH']}`, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

t.test('every node carries the same library at the same path, and the bootstrap sources it', async (t) => {
  for (const plan of plans) {
    const file = plan.files.find((f) => f.path === shellLibraryPath('cloud-init'));
    t.ok(file, `${plan.node.name} has the library`);
    t.equal(file?.mode, 0o644);
    const bootstrap = plan.files.find((f) => f.path === plan.bootstrap.scriptPath)!.content;
    t.match(bootstrap, `\n. ${shellLibraryPath('cloud-init')}\n`);
  }
  const flatcar = buildClusterPlans(profileAt('profiles/lab.yaml'), fixtureSecrets('lab'), bundledTemplates(), 'flatcar')[0]!;
  t.ok(flatcar.files.some((f) => f.path === '/opt/lib/gen-userdata/common.sh'), 'Flatcar: under /opt (read-only /usr)');
  t.match(flatcar.files.find((f) => f.path === flatcar.bootstrap.scriptPath)!.content, '\n. /opt/lib/gen-userdata/common.sh\n');
});

t.test('per role: a worker carries no control-plane shell; kube-vip only with cluster.vip', async (t) => {
  const lib = (plan: { files: { path: string; content: string }[] }): string => plan.files.find((f) => f.path === shellLibraryPath('cloud-init'))!.content;
  const controlPlaneOnly = ['ADMIN_KUBECONFIG', 'kubectl_admin', 'pki-keep', 'ca.key'];
  for (const worker of plans.filter((p) => p.node.role === 'worker')) {
    for (const s of [...controlPlaneOnly, 'kube-vip']) t.notMatch(lib(worker), s, `${worker.node.name}: no ${s}`);
    t.match(lib(worker), /\nreset_node\(\) \{\n  kubeadm reset -f \|\| log "[^"]*"\n\}\n/, 'a worker just resets');
  }
  for (const s of controlPlaneOnly) t.match(lib(plans[0]!), s, `lab control plane: ${s}`);
  t.notMatch(lib(plans[0]!), 'kube-vip', 'no kube-vip without cluster.vip');
  const ha = buildClusterPlans(profileAt('profiles/ha.yaml'), fixtureSecrets('ha'), bundledTemplates(), 'cloud-init');
  for (const cp of ha.filter((p) => p.node.role === 'control-plane')) t.match(lib(cp), 'kube-vip.yaml.keep', `${cp.node.name} keeps kube-vip`);
});

t.test("trimmed per node: only the functions the node's scripts call, directly or through another function", async (t) => {
  const worker = plans.find((p) => p.node.role === 'worker')!;
  const lib = worker.files.find((f) => f.path === shellLibraryPath('cloud-init'))!.content;
  const defined = [...lib.matchAll(/^([a-z_]+)\(\) \{/gm)].map((m) => m[1]);
  // die: the node tools (k8s-diag, k8s-reset) call it; run_step: the bootstrap's step runner.
  t.same(defined.sort(), ['apt_get', 'detect_arch', 'detect_os', 'die', 'endpoint_reachable', 'expect_version', 'log', 'log_clock_offset', 'log_to_file', 'reset_node', 'run_step', 'uptime_seconds', 'write_kubelet_patch']);
  const full = renderShellLibrary(bundledTemplates(), { controlPlane: false, kubeVip: false });
  t.equal(trimShellLibrary(full, ['retry 3 1 true']), trimShellLibrary(full, ['retry 3 1 true', 'log x']), 'retry brings log along');
  t.match(trimShellLibrary(full, ['wait_until 5 x true']), 'uptime_seconds() {', 'wait_until brings uptime_seconds along');
  t.notMatch(trimShellLibrary(full, ['echo blog']), 'log() {', 'whole words only');
  t.notMatch(trimShellLibrary(full, ['curl --retry 5 x']), 'retry() {', 'an option is not a call');
  t.match(trimShellLibrary(full, ['x=$(uptime_seconds)']), 'uptime_seconds() {', 'a command substitution is');
  t.match(trimShellLibrary(full, ['true']), /^# gen-userdata source: templates\/lib\/common\.sh\n# shellcheck shell=bash\n/, 'top-level lines stay');
  t.match(trimShellLibrary(full, ['endpoint_reachable h 1']), '# shellcheck disable=SC2016', "a function's shellcheck directive goes with it");
  t.notMatch(trimShellLibrary(full, ['log x']), 'SC2016');
});

t.test('log: a UTC timestamp and the message, on stderr', async (t) => {
  const r = run('log hello world');
  t.equal(r.status, 0);
  t.equal(r.stdout, '');
  t.match(r.stderr, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ hello world\n$/);
});

t.test('log_to_file: output goes to the terminal and is appended to the file, in a private directory', async (t) => {
  const file = join(dir, 'logs', 'tool.log');
  const r = run(`log_to_file ${file}\necho out\nlog first\nlog second`);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /out\n.*first\n.*second\n/);
  t.match(readFileSync(file, 'utf8'), /^out\n\S+ first\n\S+ second\n$/);
  t.equal(spawnSync('stat', ['-c', '%a', join(dir, 'logs')], { encoding: 'utf8' }).stdout.trim(), '700');
});

t.test('die: logs and exits 1', async (t) => {
  const r = run('die "no way"; echo not reached');
  t.equal(r.status, 1);
  t.match(r.stderr, / no way\n$/);
  t.notMatch(r.stdout, 'not reached');
});

t.test('retry: stops at the first success, gives up after N attempts with the last status', async (t) => {
  const counter = join(dir, 'count');
  const flaky = `flaky() { local n; n=$(( $(cat ${counter} 2>/dev/null || echo 0) + 1 )); echo "$n" >${counter}; [ "$n" -ge "$1" ] || return 7; }`;
  writeFileSync(counter, '0');
  let r = run(`${flaky}\nretry 5 0 flaky 3\necho rc=$?`);
  t.equal(r.status, 0, r.stderr);
  t.equal(readFileSync(counter, 'utf8').trim(), '3', 'ran three times');
  t.equal((r.stderr.match(/flaky failed \(exit 7\)/g) ?? []).length, 2);
  writeFileSync(counter, '0');
  r = run(`${flaky}\nif retry 2 0 flaky 9; then echo ok; else echo "rc=$?"; fi`);
  t.equal(r.stdout.trim(), 'rc=7');
  t.equal(readFileSync(counter, 'utf8').trim(), '2', 'two attempts, no more');
  t.match(r.stderr, 'flaky failed 2 time(s) (exit 7); giving up');
  r = run('retry 3 2 false || true');
  t.equal((r.stderr.match(/^sleep 2$/gm) ?? []).length, 2, 'sleeps DELAY between attempts, not after the last');
});

t.test('wait_until: returns at once when the check passes, and gives up at the deadline', async (t) => {
  let r = run('wait_until 30 "the answer" true; echo rc=$?');
  t.equal(r.stdout.trim(), 'rc=0');
  t.notMatch(r.stderr, 'waiting');
  r = run('if wait_until 2 "never" false; then echo ok; else echo "rc=$?"; fi', { WAIT_INTERVAL: '1' });
  t.equal(r.stdout.trim(), 'rc=1');
  t.match(r.stderr, 'waiting for never (');
  t.match(r.stderr, 'gave up waiting for never after 2s');
  t.ok((r.stderr.match(/^sleep 1$/gm) ?? []).length <= 3, 'bounded: sleeps no longer than the time left');
});

t.test('kubectl_admin: kubectl with the admin kubeconfig', async (t) => {
  const r = run('kubectl_admin get nodes -o name');
  t.equal(r.stdout, 'kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name\n');
});

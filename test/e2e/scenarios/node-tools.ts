// The node tools in a running guest, as the probe's operator actions run them
// (operator.sh, after the boot's own state is dumped):
// - k8s-diag on the install-path control plane (scenario 4, gen_userdata_e2e.ops=…,diag):
//   the tarball's members, its mode, and no secret anywhere in it;
// - k8s-reset on the retrying worker (scenario 2, gen_userdata_e2e.ops=reset): once it
//   has joined, `k8s-reset --yes` clears the bootstrap markers, and the bootstrap run
//   again (the command k8s-reset names) joins a second time.
import type { Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { StandinCall } from '../../helpers/vm-probe.js';
import { docOfKind, yamlDocs } from '../../helpers/vm-asserts.js';
import { opsResults, OPS_RESULTS as OPS, type NodeRun } from '../../helpers/vm-node.js';

const KUBEADM_CONFIG = '/etc/kubernetes/gen-userdata/kubeadm-config.yaml';
const SUCCESS = 'bootstrap.done';
const FAILURE = 'bootstrap.failed';

/** What k8s-diag collects on a control plane whose API server answers (templates/tools/k8s-diag.sh). */
export const DIAG_MEMBERS = [
  'bootstrap/bootstrap.log',
  `bootstrap/${SUCCESS}`,
  'kubectl/nodes.txt',
  'kubectl/pods.txt',
  'kubectl/events.txt',
  'kubectl/describe-node.txt',
  'logs/journal-kubelet-containerd.txt',
  'containers/crictl-ps.txt',
  'containers/crictl-images.txt',
  'network/ip-addr.txt',
  'network/ip-route.txt',
  'host/sysctl.txt',
  'host/modules.txt',
  'host/disk.txt',
  'host/memory.txt',
  'host/certs-check-expiration.txt',
];

const line = (c: StandinCall) => `${c.tool} ${c.argv.join(' ')} -> ${c.rc}${c.phase ? ` (${c.phase})` : ''}`;
const isJoin = (c: StandinCall) => c.tool === 'kubeadm' && c.argv.find((a) => !a.startsWith('-')) === 'join';

/** The bootstrap token in the node's kubeadm configuration (InitConfiguration or JoinConfiguration). */
export function bootstrapToken(run: NodeRun): string | undefined {
  const docs = yamlDocs(run.file(KUBEADM_CONFIG) ?? '');
  const init = docOfKind(docs, 'InitConfiguration');
  const joinConfig = docOfKind(docs, 'JoinConfiguration');
  return init?.bootstrapTokens?.[0]?.token ?? joinConfig?.discovery?.bootstrapToken?.token;
}

/**
 * Asserts k8s-diag's run on `run` (a control plane): exit 0, one tarball of mode 0600
 * whose members are DIAG_MEMBERS under one k8s-diag-<node>-<time>/ directory, and
 * whose content, decompressed, holds neither the node's bootstrap token (nor its
 * secret half) nor a PEM private key, though the node has both.
 */
export async function checkDiag(t: Test, run: NodeRun): Promise<void> {
  const ops = opsResults(t, run);
  if (!ops) return;
  const out = ops.out;
  t.equal(out('diag.rc').trim(), '0', 'k8s-diag exited 0', { output: out('diag.out') });
  t.equal(out('diag.mode').trim(), '600', 'the tarball is 0600');
  const tarball = join(ops.files, OPS.slice(1), 'diag.tar.gz');
  const list = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
  if (!t.equal(list.status, 0, 'tar -tzf lists the tarball', { stderr: list.stderr })) return;
  const entries = list.stdout.split('\n').filter((l) => l !== '');
  const top = new Set(entries.map((e) => e.split('/')[0]));
  t.equal(top.size, 1, 'one top directory', { top: [...top] });
  const [dir] = [...top];
  t.match(dir ?? '', new RegExp(`^k8s-diag-${run.node}-\\d{8}T\\d{6}Z$`), 'named k8s-diag-<node>-<UTC time>');
  const files = entries.filter((e) => !e.endsWith('/')).map((e) => e.slice(`${dir}/`.length));
  for (const member of DIAG_MEMBERS) t.ok(files.includes(member), `the tarball has ${member}`, { files });
  // The stand-in API answered: the node list is in, not a note that it was down.
  const unpacked = spawnSync('tar', ['-xzOf', tarball, `${dir}/kubectl/nodes.txt`], { encoding: 'utf8' }).stdout;
  t.match(unpacked, new RegExp(`^${run.node}\\s+Ready`, 'm'), 'kubectl/nodes.txt lists the node Ready', { unpacked });

  const token = bootstrapToken(run);
  if (!t.ok(token && /^[a-z0-9]{6}\.[a-z0-9]{16}$/.test(token), 'the node has a bootstrap token (its kubeadm config)')) return;
  t.match(run.file('/etc/kubernetes/pki/ca.key') ?? '', /PRIVATE KEY/, 'the node has private keys (the CA key from its user-data)');
  // Every byte of every member (and of the tar headers): what leaves the node.
  const content = gunzipSync(readFileSync(tarball)).toString('latin1');
  t.notOk(content.includes(token!), 'no bootstrap token anywhere in the tarball');
  t.notOk(content.includes(token!.split('.')[1]!), "not even the token's secret half");
  t.notOk(content.includes('PRIVATE KEY'), 'no PEM private key anywhere in the tarball');
}

/**
 * Asserts the reset and rejoin of the worker `run`: k8s-reset --yes exited 0 after
 * `kubeadm reset -f` and cleared the bootstrap markers; the bootstrap run again exited
 * 0, joined (a second successful join, after the boot's own) and wrote bootstrap.done.
 */
export async function checkResetRejoin(t: Test, run: NodeRun): Promise<void> {
  const ops = opsResults(t, run);
  if (!ops) return;
  const out = ops.out;
  const state = (name: string) => out(name).split('\n').filter((l) => l !== '');
  t.ok(state('reset-before.state').includes(SUCCESS), 'before: the node had joined (bootstrap.done)', { state: state('reset-before.state') });
  t.equal(out('reset.rc').trim(), '0', 'k8s-reset --yes exited 0', { output: out('reset.out') });
  const reset = ops.calls.filter((c) => c.phase === 'reset' && c.tool === 'kubeadm');
  t.same(reset.map((c) => c.argv.filter((a) => !a.startsWith('-'))), [['reset']], 'k8s-reset ran kubeadm reset once', { calls: reset.map(line) });
  t.ok(reset[0]?.argv.includes('-f'), '…with -f (no prompt)');
  t.equal(reset[0]?.rc, 0, '…and it succeeded');
  const after = state('reset-after.state');
  t.notOk(after.includes(SUCCESS), 'k8s-reset cleared bootstrap.done', { after });
  t.notOk(after.includes(FAILURE), 'and there is no bootstrap.failed', { after });

  t.equal(out('rebootstrap.rc').trim(), '0', 'the bootstrap run again exited 0', { output: out('rebootstrap.out').slice(-3000) });
  const rejoins = ops.calls.filter((c) => c.phase === 'rebootstrap' && isJoin(c));
  t.same(rejoins.map((c) => c.rc), [0], 'the bootstrap joined again, at the first attempt (the reset left nothing behind for preflight)', {
    calls: rejoins.map(line),
  });
  const joined = ops.calls.filter((c) => isJoin(c) && c.rc === 0);
  t.equal(joined.length, 2, 'two successful joins in all: the boot\'s and the one after the reset', { calls: ops.calls.filter(isJoin).map(line) });
  t.ok(state('rebootstrap-after.state').includes(SUCCESS), 'bootstrap.done is back', { state: state('rebootstrap-after.state') });
}

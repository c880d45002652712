// Scenario 4, continued: the upgrade. Once the install-path control plane is up at
// the profile's version (installed from the throwaway mirror and held), the probe's
// operator actions (operator.sh, gen_userdata_e2e.ops=upgrade) run the node's script
// from `gen-userdata upgrade --to UPGRADE_TO` (handed over on the E2EOPS disk) twice,
// against the same mirror, which also serves the target's track with two revisions
// of the target release. The stand-in kubeadm refuses an `upgrade apply` of any
// version but its own package's, and the stand-in kubectl drains and uncordons the
// node in its cluster store.
import type { Test } from 'tap';
import type { AptRepo } from '../../helpers/vm-apt-repo.js';
import type { ServedRequest } from '../../helpers/http-tree-server.js';
import type { StandinCall } from '../../helpers/vm-probe.js';
import { opsResults, OPS_RESULTS as OPS, type NodeRun } from '../../helpers/vm-node.js';
import { KEYRING } from './install-path.js';

/** The version the scenario upgrades the install-path node to (the next minor: the apt track changes). */
export const UPGRADE_TO = '1.31.2';
/** Package revisions of UPGRADE_TO the mirror publishes; the script must pick the newest (pkgs.k8s.io republishes now and then). */
export const UPGRADE_REVISIONS = ['1.31.2-1.1', '1.31.2-2.1'];
const NEWEST = UPGRADE_REVISIONS[UPGRADE_REVISIONS.length - 1]!;
const TOOLS = ['kubeadm', 'kubelet', 'kubectl'] as const;

/** More time a boot with operator actions gets (the upgrade's apt runs and kubelet restart under TCG). */
export const OPS_LIMIT_MS = 5 * 60_000;

/**
 * Kernel parameters for a boot that runs operator actions (operator.sh): the actions,
 * and the node the stand-in kubectl reports registered and Ready, if any (an upgrade
 * drains it and waits for it).
 */
export function opsKernelArgs(actions: string[], readyNode?: string): string[] {
  return [`gen_userdata_e2e.ops=${actions.join(',')}`, ...(readyNode ? [`gen_userdata_e2e.ready_nodes=${readyNode}`] : [])];
}

const line = (c: StandinCall) => `${c.tool} ${c.argv.join(' ')} -> ${c.rc} (v${c.version ?? '?'}${c.phase ? `, ${c.phase}` : ''})`;
/** Flags of the stand-ins' calls here that take the next argument as their value. */
const WITH_VALUE = new Set(['--kubeconfig', '--config', '-o', '--output', '-n', '--namespace']);
/** A call's words without flags and their values, e.g. ["drain", NODE]. */
const positional = (c: StandinCall) => c.argv.filter((a, i) => !a.startsWith('-') && !WITH_VALUE.has(c.argv[i - 1] ?? ''));
const isCall = (c: StandinCall, tool: StandinCall['tool'], ...words: string[]) =>
  c.tool === tool && words.every((w, i) => positional(c)[i] === w);

/** Asserts the upgrade's runs, as operator.sh recorded them in the boot `run`. */
export async function checkUpgrade(t: Test, run: NodeRun, repo: AptRepo, mirrorUrl: string, requests: ServedRequest[]): Promise<void> {
  const ops = opsResults(t, run);
  if (!ops) return;
  const out = ops.out;
  const track = `v${UPGRADE_TO.split('.').slice(0, 2).join('.')}`;
  const target = repo.tracks[track];
  if (!target) {
    t.fail(`the mirror serves the ${track} track`);
    return;
  }
  const tag = `v${UPGRADE_TO}`;
  const from = repo.packages['kubeadm']!;
  t.equal(ops.file(`${OPS}/upgrade.error`), '', 'operator.sh mounted the E2EOPS disk (and said nothing)', { log: run.section('ops-log') });

  await t.test('first run: packages of the new track installed and held again', async (t) => {
    t.equal(out('upgrade-1.rc').trim(), '0', 'the upgrade script exited 0', { output: out('upgrade-1.out') });
    t.equal(out('upgrade-0.sources'), `deb [signed-by=${KEYRING}] ${mirrorUrl}${repo.repoPath} /\n`, 'before: apt used the install track');
    t.equal(out('upgrade-1.sources'), `deb [signed-by=${KEYRING}] ${mirrorUrl}${target.repoPath} /\n`, `after: apt uses the ${track} track, same keyring`);
    const dpkg = out('upgrade-1.dpkg');
    for (const tool of TOOLS) {
      t.match(out('upgrade-0.dpkg'), new RegExp(`^${tool} ${from.replace(/\./g, '\\.')} hi $`, 'm'), `before: ${tool} ${from} held`);
      t.match(dpkg, new RegExp(`^${tool} ${NEWEST.replace(/\./g, '\\.')} hi $`, 'm'), `after: ${tool} ${NEWEST} (the newest revision of ${UPGRADE_TO}) installed and held`, { dpkg });
    }
    const holds = out('upgrade-1.holds').split('\n').filter((l) => l !== '').sort();
    t.same(holds, [...TOOLS].sort(), 'apt-mark showhold lists exactly kubeadm, kubectl and kubelet after the upgrade');
    // apt's history of this run only: from the size before it to the size after it.
    const history = ops.file('/var/log/apt/history.log') ?? '';
    const [before] = out('upgrade-0.log-sizes').split(' ').map(Number);
    const [after] = out('upgrade-1.log-sizes').split(' ').map(Number);
    const commands = Buffer.from(history).subarray(before, after).toString('utf8').split('\n').filter((l) => l.startsWith('Commandline:'));
    t.ok(commands.some((c) => c.split(/\s+/).includes(`kubeadm=${NEWEST}`)), `apt-get install kubeadm=${NEWEST}`, { commands });
    t.ok(
      commands.some((c) => c.split(/\s+/).includes(`kubelet=${NEWEST}`) && c.split(/\s+/).includes(`kubectl=${NEWEST}`)),
      `apt-get install kubelet=${NEWEST} kubectl=${NEWEST}`,
      { commands },
    );
    const ok = (path: string) => requests.some((r) => r.method === 'GET' && r.path === path && r.status === 200);
    const served = requests.map((r) => `${r.method} ${r.path} ${r.status}`);
    t.ok(ok(`${target.repoPath}InRelease`), `the mirror served the ${track} track's signed index`, { served });
    for (const name of [...TOOLS]) {
      t.ok(ok(target.debPaths[`${name}=${NEWEST}`]!), `the mirror served ${name} ${NEWEST}`, { served });
      for (const older of UPGRADE_REVISIONS.slice(0, -1)) {
        t.notOk(ok(target.debPaths[`${name}=${older}`]!), `…and not the older revision ${older}`, { served });
      }
    }
  });

  await t.test(`first run: kubeadm upgrade plan/apply ${tag}, drain, kubelet restart, uncordon, in that order`, async (t) => {
    // By time: the kubelet the script restarts runs under systemd, without the action's tag.
    const calls = [...ops.calls].sort((a, b) => a.start - b.start);
    const first = calls.filter((c) => c.phase === 'upgrade-1');
    const summary = calls.filter((c) => c.phase === 'upgrade-1' || c.tool === 'kubelet').map(line);
    const plan = first.find((c) => isCall(c, 'kubeadm', 'upgrade', 'plan'));
    const apply = first.find((c) => isCall(c, 'kubeadm', 'upgrade', 'apply'));
    const drain = first.find((c) => isCall(c, 'kubectl', 'drain'));
    const uncordon = first.find((c) => isCall(c, 'kubectl', 'uncordon'));
    t.same(plan && positional(plan), ['upgrade', 'plan', tag], `kubeadm upgrade plan ${tag}`, { summary });
    t.equal(plan?.rc, 0, 'upgrade plan succeeded', { stderr: plan?.stderr });
    t.same(apply && positional(apply), ['upgrade', 'apply', tag], `kubeadm upgrade apply ${tag} (the first control plane)`, { summary });
    t.equal(apply?.rc, 0, 'upgrade apply succeeded: the stand-in kubeadm found its own version in it', { stderr: apply?.stderr });
    t.equal(apply?.version, UPGRADE_TO, `the kubeadm that applied it was the new package's (v${UPGRADE_TO})`);
    t.equal(apply?.cluster_version, from.split('-')[0], `the cluster ran ${from.split('-')[0]} before`);
    t.same(first.filter((c) => isCall(c, 'kubeadm', 'upgrade', 'node')).map(line), [], 'no kubeadm upgrade node on the first control plane');
    t.same(drain && positional(drain), ['drain', run.node], `kubectl drain ${run.node}`, { summary });
    t.equal(drain?.rc, 0, 'drain succeeded', { stderr: drain?.stderr });
    for (const flag of ['--ignore-daemonsets', '--delete-emptydir-data']) t.ok(drain?.argv.includes(flag), `drain ${flag}`, { argv: drain?.argv });
    t.same(uncordon && positional(uncordon), ['uncordon', run.node], `kubectl uncordon ${run.node}`, { summary });
    t.equal(uncordon?.rc, 0, 'uncordon succeeded', { stderr: uncordon?.stderr });
    const at = (c: StandinCall | undefined) => (c ? calls.indexOf(c) : -1);
    t.ok(at(plan) >= 0 && at(plan) < at(apply), 'plan before apply', { summary });
    t.ok(at(apply) >= 0 && at(apply) < at(drain), 'apply before drain', { summary });
    t.ok(at(drain) >= 0 && at(drain) < at(uncordon), 'drain before uncordon', { summary });
    // The node reports the running kubelet's version, so only a restart after the package makes it Ready at the new one.
    const restarted = calls.find((c) => c.tool === 'kubelet' && c.rc === null && c.version === UPGRADE_TO);
    t.ok(at(restarted) > at(drain) && at(restarted) < at(uncordon), `the kubelet was restarted at v${UPGRADE_TO} between drain and uncordon`, { summary });
  });

  await t.test('second run: changes nothing', async (t) => {
    t.equal(out('upgrade-2.rc').trim(), '0', 'the re-run exited 0', { output: out('upgrade-2.out') });
    t.equal(out('upgrade-2.log-sizes'), out('upgrade-1.log-sizes'), 'apt history and dpkg.log did not grow: no apt install');
    t.equal(out('upgrade-2.dpkg'), out('upgrade-1.dpkg'), 'the same packages and versions');
    t.equal(out('upgrade-2.holds'), out('upgrade-1.holds'), 'the same holds');
    t.equal(out('upgrade-2.sources'), out('upgrade-1.sources'), 'the same apt source');
    const second = ops.calls.filter((c) => c.phase === 'upgrade-2');
    const changing = second.filter((c) => isCall(c, 'kubeadm', 'upgrade') || isCall(c, 'kubectl', 'drain') || isCall(c, 'kubectl', 'cordon') || isCall(c, 'kubectl', 'uncordon'));
    t.same(changing.map(line), [], 'no kubeadm upgrade, drain, cordon or uncordon', { calls: second.map(line) });
    const output = out('upgrade-2.out');
    t.notMatch(output, /==> step /, 'no step ran', { output });
    // The steps of the first run, in order, each skipped by the second (its marker is there).
    const ran = [...out('upgrade-1.out').matchAll(/==> step (\S+)/g)].map((m) => m[1]);
    const skipped = [...output.matchAll(/step (\S+): done before; skipping/g)].map((m) => m[1]);
    t.ok(ran.length >= 6, 'the first run logged its steps', { ran });
    t.same(skipped, ran, 'the second run skipped every step of the first, as done', { output });
  });

  await t.test('the stand-in kubeadm refuses an upgrade apply its package does not match', async (t) => {
    const wrong = ops.calls.find((c) => c.phase === 'upgrade-wrong-version' && isCall(c, 'kubeadm', 'upgrade', 'apply'));
    t.equal(wrong?.rc, 1, 'kubeadm upgrade apply of another version exited 1', { call: wrong && line(wrong) });
    t.match(out('upgrade-wrong-version.out'), new RegExp(`is higher than the kubeadm version "${tag.replace(/\./g, '\\.')}"`), 'with real kubeadm\'s message');
    t.match(ops.file('/etc/kubernetes/manifests/kube-apiserver.yaml') ?? '', new RegExp(`kube-apiserver:${tag.replace(/\./g, '\\.')}\\n`), `the control plane still runs ${tag}`);
  });
}

// The generated upgrade scripts run for real against stand-in apt, dpkg, kubeadm,
// kubelet, kubectl and systemctl (test/upgrade/standins/standin.sh), inside a user +
// mount namespace whose /etc, /var/lib and /var/log are empty tmpfs mounts, so the
// scripts' absolute paths are safe to touch. The VM suite runs them against real apt.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planUpgrade } from '../../src/upgrade/upgrade-plan.js';
import { loadProfile } from '../../src/profile/load-profile.js';
import { setKubernetesVersion } from '../../src/profile/set-kubernetes-version.js';
import { ROOT, bundledTemplates } from '../helpers/fixtures.js';

const namespaces = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs none /var/lib'], { encoding: 'utf8' });
// Empty /etc, /var/lib and /var/log, but with /etc/alternatives (awk is an alternative on Debian).
const ALT = mkdtempSync(join(tmpdir(), 'gen-userdata-alt-'));
const PRELUDE = `mount --bind /etc/alternatives ${ALT} && mount -t tmpfs none /etc && mkdir /etc/alternatives && mount --bind ${ALT} /etc/alternatives && mount -t tmpfs none /var/lib && mount -t tmpfs none /var/log`;
const TOOLS = ['apt-cache', 'apt-get', 'apt-mark', 'dpkg-query', 'kubeadm', 'kubelet', 'kubectl', 'systemctl', 'curl', 'gpg'];

function labAt(version: string) {
  const file = join(ROOT, 'profiles', 'lab.yaml');
  const r = loadProfile(setKubernetesVersion(readFileSync(file, 'utf8'), version) ?? '', file);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

if (namespaces.status !== 0) {
  t.test('upgrade scripts in a namespace', { skip: `needs unprivileged user namespaces (unshare -rm): ${namespaces.stderr.trim()}` }, async () => {});
} else {
  const files = planUpgrade({ profile: labAt('1.31.2'), from: '1.30.0', to: '1.31.2', target: 'apt', templates: bundledTemplates() });
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-upgrade-run-'));
  const bin = join(dir, 'bin');
  spawnSync('mkdir', ['-p', bin]);
  for (const tool of TOOLS) symlinkSync(join(ROOT, 'test', 'upgrade', 'standins', 'standin.sh'), join(bin, tool));
  for (const f of files) writeFileSync(join(dir, f.path), f.content, { mode: f.mode });

  /** Runs `script phase` twice in one fresh namespace; returns the calls of each run. */
  const runTwice = (script: string, phases: string[]): { status: number | null; out: string; first: string[]; second: string[]; state: string } => {
    const state = mkdtempSync(join(tmpdir(), 'gen-userdata-upgrade-state-'));
    const run = phases.map((p) => `bash ${join(dir, script)} ${p}`).join(' && ');
    const body = [
      'set -euo pipefail',
      PRELUDE,
      // The scripts set their own PATH; /usr/local/sbin comes first in it.
      `mount --bind ${bin} /usr/local/sbin`,
      `export STANDIN_STATE=${state} STANDIN_AVAILABLE="1.31.20-1.1 1.31.2-2.1 1.31.2-1.1 1.30.0-1.1"`,
      'mkdir -p "$STANDIN_STATE/pkg" "$STANDIN_STATE/hold" /etc/apt/sources.list.d /etc/kubernetes/manifests',
      'for p in kubeadm kubelet kubectl; do echo 1.30.0-1.1 >"$STANDIN_STATE/pkg/$p"; touch "$STANDIN_STATE/hold/$p"; done',
      'echo 1.30.0 >"$STANDIN_STATE/kubelet-running"',
      'echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.30/deb/ /" >/etc/apt/sources.list.d/kubernetes.list',
      'echo "image: registry.k8s.io/kube-apiserver:v1.30.0" >/etc/kubernetes/manifests/kube-apiserver.yaml',
      'echo admin >/etc/kubernetes/admin.conf',
      run,
      'cp "$STANDIN_STATE/calls" "$STANDIN_STATE/calls.first"; : >"$STANDIN_STATE/calls"',
      run,
      'echo "== sources"; cat /etc/apt/sources.list.d/kubernetes.list',
      'echo "== held"; ls "$STANDIN_STATE/hold" | tr "\\n" " "; echo',
      'echo "== installed"; for p in kubeadm kubelet kubectl; do echo "$p $(cat "$STANDIN_STATE/pkg/$p")"; done',
    ].join('\n');
    const r = spawnSync('unshare', ['-rm', 'bash', '-c', body], { encoding: 'utf8' });
    const read = (f: string): string[] => {
      try {
        return readFileSync(join(state, f), 'utf8').trim().split('\n').filter((l) => l !== '');
      } catch {
        return [];
      }
    };
    return { status: r.status, out: `${r.stdout}${r.stderr}`, first: read('calls.first'), second: read('calls'), state: r.stdout.slice(r.stdout.indexOf('== sources')) };
  };
  const significant = (calls: string[]): string[] =>
    calls.filter((c) => /^(apt-get .*install|apt-mark (un)?hold|kubeadm upgrade|kubectl .*(drain|uncordon)|systemctl)/.test(c));

  t.test('the first control plane: packages, upgrade apply, drain, kubelet, uncordon; a second run changes nothing', async (t) => {
    const r = runTwice('upgrade-control-plane.sh', ['all']);
    t.equal(r.status, 0, r.out);
    t.same(significant(r.first), [
      'apt-mark unhold kubeadm',
      'apt-get -q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 install -y kubeadm=1.31.2-2.1',
      'apt-mark hold kubeadm',
      'kubeadm upgrade plan v1.31.2',
      'kubeadm upgrade apply v1.31.2 -y',
      'kubectl --kubeconfig /etc/kubernetes/admin.conf drain control-plane --ignore-daemonsets --delete-emptydir-data --timeout=600s',
      'apt-mark unhold kubelet kubectl',
      'apt-get -q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 install -y kubelet=1.31.2-2.1 kubectl=1.31.2-2.1',
      'apt-mark hold kubelet kubectl',
      'systemctl daemon-reload',
      'systemctl restart kubelet',
      'kubectl --kubeconfig /etc/kubernetes/admin.conf uncordon control-plane',
    ]);
    t.same(r.second, [], 'the second run calls no tool at all');
    t.match(r.state, /pkgs\.k8s\.io\/core:\/stable:\/v1\.31\/deb\//, 'apt source on the v1.31 track');
    t.match(r.state, /== held\nkubeadm kubectl kubelet/);
    t.match(r.state, /kubeadm 1\.31\.2-2\.1\nkubelet 1\.31\.2-2\.1\nkubectl 1\.31\.2-2\.1/);
  });

  t.test('a worker: drained and uncordoned around its node phase', async (t) => {
    const r = runTwice('upgrade-worker-1.sh', ['drain', 'node', 'uncordon']);
    t.equal(r.status, 0, r.out);
    const s = significant(r.first);
    t.match(s[0], /drain worker-1/);
    t.ok(s.includes('kubeadm upgrade node'));
    t.notOk(s.some((c) => c.includes('upgrade apply')));
    t.match(s.at(-1), /uncordon worker-1/);
    t.same(r.second, []);
  });

  t.test('a worker without the admin kubeconfig cannot drain itself', async (t) => {
    const r = spawnSync('unshare', ['-rm', 'bash', '-c', `${PRELUDE} && mount --bind ${bin} /usr/local/sbin && bash ${join(dir, 'upgrade-worker-1.sh')} drain`], { encoding: 'utf8' });
    t.equal(r.status, 1);
    t.match(r.stdout, /drain runs on a control plane/);
  });

  t.test('no revision of the version in the repository: the step fails and nothing is installed', async (t) => {
    const state = mkdtempSync(join(tmpdir(), 'gen-userdata-upgrade-state-'));
    const body = [
      PRELUDE,
      // The scripts set their own PATH; /usr/local/sbin comes first in it.
      `mount --bind ${bin} /usr/local/sbin`,
      `export STANDIN_STATE=${state} STANDIN_AVAILABLE="1.31.20-1.1 1.30.0-1.1"`,
      'mkdir -p "$STANDIN_STATE/pkg" "$STANDIN_STATE/hold" /etc/apt/sources.list.d /etc/kubernetes',
      'for p in kubeadm kubelet kubectl; do echo 1.30.0-1.1 >"$STANDIN_STATE/pkg/$p"; done',
      `bash ${join(dir, 'upgrade-worker-1.sh')} node`,
    ].join('\n');
    const r = spawnSync('unshare', ['-rm', 'bash', '-c', body], { encoding: 'utf8' });
    t.equal(r.status, 1, r.stdout);
    t.match(r.stdout, /no kubeadm 1\.31\.2-\* in the apt sources/);
    t.match(r.stdout, /step kubeadm-package failed/);
    t.equal(readFileSync(join(state, 'pkg', 'kubeadm'), 'utf8').trim(), '1.30.0-1.1');
  });
}

// Scenarios 5 and 6: a golden image and a node on it.
// 5. The build boot runs the generated provision.sh (gen-userdata image) the
//    way the generated Packer template does: after cloud-init, on the generated
//    build seed, with the image's stand-ins removed so the Kubernetes packages
//    come from the test's mirror. Its disk becomes the golden image.
// 6. The node's prebaked seed (packages.install: false, image.prebaked: true)
//    boots on that disk: it must skip everything provision.sh did (no apt, no
//    containerd install or config, no kernel-modules or sysctl step), check the
//    image (golden-image step) and verify the versions, then bootstrap.
import type { Test } from 'tap';
import {
  assertCloudInit,
  assertHostPrepared,
  assertMarkers,
  assertProbed,
  assertSteps,
  logTail,
} from '../../helpers/vm-asserts.js';
import type { AptRepo } from '../../helpers/vm-apt-repo.js';
import type { ServedRequest } from '../../helpers/http-tree-server.js';
import { parseSteps } from '../../helpers/vm-probe.js';
import { kubeadmCalls, type NodeRun, type RawProfile } from '../../helpers/vm-node.js';
import { NODE_PATHS } from '../../../src/plan/paths.js';
import { assertInstalledFromMirror, assertMirrorServed } from './install-path.js';

const PROVISION_LOG = NODE_PATHS.provisionLog;
const PROVISION_DONE = NODE_PATHS.provisionDone;
const PROVISION_FAILED = NODE_PATHS.provisionFailed;
/** Files provision.sh bakes for this profile (no registry mirror, so no hosts.toml). */
const BAKED_FILES = [NODE_PATHS.containerdConfig, NODE_PATHS.crictl, NODE_PATHS.modulesLoad, NODE_PATHS.sysctl, NODE_PATHS.aptKey];

/** provision.sh's steps, in order (docs/golden-image.md). */
export const PROVISION_STEPS = [
  'write-files',
  'kernel-modules',
  'sysctl',
  'containerd',
  'containerd-config',
  'kubernetes-packages',
  'kubelet',
  'images-pull',
  'image-cleanup',
] as const;

/** A prebaked node's steps before kubeadm (docs/golden-image.md). */
export const PREBAKED_STEPS = ['hostname', 'swap', 'golden-image', 'firewall', 'containerd', 'kubernetes-packages'] as const;
/** Steps only provision.sh runs: a prebaked node must not run any of them. */
const BAKED_ONLY_STEPS = ['write-files', 'kernel-modules', 'sysctl', 'containerd-config', 'kubelet', 'images-pull', 'image-cleanup'];

/**
 * Kernel parameters for the build boot: eth0 naming, stand-ins removed (packages
 * come from the mirror), and no probe grace period (provision.sh is ordered
 * before the probe, so there is nothing to wait for).
 */
export function buildKernelArgs(): string[] {
  return ['net.ifnames=0', 'gen_userdata_e2e.apt_install', 'gen_userdata_e2e.probe_wait=0'];
}

/** Kernel parameters for the node booting on the golden image. */
export function prebakedKernelArgs(): string[] {
  return ['net.ifnames=0'];
}

/** Asserts everything scenario 5 expects of the build boot. */
export async function checkGoldenBuild(t: Test, run: NodeRun, repo: AptRepo, mirrorUrl: string, requests: ServedRequest[]): Promise<void> {
  if (!assertProbed(t, run)) return;
  const log = run.file(PROVISION_LOG) ?? '';
  const steps = parseSteps(log);
  const names = steps.map((s) => s.name);
  t.same(names, [...PROVISION_STEPS], 'provision.sh ran its steps in order', { log: log.split('\n').slice(-40).join('\n') });
  for (const s of steps) t.ok(s.ok && !s.failed, `provision step ${s.name} logged ok`, { log: log.split('\n').slice(-40).join('\n') });
  t.ok(run.file(PROVISION_DONE) !== undefined, `${PROVISION_DONE} exists`);
  t.equal(run.file(PROVISION_FAILED), undefined, 'no provision failure marker', { marker: run.file(PROVISION_FAILED) });
  t.equal(run.file('/var/lib/gen-userdata/bootstrap.done'), undefined, 'provision.sh never writes the node markers');
  t.ok(run.stat.has('/home/gen-userdata-build'), 'real cloud-init created the build login from the generated build seed');

  await t.test('Kubernetes packages from the mirror, pinned and held', async (t) => {
    assertInstalledFromMirror(t, run, repo, mirrorUrl);
    assertMirrorServed(t, repo, requests, ['kubeadm', 'kubelet', 'kubectl', 'cri-tools']);
  });

  await t.test('images pre-pulled for the exact version', async (t) => {
    const pull = run.calls.find((c) => c.tool === 'kubeadm' && c.argv.slice(0, 3).join(' ') === 'config images pull');
    t.ok(pull, 'kubeadm config images pull ran', { calls: run.calls.map((c) => [c.tool, ...c.argv].join(' ')) });
    if (pull) {
      t.equal(pull.argv[pull.argv.indexOf('--kubernetes-version') + 1], 'v1.30.0', '--kubernetes-version v1.30.0');
      t.equal(pull.rc, 0, 'and succeeded');
    }
    const crictl = run.calls.find((c) => c.tool === 'crictl' && c.argv.includes('pull'));
    t.equal(crictl?.argv[crictl.argv.length - 1], 'registry.k8s.io/pause:3.9', 'crictl pull of the sandbox image pause:3.9');
    t.equal(crictl?.rc, 0, 'crictl (from the cri-tools package) succeeded');
  });

  await t.test('baked host configuration', async (t) => {
    t.equal(run.section('kubelet-enabled')?.trim(), 'enabled', 'kubelet is enabled in the image');
    t.match(run.section('containerd-dump') ?? '', /^\s*SystemdCgroup = true$/m, 'containerd: SystemdCgroup = true');
    for (const f of BAKED_FILES) t.ok(run.file(f), `${f} is baked`);
  });
}

/** Epoch seconds of the bootstrap's first step, from its own log. */
function bootstrapStart(run: NodeRun): number | undefined {
  return run.steps[0]?.startTime;
}

/** Asserts everything scenario 6 expects of the node on the golden image. */
export async function checkPrebakedNode(
  t: Test,
  run: NodeRun,
  build: NodeRun | undefined,
  profile: RawProfile,
  requests: ServedRequest[],
): Promise<void> {
  if (!assertProbed(t, run)) return;
  assertMarkers(t, run);
  assertSteps(t, run, [...PREBAKED_STEPS, 'kubeadm-init', 'kubeconfig']);
  assertCloudInit(t, run, true);

  await t.test('the baked steps were skipped', async (t) => {
    const names = run.steps.map((s) => s.name);
    for (const s of BAKED_ONLY_STEPS) t.notOk(names.includes(s), `no ${s} step`, { steps: names });
    for (const re of [/apt-get|apt-mark/, /^Reading package lists/m, /^Setting up /m, /^Unpacking /m]) {
      t.notMatch(run.bootstrapLog, re, `bootstrap log shows no apt activity (${re})`);
    }
    t.same(
      requests.map((r) => `${r.method} ${r.path}`),
      [],
      'the mirror got no request during the node boot',
    );
    const start = bootstrapStart(run);
    const dpkgLines = (run.file('/var/log/dpkg.log') ?? '').trim().split('\n');
    const last = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) /.exec(dpkgLines[dpkgLines.length - 1] ?? '');
    t.ok(last && start !== undefined && Date.parse(`${last[1]}T${last[2]}Z`) / 1000 < start, 'dpkg changed nothing after the bootstrap started', {
      lastDpkgLine: dpkgLines[dpkgLines.length - 1],
      bootstrapStart: start,
    });
    if (build) {
      for (const f of BAKED_FILES) t.equal(run.file(f), build.file(f), `${f} is the one provision.sh baked`);
    }
  });

  await t.test('the image and the versions were verified', async (t) => {
    t.match(run.bootstrapLog, /golden image matches this profile \(\d+ baked files\)/, 'golden-image: the baked files match this profile', {
      log: logTail(run),
    });
    for (const line of ['kubeadm: v1.30.0', 'kubelet: v1.30.0', 'kubectl: v1.30.0']) {
      t.ok(run.bootstrapLog.includes(` ${line}\n`), `bootstrap log: ${line}`);
    }
    t.match(run.bootstrapLog, /^\S+Z containerd \S+ v?1\.\d+\.\d+/m, 'bootstrap log: containerd version (1.6 or newer checked)');
    assertHostPrepared(t, run, profile, { callsSince: bootstrapStart(run) ?? Number.MAX_SAFE_INTEGER });
    const init = kubeadmCalls(run.calls, 'init');
    t.equal(init.length, 1, 'kubeadm init ran once on the node');
    t.equal(init[0]?.rc, 0, 'and succeeded', { stderr: init[0]?.stderr });
  });
}

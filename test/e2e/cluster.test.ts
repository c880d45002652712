// e2e: generated NoCloud seeds booted with real cloud-init (Debian 12) in
// network-less QEMU guests whose kubeadm/kubelet/kubectl are recording
// stand-ins. Three boots, two at a time at most:
//   slot A: 1. the control plane (kubeadm init, PKI, CNI, the cluster verifier), then
//           2. a worker whose first two joins fail (retry with reset, then success);
//              then the probe's operator actions run k8s-reset --yes and the
//              bootstrap again, which must join again;
//   slot B: 3. a worker whose joins always fail, from a profile with a short
//           joinTimeout (gives up in time, failure marker names kubeadm-join).
// Slot B mostly waits out its joinTimeout, so it overlaps slot A cheaply.
// See test/e2e/README.md for the image cache and how to debug a boot.
import t from 'tap';
import { join } from 'node:path';
import { ensureImage, missingPrerequisites, REPO_ROOT } from '../helpers/vm-image.js';
import { BOOT_LIMIT_MS, E2E_CP, E2E_PROFILE, E2E_WORKER, generateSeeds, isoFile, keepOnFailure, profileDoc, runNode, scratchDir, seedIsoOf } from '../helpers/vm-node.js';
import { checkControlPlane } from './scenarios/control-plane.js';
import { checkClusterVerify, verifyKernelArgs } from './scenarios/cluster-verify.js';
import { checkWorkerJoinRetry, retryKernelArgs } from './scenarios/worker-join-retry.js';
import { checkWorkerJoinTimeout, joinTimeoutSeconds, timeoutKernelArgs } from './scenarios/worker-join-timeout.js';
import { opsKernelArgs, OPS_LIMIT_MS } from './scenarios/upgrade.js';
import { checkResetRejoin } from './scenarios/node-tools.js';

const PROFILE = E2E_PROFILE;
const SHORT_PROFILE = join(REPO_ROOT, 'test', 'e2e', 'profiles', 'e2e-short-timeout.yaml');
const CP = E2E_CP;
const WORKER = E2E_WORKER;

const missing = missingPrerequisites();
if (missing.length > 0) {
  t.fail(`e2e prerequisites missing: ${missing.join(', ')} (apt-get install debootstrap qemu-system-x86 qemu-utils)`);
} else {
  const log = (m: string) => t.comment(m);
  ensureImage(log);
  const profile = profileDoc(PROFILE);
  const shortProfile = profileDoc(SHORT_PROFILE);
  const out = scratchDir('e2e');
  t.teardown(out.remove);
  const generated = generateSeeds(PROFILE, join(out.dir, 'main'));
  const generatedShort = generateSeeds(SHORT_PROFILE, join(out.dir, 'short'));
  const cpUserData = isoFile(seedIsoOf(generated, CP), '/user-data');

  const cpBoot = runNode({ generated, node: CP, kernelArgs: verifyKernelArgs(profile), timeoutMs: BOOT_LIMIT_MS, log });
  const retryBoot = cpBoot
    .catch(() => undefined)
    .then(() =>
      runNode({
        generated,
        node: WORKER,
        kernelArgs: [...retryKernelArgs(profile, cpUserData), ...opsKernelArgs(['reset'])],
        timeoutMs: BOOT_LIMIT_MS + OPS_LIMIT_MS,
        log,
      }),
    );
  const timeoutBoot = runNode({
    generated: generatedShort,
    node: WORKER,
    kernelArgs: timeoutKernelArgs(shortProfile),
    timeoutMs: BOOT_LIMIT_MS + joinTimeoutSeconds(shortProfile) * 1000,
    log,
  });
  // The subtests await these in order; keep an early rejection from counting as unhandled meanwhile.
  for (const p of [cpBoot, retryBoot, timeoutBoot]) p.catch(() => {});

  t.test('1. control plane: kubeadm init, PKI, kubeconfig, CNI with the pod CIDR', async (t) => {
    const run = await cpBoot;
    keepOnFailure(t, run);
    await checkControlPlane(t, run, profile);
    await t.test('the cluster verifier: verified, then failed for a missing worker', (t) => checkClusterVerify(t, run, profile));
  });

  t.test('2. worker: failed joins are reset and retried until one succeeds', async (t) => {
    const run = await retryBoot;
    keepOnFailure(t, run);
    await checkWorkerJoinRetry(t, run, profile, cpUserData);
    await t.test('k8s-reset --yes, then the bootstrap again: it joins again', (t) => checkResetRejoin(t, run));
  });

  t.test('3. worker: joining gives up after cluster.joinTimeout', async (t) => {
    const run = await timeoutBoot;
    keepOnFailure(t, run);
    await checkWorkerJoinTimeout(t, run, shortProfile);
  });
}

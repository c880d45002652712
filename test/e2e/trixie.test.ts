// e2e on Debian 13 (trixie): cloud-init 25.1, containerd 1.7, systemd 257,
// iptables 1.8.11 on nftables, ufw 0.36.2, kernel 6.12. The same seeds of
// profiles/e2e.yaml (firewall.mode: ports, kube-proxy ipvs, Calico, metrics-server)
// and the same asserts as scenarios 1 and 2 on Debian 12, booted at once in two
// slots (tap starts this file when cluster.test.ts is done, beside packages.test.ts):
//   7. the control plane (kubeadm init, PKI, CNI, add-on, ufw ports);
//   8. a worker whose first two joins fail (retry with reset, then success).
// Scenario 3 (join gives up) and the package scenarios are not repeated here:
// they test the bootstrap's own logic and the apt path, not what differs
// between the two Debian releases. See test/e2e/README.md.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureImage, missingPrerequisites } from '../helpers/vm-image.js';
import { BOOT_LIMIT_MS, E2E_CP as CP, E2E_PROFILE as PROFILE, E2E_WORKER as WORKER, generateSeeds, isoFile, keepOnFailure, profileDoc, runNode, scratchDir, seedIsoOf } from '../helpers/vm-node.js';
import { checkControlPlane } from './scenarios/control-plane.js';
import { checkWorkerJoinRetry, retryKernelArgs } from './scenarios/worker-join-retry.js';
import { checkDebian13 } from './scenarios/debian13.js';

const missing = missingPrerequisites();
if (missing.length > 0) {
  t.fail(`e2e prerequisites missing: ${missing.join(', ')} (apt-get install debootstrap qemu-system-x86 qemu-utils)`);
} else {
  const log = (m: string) => t.comment(m);
  const image = ensureImage(log, 'trixie');
  const profile = profileDoc(PROFILE);
  const out = scratchDir('trixie');
  t.teardown(out.remove);
  const generated = generateSeeds(PROFILE, join(out.dir, 'main'));
  const cpUserData = isoFile(seedIsoOf(generated, CP), '/user-data');

  const cpBoot = runNode({ generated, node: CP, image, timeoutMs: BOOT_LIMIT_MS, log });
  const retryBoot = runNode({ generated, node: WORKER, image, kernelArgs: retryKernelArgs(profile, cpUserData), timeoutMs: BOOT_LIMIT_MS, log });
  for (const p of [cpBoot, retryBoot]) p.catch(() => {});

  t.test('the guest is Debian 13: cloud-init 25.1, containerd 1.7, systemd 257, iptables 1.8.11, ufw 0.36.2', async (t) => {
    const packages = readFileSync(join(image.dir, 'packages.txt'), 'utf8');
    t.match(packages, /^base-files 13[.\d]*/m, 'base-files 13 (Debian 13)');
    t.match(packages, /^cloud-init 25\.1\./m, 'cloud-init 25.1');
    t.match(packages, /^containerd 1\.7\./m, 'containerd 1.7');
    t.match(packages, /^systemd 257\./m, 'systemd 257');
    t.match(packages, /^iptables 1\.8\.11/m, 'iptables 1.8.11 (nftables backend)');
    t.match(packages, /^ufw 0\.36\.2/m, 'ufw 0.36.2');
  });

  t.test('7. Debian 13 control plane: kubeadm init, PKI, kubeconfig, CNI with the pod CIDR', async (t) => {
    const run = await cpBoot;
    keepOnFailure(t, run);
    await checkControlPlane(t, run, profile);
    checkDebian13(t, run);
  });

  t.test('8. Debian 13 worker: failed joins are reset and retried until one succeeds', async (t) => {
    const run = await retryBoot;
    keepOnFailure(t, run);
    await checkWorkerJoinRetry(t, run, profile, cpUserData);
    checkDebian13(t, run);
  });
}

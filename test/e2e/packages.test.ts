// e2e: the package install path and golden images, in QEMU guests whose only
// network is user-mode with restrict=on and one guestfwd to a loopback HTTP
// server serving a throwaway, signed apt repository of stand-in kubeadm,
// kubelet, kubectl and cri-tools packages (nothing leaves this machine).
// Three boots, one at a time (tap runs cluster.test.ts's two lanes alongside;
// a fourth guest on two cores costs more host CPU than it saves):
//   4. a control plane with packages.install: true: adds the mirror with the
//      embedded key, installs the pinned versions from it and holds them; then,
//      in the same boot, the probe's operator actions run its generated upgrade
//      script to the next minor twice (the mirror serves that track too) and k8s-diag;
//   5. a golden-image build: the generated provision.sh, run like Packer would,
//      installs from the mirror and bakes the node-independent configuration;
//   6. a control plane with image.prebaked: true booted on the disk of 5: skips
//      the baked steps and only verifies them.
// Each boot has its own mirror server, so each one's requests are its own.
// See test/e2e/README.md.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAptRepo, verifyAptRepoSignatures } from '../helpers/vm-apt-repo.js';
import { ensureImage, missingPrerequisites, REPO_ROOT } from '../helpers/vm-image.js';
import { generateImageDir, writeBuildSeed } from '../helpers/vm-golden.js';
import { MIRROR_ORIGIN, startMirror } from '../helpers/vm-mirror.js';
import { BOOT_LIMIT_MS, cleanUpUnlessFailed, generateSeeds, generateUpgrade, keepOnFailure, profileDoc, runNode, scratchDir, type NodeRun, type RunNodeOptions } from '../helpers/vm-node.js';
import { writeOpsDisk } from '../helpers/vm-ops-disk.js';
import type { ServedRequest } from '../helpers/http-tree-server.js';
import { aptTrack, packageVersion } from '../../src/kube/versions.js';
import { checkInstallPath, installKernelArgs } from './scenarios/install-path.js';
import { checkUpgrade, opsKernelArgs, OPS_LIMIT_MS, UPGRADE_REVISIONS, UPGRADE_TO } from './scenarios/upgrade.js';
import { checkDiag } from './scenarios/node-tools.js';
import { buildKernelArgs, checkGoldenBuild, checkPrebakedNode, prebakedKernelArgs } from './scenarios/golden-image.js';

const PROFILES = join(REPO_ROOT, 'test', 'e2e', 'profiles');
const INSTALL_NODE = 'e2e-apt-cp';
const GOLDEN_NODE = 'e2e-golden-cp';

function missingTools(): string[] {
  return ['dpkg-deb', 'apt-ftparchive', 'gpg', 'gpgv', 'genisoimage'].filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status !== 0,
  );
}

/**
 * Copies a profile from test/e2e/profiles into `dir` with the run's signing
 * key, which the profiles name relative to themselves (keyFile).
 */
function stageProfile(name: string, dir: string, armoredKey: string): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(PROFILES, name), join(dir, name));
  writeFileSync(join(dir, 'kubernetes-apt-key.asc'), armoredKey);
  return join(dir, name);
}

const missing = [...missingPrerequisites(), ...missingTools()];
if (missing.length > 0) {
  t.fail(`e2e prerequisites missing: ${missing.join(', ')} (apt-get install debootstrap qemu-system-x86 qemu-utils dpkg-dev apt-utils gnupg genisoimage)`);
} else {
  const log = (m: string) => t.comment(m);
  const image = ensureImage(log);
  const out = scratchDir('packages');
  t.teardown(out.remove);

  const installProfile = profileDoc(join(PROFILES, 'e2e-apt.yaml'));
  const version = installProfile.cluster.kubernetesVersion;
  // The upgrade's target on its own track (pkgs.k8s.io has one per minor), in two revisions.
  const repo = buildAptRepo({
    track: aptTrack(version),
    packageVersion: packageVersion(version),
    more: [{ track: aptTrack(UPGRADE_TO), packageVersions: UPGRADE_REVISIONS }],
  });
  t.teardown(repo.remove);
  verifyAptRepoSignatures(repo);

  const staged = join(out.dir, 'profiles');
  const installPath = stageProfile('e2e-apt.yaml', staged, repo.armoredKey);
  const prebakedPath = stageProfile('e2e-prebaked.yaml', staged, repo.armoredKey);
  const prebakedProfile = profileDoc(prebakedPath);
  const installGenerated = generateSeeds(installPath, join(out.dir, 'install'));
  const upgradeDir = generateUpgrade(installPath, join(out.dir, 'install'), UPGRADE_TO);
  const opsDisk = writeOpsDisk({ 'upgrade.sh': readFileSync(join(upgradeDir, `upgrade-${INSTALL_NODE}.sh`), 'utf8') }, out.dir);
  const goldenGenerated = generateSeeds(prebakedPath, join(out.dir, 'golden'));
  const imageDir = generateImageDir(prebakedPath, join(out.dir, 'golden'));
  const buildSeed = writeBuildSeed(imageDir, out.dir);

  interface Boot {
    run: NodeRun;
    /** What this boot's own mirror served, in order. */
    requests: ServedRequest[];
  }
  /** Boots with a fresh mirror server of the repository, closed when QEMU is done. */
  const boot = async (label: string, o: Omit<RunNodeOptions, 'nicArgs' | 'timeoutMs' | 'log'>, timeoutMs = BOOT_LIMIT_MS): Promise<Boot> => {
    const relayDir = join(out.dir, `mirror-${label}`);
    mkdirSync(relayDir);
    const mirror = await startMirror(repo.root, relayDir);
    try {
      const run = await runNode({ ...o, nicArgs: mirror.nicArgs, timeoutMs, log });
      return { run, requests: [...mirror.requests] };
    } finally {
      await mirror.close();
    }
  };

  const installBoot = boot(
    'install',
    {
      generated: installGenerated,
      node: INSTALL_NODE,
      kernelArgs: [...installKernelArgs(), ...opsKernelArgs(['upgrade', 'diag'], INSTALL_NODE)],
      extraIsos: [opsDisk],
    },
    BOOT_LIMIT_MS + OPS_LIMIT_MS,
  );
  const buildBoot = installBoot
    .catch(() => undefined)
    .then(() => boot('build', { generated: goldenGenerated, node: GOLDEN_NODE, seedIso: buildSeed, kernelArgs: buildKernelArgs(), keepDisk: true }));
  const prebakedBoot = buildBoot.then((b) => {
    if (!b.run.disk) throw new Error('the build boot kept no disk');
    return boot('prebaked', { generated: goldenGenerated, node: GOLDEN_NODE, image: { ...image, disk: b.run.disk }, kernelArgs: prebakedKernelArgs() });
  });
  for (const p of [installBoot, buildBoot, prebakedBoot]) p.catch(() => {});

  t.test('4. install path: the mirror with its signed-by key, pinned versions installed and held', async (t) => {
    const { run, requests } = await installBoot;
    keepOnFailure(t, run);
    await checkInstallPath(t, run, installProfile, repo, MIRROR_ORIGIN, requests, [repo.tracks[aptTrack(UPGRADE_TO)]!.repoPath]);
    await t.test(`upgrade to ${UPGRADE_TO}: the generated script, run twice`, (t) => checkUpgrade(t, run, repo, MIRROR_ORIGIN, requests));
    await t.test('k8s-diag: the tarball has the expected members and no secret', (t) => checkDiag(t, run));
  });

  let buildRun: NodeRun | undefined;
  t.test('5. golden image: provision.sh installs from the mirror and bakes the node-independent steps', async (t) => {
    const { run, requests } = await buildBoot;
    buildRun = run;
    // The disk is the next boot's image: removed only after that boot.
    await checkGoldenBuild(t, run, repo, MIRROR_ORIGIN, requests);
  });

  t.test('6. prebaked node: skips the baked steps, verifies the image and the versions', async (t) => {
    const { run, requests } = await prebakedBoot;
    keepOnFailure(t, run);
    await checkPrebakedNode(t, run, buildRun, prebakedProfile, requests);
  });

  t.teardown(() => {
    if (buildRun) cleanUpUnlessFailed(t, buildRun);
  });
}

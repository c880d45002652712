// Scenario 4: the install path. A control plane whose profile has
// packages.install: true and packages.aptRepository pointing at the test's
// signed throwaway mirror (keyFile embedded), booted with user-mode networking
// that reaches only that mirror. The image's preinstalled stand-ins are removed
// before cloud-init (gen_userdata_e2e.apt_install), so kubeadm, kubelet and
// kubectl exist afterwards only because apt installed them from the mirror.
import type { Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertCloudInit,
  assertHostPrepared,
  assertMarkers,
  assertProbed,
  assertSteps,
  COMMON_STEPS,
} from '../../helpers/vm-asserts.js';
import type { AptRepo } from '../../helpers/vm-apt-repo.js';
import type { ServedRequest } from '../../helpers/http-tree-server.js';
import { kubeadmCalls, type NodeRun, type RawProfile } from '../../helpers/vm-node.js';
import { NODE_PATHS } from '../../../src/plan/paths.js';

/** Where the generated step puts the dearmored key and the source line (templates/steps/kubernetes-packages-install.sh). */
export const KEYRING = '/etc/apt/keyrings/kubernetes-apt-keyring.gpg';
export const SOURCES = '/etc/apt/sources.list.d/kubernetes.list';
const EMBEDDED_KEY = NODE_PATHS.aptKey;
const TOOLS = ['kubeadm', 'kubelet', 'kubectl'] as const;

/** Kernel parameters for an install-path boot: eth0 naming for the profile's interface, stand-ins removed. */
export function installKernelArgs(): string[] {
  return ['net.ifnames=0', 'gen_userdata_e2e.apt_install'];
}

/** Fingerprints (upper-case hex) of the keys in an OpenPGP keyring file, read by the host's gpg. */
function keyringFingerprints(keyringFile: string): string[] {
  const home = mkdtempSync(join(tmpdir(), 'gen-userdata-e2e-gpg-'));
  try {
    const r = spawnSync('gpg', ['--batch', '--with-colons', '--show-keys', keyringFile], { encoding: 'utf8', env: { ...process.env, GNUPGHOME: home } });
    return [...r.stdout.matchAll(/^fpr:+([0-9A-F]{40}):/gm)].map((m) => m[1]!);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * Asserts what the mirror served during one boot: the signed index (InRelease,
 * or Release with Release.gpg), a Packages index, and each package's .deb, all
 * with status 200, under the repository path of the profile's version; nothing
 * else but `laterTracks` (repository paths the boot may use after the install,
 * e.g. an upgrade's track).
 */
export function assertMirrorServed(t: Test, repo: AptRepo, requests: ServedRequest[], debs: string[], laterTracks: string[] = []): void {
  const ok = (path: string) => requests.some((r) => r.method === 'GET' && r.path === path && r.status === 200);
  const paths = requests.map((r) => `${r.method} ${r.path} ${r.status}`);
  t.ok(
    ok(`${repo.repoPath}InRelease`) || (ok(`${repo.repoPath}Release`) && ok(`${repo.repoPath}Release.gpg`)),
    'the mirror served the signed Release (InRelease, or Release + Release.gpg)',
    { requests: paths },
  );
  t.ok(
    ['Packages', 'Packages.gz', 'Packages.xz'].some((f) => ok(`${repo.repoPath}${f}`)),
    'the mirror served a Packages index',
    { requests: paths },
  );
  for (const name of debs) t.ok(ok(repo.debPaths[name]!), `the mirror served ${name}'s .deb`, { requests: paths });
  t.ok(
    requests.every((r) => [repo.repoPath, ...laterTracks].some((p) => r.path.startsWith(p))),
    `every request was for ${[repo.repoPath, ...laterTracks].join('… or ')}… (the node used the track of its version)`,
    { requests: paths },
  );
}

/**
 * Asserts the apt side of a node that installed the packages from the mirror:
 * the source line with signed-by, the keyring made from the embedded key, the
 * exact pinned versions, holds, and that dpkg owns the binaries.
 */
export function assertInstalledFromMirror(t: Test, run: NodeRun, repo: AptRepo, mirrorUrl: string): void {
  const repoUrl = `${mirrorUrl}${repo.repoPath}`;
  t.equal(run.file(SOURCES), `deb [signed-by=${KEYRING}] ${repoUrl} /\n`, `${SOURCES} adds the mirror's ${repo.repoPath} with signed-by`);
  t.equal(run.file(EMBEDDED_KEY), repo.armoredKey, 'the embedded key is the mirror key (keyFile, embedded at generation time)');
  const keyringStat = run.stat.get(KEYRING);
  t.equal(keyringStat?.mode, '0644', `${KEYRING} exists with mode 0644`);
  t.same(keyringFingerprints(join(run.files, KEYRING)), [repo.fingerprint], `${KEYRING} holds exactly the mirror's signing key`);

  // dpkg's abbreviated status: "hi" = hold + installed; cri-tools came as kubeadm's dependency, not held.
  const dpkg = run.section('dpkg-k8s') ?? '';
  for (const [pkg, status] of [...TOOLS.map((tool) => [tool, 'hi'] as const), ['cri-tools', 'ii'] as const]) {
    const version = repo.packages[pkg]!;
    t.match(dpkg, new RegExp(`^${pkg} ${version.replace(/\./g, '\\.')} ${status} $`, 'm'), `dpkg: ${pkg} ${version} installed (${status})`, { dpkg });
  }
  const holds = (run.section('apt-holds') ?? '').split('\n').filter((l) => l !== '').sort();
  t.same(holds, [...TOOLS].sort(), 'apt-mark showhold lists exactly kubeadm, kubectl and kubelet');
  const owners = run.section('dpkg-owners') ?? '';
  for (const tool of TOOLS) t.match(owners, new RegExp(`^${tool}: /usr/bin/${tool}$`, 'm'), `/usr/bin/${tool} belongs to the ${tool} package`);
}

/** Asserts everything scenario 4 expects of the install-path control plane. */
export async function checkInstallPath(
  t: Test,
  run: NodeRun,
  profile: RawProfile,
  repo: AptRepo,
  mirrorUrl: string,
  requests: ServedRequest[],
  laterTracks: string[] = [],
): Promise<void> {
  if (!assertProbed(t, run)) return;
  assertMarkers(t, run);
  assertSteps(t, run, [...COMMON_STEPS, 'kubeadm-init', 'kubeconfig']);
  assertCloudInit(t, run, true);

  await t.test('the preinstalled stand-ins were gone before cloud-init', async (t) => {
    const prep = run.file('/var/log/gen-userdata-e2e/apt-install-prep.log') ?? '';
    for (const tool of TOOLS) t.match(prep, new RegExp(`^removed: /usr/bin/${tool}$`, 'm'), `/usr/bin/${tool} (image symlink) was removed`);
    t.match(prep, /^emptied \/etc\/apt\/sources\.list$/m, 'no Debian source: the mirror is the only apt source');
  });

  await t.test('apt: the mirror added with its key, pinned versions installed and held', async (t) => {
    assertInstalledFromMirror(t, run, repo, mirrorUrl);
    const history = run.file('/var/log/apt/history.log') ?? '';
    const install = history.split('\n').find((l) => /^Commandline: apt-get .* install .*kubeadm=/.test(l));
    const words = new Set((install ?? '').split(/\s+/));
    for (const tool of TOOLS) {
      t.ok(words.has(`${tool}=${repo.packages[tool]}`), `apt-get install asked for ${tool}=${repo.packages[tool]}`, { install, history });
    }
  });

  await t.test('the mirror served the signed index and the packages', async (t) => {
    assertMirrorServed(t, repo, requests, [...TOOLS, 'cri-tools'], laterTracks);
  });

  await t.test('the installed tools passed the version checks and ran the cluster bootstrap', async (t) => {
    assertHostPrepared(t, run, profile, { installsPackages: true });
    for (const line of ['kubeadm: v1.30.0', 'kubelet: v1.30.0', 'kubectl: v1.30.0']) {
      t.ok(run.bootstrapLog.includes(` ${line}\n`), `bootstrap log: ${line}`);
    }
    const init = kubeadmCalls(run.calls, 'init')[0];
    t.equal(init?.rc, 0, 'kubeadm init (from the package) succeeded', { stderr: init?.stderr });
  });
}

/**
 * A throwaway apt repository in the pkgs.k8s.io layout for the e2e install-path
 * test: stand-in kubeadm, kubelet, kubectl (and cri-tools, which real kubeadm
 * depends on) packaged with dpkg-deb at the exact version the generator pins,
 * indexed with apt-ftparchive as a flat repository (`deb … <url>/v1.30/deb/ /`)
 * and signed (InRelease and Release.gpg) with a gpg key made for this run in a
 * temporary GNUPGHOME. The packaged binaries are the image's own stand-in
 * (standin.py, which dispatches on the name it was called by).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RECIPE_DIR } from './vm-image.js';

const OVERLAY = join(RECIPE_DIR, 'overlay');
const STANDIN = join(OVERLAY, 'usr/local/libexec/gen-userdata-e2e/standin.py');

/** One file a stand-in package installs: where from (host) and where to (guest). */
interface PackagedFile {
  from: string;
  to: string;
  mode: number;
}

interface StandinPackage {
  name: string;
  version: string;
  depends?: string;
  description: string;
  files: PackagedFile[];
}

/** The stand-in packages, shaped like pkgs.k8s.io's: same names, same unit files in the same packages. */
function standinPackages(packageVersion: string): StandinPackage[] {
  const bin = (tool: string): PackagedFile => ({ from: STANDIN, to: `/usr/bin/${tool}`, mode: 0o755 });
  const unit = (rel: string): PackagedFile => ({ from: join(OVERLAY, rel), to: `/${rel}`, mode: 0o644 });
  return [
    {
      name: 'kubeadm',
      version: packageVersion,
      depends: `cri-tools (>= ${packageVersion.split('-')[0]})`,
      description: 'gen-userdata e2e stand-in for kubeadm',
      files: [bin('kubeadm'), unit('usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf')],
    },
    {
      name: 'kubelet',
      version: packageVersion,
      description: 'gen-userdata e2e stand-in for kubelet',
      files: [bin('kubelet'), unit('usr/lib/systemd/system/kubelet.service')],
    },
    { name: 'kubectl', version: packageVersion, description: 'gen-userdata e2e stand-in for kubectl', files: [bin('kubectl')] },
    { name: 'cri-tools', version: packageVersion, description: 'gen-userdata e2e stand-in for crictl', files: [bin('crictl')] },
  ];
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${r.stderr}`);
  return r.stdout;
}

/** The repository as served: its root directory and what the test needs to point a profile at it. */
export interface AptRepo {
  /** Directory to serve over HTTP (the URL root). */
  root: string;
  /** Path under the URL root that profiles use as packages.aptRepository.url, e.g. "/core:/stable:". */
  basePath: string;
  /** Path of the flat repository for the version's minor, e.g. "/core:/stable:/v1.30/deb/". */
  repoPath: string;
  /** The signing key, ASCII-armored (what packages.aptRepository.keyFile points at). */
  armoredKey: string;
  /** The signing key's fingerprint (40 hex digits, upper case). */
  fingerprint: string;
  /** Package name → version, for every package in the repository. */
  packages: Record<string, string>;
  /** Paths under the URL root of the .deb files, by package name. */
  debPaths: Record<string, string>;
  /** Removes everything (the repository and the temporary GNUPGHOME). */
  remove(): void;
}

export interface AptRepoOptions {
  /** Kubernetes minor track, e.g. "v1.30". */
  track: string;
  /** Package version to build, e.g. "1.30.0-1.1". */
  packageVersion: string;
  /** URL path the profile's aptRepository.url ends in. Default "/core:/stable:" (pkgs.k8s.io's). */
  basePath?: string;
}

/**
 * Builds and signs the repository in a new temporary directory. Needs dpkg-deb,
 * apt-ftparchive and gpg on the host; throws with the failing tool's stderr.
 */
export function buildAptRepo(o: AptRepoOptions): AptRepo {
  const work = mkdtempSync(join(tmpdir(), 'gen-userdata-e2e-apt-'));
  const root = join(work, 'www');
  const gnupg = join(work, 'gnupg');
  mkdirSync(gnupg, { mode: 0o700 });
  const basePath = o.basePath ?? '/core:/stable:';
  const repoPath = `${basePath}/${o.track}/deb/`;
  const repoDir = join(root, repoPath);
  mkdirSync(join(repoDir, 'amd64'), { recursive: true });

  // Packages: a tree per package, control file, dpkg-deb --root-owner-group.
  const packages: Record<string, string> = {};
  const debPaths: Record<string, string> = {};
  for (const p of standinPackages(o.packageVersion)) {
    const tree = join(work, 'build', p.name);
    mkdirSync(join(tree, 'DEBIAN'), { recursive: true });
    for (const f of p.files) {
      const dest = join(tree, f.to);
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(f.from, dest);
      chmodSync(dest, f.mode);
    }
    const control = [
      `Package: ${p.name}`,
      `Version: ${p.version}`,
      'Architecture: amd64',
      'Maintainer: gen-userdata e2e <e2e@invalid>',
      ...(p.depends ? [`Depends: ${p.depends}`] : []),
      'Section: admin',
      'Priority: optional',
      `Description: ${p.description}`,
      ' Built by test/helpers/vm-apt-repo.ts for one test run; never published.',
      '',
    ].join('\n');
    writeFileSync(join(tree, 'DEBIAN', 'control'), control);
    const file = `${p.name}_${p.version}_amd64.deb`;
    run('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', tree, join(repoDir, 'amd64', file)]);
    packages[p.name] = p.version;
    debPaths[p.name] = `${repoPath}amd64/${file}`;
  }

  // Index and Release, in the flat layout: Filename paths are relative to <url>/<track>/deb/.
  const packagesIndex = run('apt-ftparchive', ['packages', 'amd64'], { cwd: repoDir });
  writeFileSync(join(repoDir, 'Packages'), packagesIndex);
  run('gzip', ['-9kn', 'Packages'], { cwd: repoDir });
  const release = run(
    'apt-ftparchive',
    [
      '-o', 'APT::FTPArchive::Release::Origin=gen-userdata-e2e',
      '-o', 'APT::FTPArchive::Release::Label=gen-userdata-e2e',
      '-o', 'APT::FTPArchive::Release::Architectures=amd64',
      '-o', `APT::FTPArchive::Release::Description=throwaway ${o.track} stand-ins`,
      'release', '.',
    ],
    { cwd: repoDir },
  );
  writeFileSync(join(repoDir, 'Release'), release);

  // A key for this run only; GNUPGHOME keeps the host's keyrings out of it.
  const env = { ...process.env, GNUPGHOME: gnupg };
  const gpg = (...args: string[]) => run('gpg', ['--batch', '--quiet', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], { env, cwd: repoDir });
  gpg('--quick-gen-key', 'gen-userdata e2e throwaway apt key <e2e@invalid>', 'ed25519', 'sign', '1d');
  const colons = gpg('--with-colons', '--list-secret-keys');
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(colons)?.[1];
  if (!fingerprint) throw new Error(`no fingerprint in gpg output:\n${colons}`);
  gpg('--yes', '--local-user', fingerprint, '--clearsign', '-o', 'InRelease', 'Release');
  gpg('--yes', '--local-user', fingerprint, '--armor', '--detach-sign', '-o', 'Release.gpg', 'Release');
  const armoredKey = gpg('--armor', '--export', fingerprint);
  // pkgs.k8s.io publishes its key next to the index; a profile without keyFile would fetch it.
  writeFileSync(join(repoDir, 'Release.key'), armoredKey);
  // The agent started by key generation must not outlive the test.
  spawnSync('gpgconf', ['--kill', 'gpg-agent'], { env });

  return {
    root,
    basePath,
    repoPath,
    armoredKey,
    fingerprint,
    packages,
    debPaths,
    remove: () => rmSync(work, { recursive: true, force: true }),
  };
}

/** Verifies InRelease and Release.gpg against the key with gpgv, as apt does. Throws when either fails. */
export function verifyAptRepoSignatures(repo: AptRepo): void {
  const work = mkdtempSync(join(tmpdir(), 'gen-userdata-e2e-gpgv-'));
  try {
    const keyring = join(work, 'keyring.gpg');
    // The same conversion the node does (gpg --dearmor into the signed-by keyring).
    run('gpg', ['--batch', '--yes', '--dearmor', '-o', keyring], { input: repo.armoredKey, env: { ...process.env, GNUPGHOME: work } });
    const dir = join(repo.root, repo.repoPath);
    run('gpgv', ['--keyring', keyring, join(dir, 'InRelease')]);
    run('gpgv', ['--keyring', keyring, join(dir, 'Release.gpg'), join(dir, 'Release')]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

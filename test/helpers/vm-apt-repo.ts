/**
 * A throwaway apt repository in the pkgs.k8s.io layout for the e2e install-path
 * test: stand-in kubeadm, kubelet, kubectl (and cri-tools, which real kubeadm
 * depends on) packaged with dpkg-deb at the exact version the generator pins,
 * indexed with apt-ftparchive as a flat repository (`deb … <url>/v1.30/deb/ /`)
 * and signed (InRelease and Release.gpg) with a gpg key made for this run in a
 * temporary GNUPGHOME. The packaged binaries are the image's own stand-in
 * (standin.py, which dispatches on the name it was called by); each package also
 * carries its upstream version (/usr/share/gen-userdata-e2e/version/<tool>), which
 * the stand-in reports, as a real binary reports the release it was built from.
 * Besides the version a node installs, the repository can publish more versions
 * on their own tracks (an upgrade target: pkgs.k8s.io has one repository per
 * minor, all signed with the same key).
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

/** Where a packaged stand-in finds the version it reports (standin.py's PACKAGE_VERSION_DIR). */
const VERSION_DIR = '/usr/share/gen-userdata-e2e/version';

/** The stand-in packages, shaped like pkgs.k8s.io's: same names, same unit files in the same packages. */
function standinPackages(packageVersion: string, versionFiles: string): StandinPackage[] {
  const upstream = packageVersion.split('-')[0]!;
  const bin = (tool: string): PackagedFile => ({ from: STANDIN, to: `/usr/bin/${tool}`, mode: 0o755 });
  const version = (tool: string): PackagedFile => {
    const from = join(versionFiles, `${tool}-${upstream}`);
    writeFileSync(from, `${upstream}\n`);
    return { from, to: `${VERSION_DIR}/${tool}`, mode: 0o644 };
  };
  const unit = (rel: string): PackagedFile => ({ from: join(OVERLAY, rel), to: `/${rel}`, mode: 0o644 });
  return [
    {
      name: 'kubeadm',
      version: packageVersion,
      depends: `cri-tools (>= ${upstream})`,
      description: 'gen-userdata e2e stand-in for kubeadm',
      files: [bin('kubeadm'), version('kubeadm'), unit('usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf')],
    },
    {
      name: 'kubelet',
      version: packageVersion,
      description: 'gen-userdata e2e stand-in for kubelet',
      files: [bin('kubelet'), version('kubelet'), unit('usr/lib/systemd/system/kubelet.service')],
    },
    { name: 'kubectl', version: packageVersion, description: 'gen-userdata e2e stand-in for kubectl', files: [bin('kubectl'), version('kubectl')] },
    { name: 'cri-tools', version: packageVersion, description: 'gen-userdata e2e stand-in for crictl', files: [bin('crictl'), version('crictl')] },
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
  /**
   * Every track the repository serves (the node's and those of AptRepoOptions.more):
   * its flat repository path and the .deb path of each package version ("kubeadm=1.31.2-2.1").
   */
  tracks: Record<string, { repoPath: string; debPaths: Record<string, string> }>;
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
  /** More package versions to publish, by track (e.g. an upgrade target, "v1.31": ["1.31.2-1.1", "1.31.2-2.1"]). */
  more?: { track: string; packageVersions: string[] }[];
}

/**
 * Builds and signs the repository in a new temporary directory. Needs dpkg-deb,
 * apt-ftparchive and gpg on the host; throws with the failing tool's stderr.
 */
export function buildAptRepo(o: AptRepoOptions): AptRepo {
  const work = mkdtempSync(join(tmpdir(), 'gen-userdata-e2e-apt-'));
  const root = join(work, 'www');
  const gnupg = join(work, 'gnupg');
  const versionFiles = join(work, 'versions');
  mkdirSync(gnupg, { mode: 0o700 });
  mkdirSync(versionFiles);
  const basePath = o.basePath ?? '/core:/stable:';
  const trackPath = (track: string) => `${basePath}/${track}/deb/`;

  // A key for this run only; GNUPGHOME keeps the host's keyrings out of it.
  const env = { ...process.env, GNUPGHOME: gnupg };
  const gpg = (cwd: string, ...args: string[]) =>
    run('gpg', ['--batch', '--quiet', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], { env, cwd });
  gpg(work, '--quick-gen-key', 'gen-userdata e2e throwaway apt key <e2e@invalid>', 'ed25519', 'sign', '1d');
  const colons = gpg(work, '--with-colons', '--list-secret-keys');
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(colons)?.[1];
  if (!fingerprint) throw new Error(`no fingerprint in gpg output:\n${colons}`);
  const armoredKey = gpg(work, '--armor', '--export', fingerprint);

  // The versions to publish, by track; the node's own first.
  const byTrack = new Map<string, string[]>([[o.track, [o.packageVersion]]]);
  for (const m of o.more ?? []) byTrack.set(m.track, [...(byTrack.get(m.track) ?? []), ...m.packageVersions]);

  const tracks: AptRepo['tracks'] = {};
  for (const [track, versions] of byTrack) {
    const repoPath = trackPath(track);
    const repoDir = join(root, repoPath);
    mkdirSync(join(repoDir, 'amd64'), { recursive: true });
    const debPaths: Record<string, string> = {};
    // Packages: a tree per package and version, control file, dpkg-deb --root-owner-group.
    for (const version of versions) {
      for (const p of standinPackages(version, versionFiles)) {
        const tree = join(work, 'build', `${p.name}_${p.version}`);
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
        debPaths[`${p.name}=${p.version}`] = `${repoPath}amd64/${file}`;
      }
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
        '-o', `APT::FTPArchive::Release::Description=throwaway ${track} stand-ins`,
        'release', '.',
      ],
      { cwd: repoDir },
    );
    writeFileSync(join(repoDir, 'Release'), release);
    gpg(repoDir, '--yes', '--local-user', fingerprint, '--clearsign', '-o', 'InRelease', 'Release');
    gpg(repoDir, '--yes', '--local-user', fingerprint, '--armor', '--detach-sign', '-o', 'Release.gpg', 'Release');
    // pkgs.k8s.io publishes its key next to the index; a profile without keyFile would fetch it.
    writeFileSync(join(repoDir, 'Release.key'), armoredKey);
    tracks[track] = { repoPath, debPaths };
  }
  // The agent started by key generation must not outlive the test.
  spawnSync('gpgconf', ['--kill', 'gpg-agent'], { env });

  const names = ['kubeadm', 'kubelet', 'kubectl', 'cri-tools'];
  const own = tracks[o.track]!;
  return {
    root,
    basePath,
    repoPath: own.repoPath,
    armoredKey,
    fingerprint,
    packages: Object.fromEntries(names.map((n) => [n, o.packageVersion])),
    debPaths: Object.fromEntries(names.map((n) => [n, own.debPaths[`${n}=${o.packageVersion}`]!])),
    tracks,
    remove: () => rmSync(work, { recursive: true, force: true }),
  };
}

/** Verifies every track's InRelease and Release.gpg against the key with gpgv, as apt does. Throws when either fails. */
export function verifyAptRepoSignatures(repo: AptRepo): void {
  const work = mkdtempSync(join(tmpdir(), 'gen-userdata-e2e-gpgv-'));
  try {
    const keyring = join(work, 'keyring.gpg');
    // The same conversion the node does (gpg --dearmor into the signed-by keyring).
    run('gpg', ['--batch', '--yes', '--dearmor', '-o', keyring], { input: repo.armoredKey, env: { ...process.env, GNUPGHOME: work } });
    for (const { repoPath } of Object.values(repo.tracks)) {
      const dir = join(repo.root, repoPath);
      run('gpgv', ['--keyring', keyring, join(dir, 'InRelease')]);
      run('gpgv', ['--keyring', keyring, join(dir, 'Release.gpg'), join(dir, 'Release')]);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Golden images for the e2e test: `gen-userdata image` output, and a NoCloud
 * seed for the build boot that runs the generated provision.sh the way the
 * generated Packer template does: on top of the generated build seed, once
 * cloud-init has finished, with root rights. The disk that boot leaves behind
 * is the golden image the prebaked node then boots from.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ensureCliBuilt, profileDoc } from './vm-node.js';
import { REPO_ROOT } from './vm-image.js';

const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');

/** Where the build boot puts provision.sh; the name is what the bootstrap's own script is called, with "provision". */
export const PROVISION_PATH = '/usr/local/sbin/gen-userdata-provision';
/** The transient unit the build boot runs provision.sh in. */
export const PROVISION_UNIT = 'gen-userdata-e2e-provision.service';

/**
 * Runs `gen-userdata image --profile <profile> --out <outRoot>` and returns the
 * image directory (<outRoot>/<cluster>/image). Throws when the CLI exits non-zero.
 */
export function generateImageDir(profile: string, outRoot: string): string {
  ensureCliBuilt();
  const templates = process.env.GEN_USERDATA_E2E_TEMPLATES;
  const args = [CLI, 'image', '--profile', profile, '--out', outRoot, ...(templates ? ['--templates', templates] : [])];
  const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gen-userdata image exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  const dir = join(outRoot, profileDoc(profile).cluster.name, 'image');
  if (!existsSync(join(dir, 'provision.sh'))) throw new Error(`no provision.sh in ${dir}`);
  return dir;
}

/** The build login's password in the test (Packer makes a random one per build). */
export const BUILD_PASSWORD = 'gen-userdata-e2e-build';

/**
 * The build seed's user-data as Packer would hand it to the build VM:
 * cidata/user-data.pkrtpl.hcl rendered the way node.pkr.hcl's templatefile()
 * does (its one variable, `password`), or a plain cidata/user-data. Throws when
 * the template uses anything else, which this rendering would get wrong.
 */
export function renderBuildUserData(imageDir: string): string {
  const plain = join(imageDir, 'cidata', 'user-data');
  if (existsSync(plain)) return readFileSync(plain, 'utf8');
  const template = readFileSync(join(imageDir, 'cidata', 'user-data.pkrtpl.hcl'), 'utf8');
  const rendered = template.replace(/\$\{password\}/g, BUILD_PASSWORD);
  if (/[$%]\{/.test(rendered)) throw new Error('cidata/user-data.pkrtpl.hcl uses more than ${password}; render it here like templatefile()');
  return rendered;
}

/**
 * Writes the build boot's seed into `workDir` and returns the ISO's path: the
 * generated build user-data (the temporary build login) with provision.sh
 * added as a file, and a runcmd that queues it as a transient oneshot ordered
 * after cloud-final (Packer waits for cloud-init before its provisioners run:
 * provision.sh ends with `cloud-init clean`) and before the e2e probe (which
 * then dumps what provision.sh did). The generated cidata/meta-data is used as
 * is; there is no network-config, as in the Packer build, so cloud-init falls
 * back to DHCP. Throws when genisoimage fails.
 */
export function writeBuildSeed(imageDir: string, workDir: string): string {
  const userData = renderBuildUserData(imageDir);
  if (!userData.startsWith('#cloud-config\n')) throw new Error('generated build seed is not #cloud-config');
  if (/^(write_files|runcmd):/m.test(userData)) throw new Error('generated build seed already has write_files or runcmd; merge them here');
  const provision = readFileSync(join(imageDir, 'provision.sh'));
  const added = stringify(
    {
      write_files: [{ path: PROVISION_PATH, permissions: '0755', owner: 'root:root', encoding: 'b64', content: provision.toString('base64') }],
      runcmd: [
        [
          'systemd-run',
          '--no-block',
          `--unit=${PROVISION_UNIT}`,
          '--property=Type=oneshot',
          '--property=After=cloud-final.service',
          '--property=Before=gen-userdata-e2e-probe.service',
          PROVISION_PATH,
        ],
      ],
    },
    { lineWidth: 0 },
  );
  const seedDir = join(workDir, 'build-seed');
  mkdirSync(seedDir, { recursive: true });
  writeFileSync(join(seedDir, 'user-data'), `${userData.replace(/\n*$/, '\n')}# gen-userdata e2e: run provision.sh as Packer's provisioner would.\n${added}`);
  copyFileSync(join(imageDir, 'cidata', 'meta-data'), join(seedDir, 'meta-data'));
  const iso = join(workDir, 'build-seed.iso');
  const r = spawnSync('genisoimage', ['-quiet', '-output', iso, '-volid', 'cidata', '-joliet', '-rock', join(seedDir, 'user-data'), join(seedDir, 'meta-data')], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`genisoimage failed: ${r.stderr}`);
  return iso;
}

import { join } from 'node:path';
import { generateImage, IMAGE_DIR } from '../../output/generate-image.js';
import { readProfile } from '../read-profile.js';
import { loadTemplates } from '../load-templates.js';
import { replaceDirectory } from '../output-tree.js';
import { withClusterLock } from '../with-cluster-lock.js';
import { EXIT, fail, printDiagnostics } from '../report.js';

/** Options of `gen-userdata image`. */
export interface ImageOptions {
  profile: string;
  out: string;
  templates?: string;
}

/**
 * Writes <out>/<cluster>/image/ (provision.sh, node.pkr.hcl, the build seed, README.md).
 * Only that directory is replaced, atomically; node outputs and secrets.yaml next to it
 * stay as they are, and no secrets are read or created. Returns the exit code.
 */
export async function runImage(opts: ImageOptions): Promise<number> {
  const profile = readProfile(opts.profile);
  if (!profile.ok) return fail(profile.diagnostics);
  printDiagnostics(profile.warnings);
  const p = profile.value;
  const templates = loadTemplates(opts.templates);
  const files = generateImage(p, templates);
  const dir = join(opts.out, p.cluster.name, IMAGE_DIR);
  const locked = await withClusterLock(opts.out, p.cluster.name, () => {
    replaceDirectory(dir, files);
    return EXIT.ok;
  });
  if (locked !== EXIT.ok) return locked;
  process.stdout.write(`wrote ${dir}: ${files.map((f) => f.path).join(', ')}\n`);
  process.stdout.write(`build it: cd ${dir} && packer init . && packer build .\n`);
  if (!p.images.prebaked) {
    process.stdout.write('nodes skip the baked steps only with image.prebaked: true (and packages.install: false) in their profile\n');
  }
  return EXIT.ok;
}

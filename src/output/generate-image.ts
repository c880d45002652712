import type { Profile } from '../profile/types.js';
import type { TemplateSet } from '../template/render-template.js';
import { renderTemplate } from '../template/render-template.js';
import { renderProvisionScript } from '../emit/image/provision-script.js';
import { renderPackerTemplate } from '../emit/image/packer-template.js';
import { BUILD_USER_DATA_TEMPLATE, buildSeed } from '../emit/image/build-seed.js';
import { utf8, type OutputFile } from './output-file.js';

/** Directory under out/<cluster>/ that `gen-userdata image` owns (and replaces as a whole). */
export const IMAGE_DIR = 'image';

/**
 * Everything out/<cluster>/image/ should contain, with paths relative to that directory:
 * provision.sh, node.pkr.hcl, the build seed (cidata/meta-data and the user-data template
 * cidata/user-data.pkrtpl.hcl, which Packer fills with a per-build password) and a
 * README.md with the build command. Nothing here is secret or node-specific: no PKI, no
 * token. Pure: the same profile and templates give byte-identical files.
 */
export function generateImage(profile: Profile, templates: TemplateSet): OutputFile[] {
  const seed = buildSeed(profile.cluster.name);
  const view = { cluster: profile.cluster.name, kubernetesVersion: profile.cluster.kubernetesVersion };
  // format "cluster": these belong to the cluster as a whole, not to one node.
  const file = (path: string, content: string, mode: number): OutputFile => ({ format: 'cluster', path, content: utf8(content), mode });
  return [
    file('README.md', renderTemplate(templates, 'image/README.md', view), 0o644),
    file('cidata/meta-data', seed['meta-data'], 0o644),
    file(`cidata/${BUILD_USER_DATA_TEMPLATE}`, seed[BUILD_USER_DATA_TEMPLATE], 0o644),
    file('node.pkr.hcl', renderPackerTemplate(profile, templates), 0o644),
    file('provision.sh', renderProvisionScript(profile, templates), 0o755),
  ];
}

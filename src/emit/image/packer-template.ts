import type { Profile } from '../../profile/types.js';
import type { TemplateSet } from '../../template/render-template.js';
import { renderTemplate } from '../../template/render-template.js';
import { BUILD_USER, BUILD_USER_DATA_TEMPLATE } from './build-seed.js';

/**
 * Renders node.pkr.hcl (templates/image/node.pkr.hcl): a Packer QEMU build of a cloud
 * image with the cidata seed and provision.sh. The values are the cluster name (an RFC
 * 1123 label), the version, the build login and the seed template's file name, none of
 * which needs HCL escaping. The build password is not among them: Packer makes a new one
 * for every build (uuidv4()), so this output stays the same from run to run.
 * Throws only when the template is missing.
 */
export function renderPackerTemplate(profile: Profile, templates: TemplateSet): string {
  return renderTemplate(templates, 'image/node.pkr.hcl', {
    cluster: profile.cluster.name,
    kubernetesVersion: profile.cluster.kubernetesVersion,
    buildUser: BUILD_USER,
    userDataTemplate: BUILD_USER_DATA_TEMPLATE,
  });
}

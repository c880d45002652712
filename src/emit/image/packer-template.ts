import type { Profile } from '../../profile/types.js';
import type { TemplateSet } from '../../template/render-template.js';
import { renderTemplate } from '../../template/render-template.js';
import { BUILD_PASSWORD, BUILD_USER } from './build-seed.js';

/**
 * Renders node.pkr.hcl (templates/image/node.pkr.hcl): a Packer QEMU build of a cloud
 * image with the cidata seed and provision.sh. The values are the cluster name (an RFC
 * 1123 label), the version and the build login, none of which needs HCL escaping.
 * Throws only when the template is missing.
 */
export function renderPackerTemplate(profile: Profile, templates: TemplateSet): string {
  return renderTemplate(templates, 'image/node.pkr.hcl', {
    cluster: profile.cluster.name,
    kubernetesVersion: profile.cluster.kubernetesVersion,
    buildUser: BUILD_USER,
    buildPassword: BUILD_PASSWORD,
  });
}

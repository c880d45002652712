import type { CpuArch, Profile } from '../../profile/types.js';
import { declaredArches } from '../../profile/node-arches.js';
import type { TemplateSet } from '../../template/render-template.js';
import { renderTemplate } from '../../template/render-template.js';
import { BUILD_USER, BUILD_USER_DATA_TEMPLATE } from './build-seed.js';

/**
 * The architectures a golden image is built for: those of the profile's nodes (one
 * QEMU source each, amd64 with qemu-system-x86_64, arm64 with qemu-system-aarch64 and
 * an arm64 cloud image). Nodes with arch auto add none of their own; a profile whose
 * nodes are all auto gets the amd64 image.
 */
export function imageArches(profile: Profile): CpuArch[] {
  const arches = declaredArches(profile);
  return arches.length === 0 ? ['amd64'] : arches;
}

/**
 * Renders node.pkr.hcl (templates/image/node.pkr.hcl): a Packer QEMU build of a cloud
 * image with the cidata seed and provision.sh. The values are the cluster name (an RFC
 * 1123 label), the version, the build login and the seed template's file name, none of
 * which needs HCL escaping. The build password is not among them: Packer makes a new one
 * for every build (uuidv4()), so this output stays the same from run to run.
 * Throws only when the template is missing.
 */
export function renderPackerTemplate(profile: Profile, templates: TemplateSet): string {
  const arches = imageArches(profile);
  // amd64 keeps the names the template had before arm64 (source "node", var.image_url).
  const sources = arches.map((a) => {
    const amd64 = a === 'amd64';
    return {
      arm64: !amd64,
      name: amd64 ? 'node' : `node-${a}`,
      nameSuffix: amd64 ? '' : `-${a}`,
      varPrefix: amd64 ? '' : `${a}_`,
      outputDirectory: amd64 ? 'var.output_directory' : `"\${var.output_directory}-${a}"`,
    };
  });
  return renderTemplate(templates, 'image/node.pkr.hcl', {
    arm64: arches.includes('arm64'),
    sources,
    sourceList: `[${sources.map((s) => `"source.qemu.${s.name}"`).join(', ')}]`,
    cluster: profile.cluster.name,
    kubernetesVersion: profile.cluster.kubernetesVersion,
    buildUser: BUILD_USER,
    userDataTemplate: BUILD_USER_DATA_TEMPLATE,
  });
}

import type { Profile } from '../profile/types.js';
import type { PlanTarget } from './paths.js';

/**
 * True when this node boots from a golden image made by `gen-userdata image`
 * (image.prebaked): its first boot then skips what provision.sh already did and only
 * verifies it. Only Debian/Ubuntu (cloud-init) images are baked that way; Flatcar
 * nodes always get their full configuration.
 */
export function usesPrebakedImage(profile: Profile, target: PlanTarget): boolean {
  return target === 'cloud-init' && profile.images.prebaked;
}

import type { Profile } from '../profile/types.js';
import { pauseImage } from '../kube/versions.js';

/** The sandbox (pause) image containerd must use: the profile's override, or kubeadm's for the version. */
export function sandboxImage(profile: Profile): string {
  return profile.runtime.sandboxImage ?? pauseImage(profile.cluster.kubernetesVersion, profile.images.repository);
}

/**
 * Per-node kubelet reservations (computed from nodes[].capacity) as a kubeadm patch.
 * The KubeletConfiguration in the kubelet-config ConfigMap is the same for every node,
 * so what differs per node goes into a JSON merge patch of target kubeletconfiguration
 * in the directory that InitConfiguration/JoinConfiguration `patches.directory` names on
 * every node (kubeadm ≥ 1.25 applies it to the node's /var/lib/kubelet/config.yaml).
 */
import type { Profile, ProfileNode } from '../profile/types.js';
import { computedReservations } from '../capacity/node-reservations.js';
import { toYamlDocuments } from './yaml-documents.js';
import { KUBEADM_PATCHES_DIR } from './kubeadm-api.js';


/**
 * The patch file: target kubeletconfiguration, JSON merge patch ("+merge"), YAML. The
 * suffix "1" (kubeadm reads the target up to the first character outside [a-z-]) keeps
 * it apart from other kubeletconfiguration patches in the directory; kubeadm applies
 * them in name order, and they set different keys.
 */
export const KUBELET_PATCH_FILE = `${KUBEADM_PATCHES_DIR}/kubeletconfiguration1+merge.yaml`;

/** The node's patch text, or undefined when nothing is computed from capacity (the profile's reservations stay cluster-wide). */
export function kubeletReservationPatch(profile: Profile, node: ProfileNode): string | undefined {
  const r = computedReservations(profile, node);
  return Object.keys(r).length === 0 ? undefined : toYamlDocuments([r]);
}

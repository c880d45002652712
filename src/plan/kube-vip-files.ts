import type { Profile, ProfileNode } from '../profile/types.js';
import type { PlanFile } from './types.js';
import { parseEndpoint } from '../kube/endpoint.js';
import { ADMIN_CONF, KUBE_VIP_MANIFEST_PATH, initialKubeVipKubeconfig, kubeVipManifest } from '../kube/kube-vip.js';
import { NODE_PATHS } from './paths.js';

/** How kube-vip reaches a node: which files it ships and whether a bootstrap step installs the staged manifest. */
export interface KubeVipPlan {
  files: PlanFile[];
  /**
   * A step copies NODE_PATHS.kubeVipStaged to /etc/kubernetes/manifests/kube-vip.yaml:
   * "after-init" on the init node when it starts on super-admin.conf (switch to
   * admin.conf), "after-join" on joining control planes (kubeadm join refuses a
   * non-empty manifests directory, so kube-vip comes after the join).
   */
  install: 'after-init' | 'after-join' | undefined;
}

function manifestFile(path: string, content: string): PlanFile {
  // kubeadm writes its static pod manifests 0600; kube-vip's sits next to them.
  return { path, mode: 0o600, owner: 'root:root', content, secret: false };
}

/**
 * kube-vip for one node (cluster.vip set, control planes only; empty otherwise):
 * - init node: the manifest directly in /etc/kubernetes/manifests, so the VIP is
 *   up while `kubeadm init` waits for the API through it; on Kubernetes ≥ 1.29
 *   that one mounts super-admin.conf and the admin.conf flavour is staged for the
 *   switch after init;
 * - joining control plane: the admin.conf flavour, staged for after the join.
 * Never throws for a validated profile.
 */
export function kubeVipPlan(profile: Profile, node: ProfileNode, init: boolean): KubeVipPlan {
  const vip = profile.cluster.vip;
  if (vip === undefined || node.role !== 'control-plane') return { files: [], install: undefined };
  const base = {
    vip,
    port: parseEndpoint(profile.cluster.controlPlaneEndpoint).port,
    ...(profile.images.repository !== undefined ? { imageRepository: profile.images.repository } : {}),
  };
  const final = kubeVipManifest({ ...base, kubeconfig: ADMIN_CONF });
  if (!init) return { files: [manifestFile(NODE_PATHS.kubeVipStaged, final)], install: 'after-join' };
  const first = initialKubeVipKubeconfig(profile.cluster.kubernetesVersion, true);
  if (first === ADMIN_CONF) return { files: [manifestFile(KUBE_VIP_MANIFEST_PATH, final)], install: undefined };
  return {
    files: [manifestFile(KUBE_VIP_MANIFEST_PATH, kubeVipManifest({ ...base, kubeconfig: first })), manifestFile(NODE_PATHS.kubeVipStaged, final)],
    install: 'after-init',
  };
}

import type { Profile, ProfileNode } from '../profile/types.js';
import { buildClusterConfiguration } from './cluster-configuration.js';
import { buildInitConfiguration } from './init-configuration.js';
import { buildJoinConfiguration } from './join-configuration.js';
import { buildKubeProxyConfiguration } from './kube-proxy-configuration.js';
import { buildKubeletConfiguration } from './kubelet-configuration.js';
import { requireVersionInfo } from './versions.js';
import { toYamlDocuments } from './yaml-documents.js';

/** What one node's kubeadm configuration is built from. */
export interface KubeadmConfigInput {
  profile: Profile;
  node: ProfileNode;
  /** True only for the first control plane, which runs kubeadm init. */
  init: boolean;
  /** Bootstrap token "abcdef.0123456789abcdef". */
  token: string;
  /** Discovery pin "sha256:<hex>" of the cluster CA's public key. */
  caCertHash: string;
  /** Algorithm of the cluster's CA keys ("ecdsa-p256", "rsa-2048", ...), read from the secrets. */
  keyAlgorithm: string;
}

/**
 * The kubeadm configuration objects for one node, in file order, with the API
 * version chosen from the profile's Kubernetes version:
 * - init node: InitConfiguration, ClusterConfiguration, KubeletConfiguration, KubeProxyConfiguration;
 * - any other node: a single JoinConfiguration (kubeadm join takes the kubelet and
 *   kube-proxy settings from the ConfigMaps init uploaded).
 * The init node gets no CA hash because it owns the CA. No private key material is
 * included. Throws on an unsupported version, an init node that is not a control
 * plane, or a malformed token, hash or endpoint — all caught earlier by the profile
 * rules and the secrets module, so reaching here with one is a bug.
 */
export function buildKubeadmDocuments(input: KubeadmConfigInput): Record<string, unknown>[] {
  const { profile, node, init, token, caCertHash } = input;
  const api = requireVersionInfo(profile.cluster.kubernetesVersion).kubeadmApiVersion;
  if (!init) return [buildJoinConfiguration(api, profile, node, token, caCertHash)];
  if (node.role !== 'control-plane') throw new Error(`init node "${node.name}" is not a control plane`);
  return [
    buildInitConfiguration(api, profile, node, token),
    buildClusterConfiguration(api, profile, input.keyAlgorithm),
    buildKubeletConfiguration(profile.kubelet, profile.kubeadm.featureGates),
    buildKubeProxyConfiguration(profile.cluster.kubeProxyMode, profile.kubeadm.featureGates),
  ];
}

/**
 * The node's kubeadm config file (for `kubeadm init|join --config`) as one
 * multi-document YAML string that YAML 1.1 and 1.2 readers parse identically;
 * byte-stable for the same input. Throws as buildKubeadmDocuments does.
 */
export function buildKubeadmConfig(input: KubeadmConfigInput): string {
  return toYamlDocuments(buildKubeadmDocuments(input));
}

import type { Profile, ProfileNode } from '../profile/types.js';
import { requiredPorts, type PortRule } from '../kube/ports.js';
import { SMOKE_NODE_PORT } from '../kube/smoke-manifests.js';
import { SSH_PORT } from './ufw-rules.js';
import { exposedBindAddress } from '../kube/control-plane-flags.js';

/**
 * The inbound ports a node opens with firewall.mode "ports": SSH first, then what its
 * role, CNI and add-ons need (and the controller manager's and scheduler's metrics ports
 * when kubeadm.*.extraArgs.bind-address exposes them) (ufw rules on Debian/Ubuntu, iptables rules on Flatcar).
 */
export function firewallPorts(profile: Profile, node: ProfileNode): PortRule[] {
  return [SSH_PORT, ...requiredPorts({
    role: node.role,
    cni: profile.cluster.cni.plugin,
    kubeProxyMode: profile.cluster.kubeProxyMode,
    ...(profile.addons.ingressNginx.enabled ? { ingress: profile.addons.ingressNginx.expose } : {}),
    ...(profile.verify.smokeTest ? { smokeNodePort: SMOKE_NODE_PORT } : {}),
    exposed: { controllerManager: exposedBindAddress(profile, 'controllerManager'), scheduler: exposedBindAddress(profile, 'scheduler') },
  })];
}

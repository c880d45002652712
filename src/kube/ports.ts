/**
 * Inbound ports a node needs open when the profile's firewall mode is "ports".
 * Numbers follow the Kubernetes "Ports and Protocols" reference and the CNI docs.
 */
import type { ClusterSettings, CniPlugin, CniSettings, IngressExpose, KubeProxyMode, NodeRole } from '../profile/types.js';

/** One inbound rule: a port or "first-last" range, its protocol, and the reason. */
export interface PortRule {
  port: string;
  proto: 'tcp' | 'udp';
  why: string;
  /**
   * "node-network": only from network.cidr, not from anywhere. Used for etcd, which
   * only the other control planes reach (the local API server uses 127.0.0.1). The
   * whole node network rather than today's control-plane IPs, so a control plane
   * added to the profile later can join without touching the running ones.
   */
  from?: 'node-network';
}

/** One inbound rule for a non-TCP/UDP IP protocol (ufw has no port form for these). */
export interface IpProtocolRule {
  /** IANA protocol number, e.g. 4. */
  protocol: number;
  /** /etc/protocols name, e.g. "ipencap". */
  name: string;
  why: string;
}

/** The node a port list is for. */
export interface PortQuery {
  role: NodeRole;
  /** The CNI plugin, or the whole CNI settings. */
  cni: CniPlugin | CniSettings;
  /**
   * The node runs kubeadm init. Accepted for callers' convenience; it adds nothing,
   * because with stacked etcd every control plane serves the same ports.
   */
  firstControlPlane?: boolean;
  /** Accepted for completeness; ipvs and iptables modes listen on the same ports. */
  kubeProxyMode: KubeProxyMode;
  /**
   * Built-in kube-vip. Adds nothing: in ARP mode the VIP moves by gratuitous ARP
   * (layer 2, below the host firewall) and clients reach the API server on 6443.
   */
  vip?: ClusterSettings['vip'];
  /**
   * How ingress-nginx is exposed, when it is enabled. "hostPort": its controller pods
   * run on the workers and bind 80 and 443 there. "nodePort": its Service uses the
   * NodePort range, which workers open anyway.
   */
  ingress?: IngressExpose;
  /**
   * The smoke test's NodePort (verify.smokeTest), which the verifier curls on every
   * node: opened on control planes too, which otherwise keep the NodePort range closed.
   */
  smokeNodePort?: number;
  /**
   * Control-plane components the profile binds to every address (kubeadm.<component>
   * extraArgs bind-address 0.0.0.0): their secure ports are opened, from the node
   * network only. By default they listen on 127.0.0.1 and stay closed.
   */
  exposed?: { controllerManager: boolean; scheduler: boolean };
}

const CONTROL_PLANE: readonly PortRule[] = [
  { port: '6443', proto: 'tcp', why: 'Kubernetes API server' },
  { port: '2379-2380', proto: 'tcp', why: 'etcd server client API and peer traffic', from: 'node-network' },
  { port: '10250', proto: 'tcp', why: 'kubelet API' },
  // Control planes run the kube-proxy DaemonSet too; its health endpoint is what
  // external load balancers probe.
  { port: '10256', proto: 'tcp', why: 'kube-proxy health check' },
];

const CONTROLLER_MANAGER: PortRule = { port: '10257', proto: 'tcp', why: 'kube-controller-manager', from: 'node-network' };
const SCHEDULER: PortRule = { port: '10259', proto: 'tcp', why: 'kube-scheduler', from: 'node-network' };

const WORKER: readonly PortRule[] = [
  { port: '10250', proto: 'tcp', why: 'kubelet API' },
  { port: '10256', proto: 'tcp', why: 'kube-proxy health check' },
  // TCP only, as in the Kubernetes reference; UDP NodePort Services need their own rule.
  { port: '30000-32767', proto: 'tcp', why: 'NodePort Services' },
];

/** ingress-nginx controller pods with hostPort (addons.ingressNginx.expose: hostPort). */
const INGRESS_HOST_PORTS: readonly PortRule[] = [
  { port: '80', proto: 'tcp', why: 'ingress-nginx HTTP (hostPort)' },
  { port: '443', proto: 'tcp', why: 'ingress-nginx HTTPS (hostPort)' },
];

const CALICO: readonly PortRule[] = [
  { port: '179', proto: 'tcp', why: 'Calico BGP' },
  { port: '4789', proto: 'udp', why: 'Calico VXLAN' },
  { port: '5473', proto: 'tcp', why: 'Calico Typha' },
];

const FLANNEL: readonly PortRule[] = [{ port: '8472', proto: 'udp', why: 'Flannel VXLAN' }];

function pluginOf(cni: CniPlugin | CniSettings): CniPlugin {
  return typeof cni === 'string' ? cni : cni.plugin;
}

function firstPort(p: string): number {
  return Number(p.split('-')[0]);
}

function lastPort(p: string): number {
  return Number(p.split('-').pop());
}

/**
 * Inbound TCP/UDP ports the node needs, sorted by port, then range end, then
 * protocol, without duplicates. Control planes: 6443, 2379-2380, 10250, 10256, and
 * 10257 (controller manager) and 10259 (scheduler) from the node network only when
 * the profile binds them beyond localhost. Workers: 10250, 10256, 30000-32767 (NodePorts are not opened on the
 * tainted control planes, except the smoke test's), and 80/443 with a hostPort
 * ingress controller. Plus the CNI's: Calico 179/tcp, 4789/udp, 5473/tcp;
 * Flannel 8472/udp. Never throws.
 */
export function requiredPorts(query: PortQuery): PortRule[] {
  const plugin = pluginOf(query.cni);
  const rules = [
    ...(query.role === 'control-plane' ? CONTROL_PLANE : WORKER),
    ...(query.role === 'control-plane' && query.exposed?.controllerManager ? [CONTROLLER_MANAGER] : []),
    ...(query.role === 'control-plane' && query.exposed?.scheduler ? [SCHEDULER] : []),
    ...(query.role === 'worker' && query.ingress === 'hostPort' ? INGRESS_HOST_PORTS : []),
    ...(query.role === 'control-plane' && query.smokeNodePort !== undefined
      ? [{ port: String(query.smokeNodePort), proto: 'tcp' as const, why: 'smoke-test NodePort (cluster verifier)' }]
      : []),
    ...(plugin === 'calico' ? CALICO : plugin === 'flannel' ? FLANNEL : []),
  ];
  const seen = new Set<string>();
  const unique = rules.filter((r) => {
    const key = `${r.port}/${r.proto}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique
    .map((r) => ({ ...r }))
    .sort(
      (a, b) =>
        firstPort(a.port) - firstPort(b.port) ||
        lastPort(a.port) - lastPort(b.port) ||
        (a.proto < b.proto ? -1 : a.proto > b.proto ? 1 : 0),
    );
}

/**
 * Inbound IP protocols other than TCP/UDP the node needs. Calico's calico.yaml
 * defaults the pool to IP-in-IP (CALICO_IPV4POOL_IPIP=Always), which is IP protocol
 * 4, not a port: a port-only firewall silently breaks cross-node pod traffic
 * unless protocol 4 is allowed too. Empty for Flannel (VXLAN over UDP) and none.
 */
export function requiredIpProtocols(cni: CniPlugin | CniSettings): IpProtocolRule[] {
  return pluginOf(cni) === 'calico'
    ? [{ protocol: 4, name: 'ipencap', why: 'Calico IP-in-IP encapsulation (calico.yaml default)' }]
    : [];
}

/**
 * Rules about addresses: node, gateway and VIP addresses inside the node
 * network, and pod, service and node networks that neither overlap nor have
 * sizes Kubernetes rejects.
 */
import type { Profile } from '../types.js';
import { cidrContains, cidrsOverlap } from '../ipv4.js';
import { cidrOf, error, ipOf, warning, type Finding } from './finding.js';

/**
 * kube-controller-manager gives every node a /24 from podSubnet
 * (--node-cidr-mask-size, kubeadm's default for IPv4), and kubeadm rejects a
 * podSubnet more than 16 bits larger than that.
 */
const NODE_CIDR_PREFIX = 24;
const POD_SUBNET_MIN_PREFIX = NODE_CIDR_PREFIX - 16;
/** kube-apiserver refuses service ranges with more than 20 host bits. */
const SERVICE_SUBNET_MIN_PREFIX = 12;
/** kubeadm puts cluster DNS at the 10th service address, so at least 16 addresses. */
const SERVICE_SUBNET_MAX_PREFIX = 28;

/** Checks that `addr` is a usable host address of network.cidr; `what` names it in the message. */
function insideNetwork(p: Profile, addr: string, path: string, what: string): Finding[] {
  const net = cidrOf(p.network.cidr);
  const ip = ipOf(addr);
  if (!cidrContains(net, ip)) {
    return [error('ip-outside-network', path, `${what} ${addr} is not inside the node network ${p.network.cidr}`)];
  }
  if (net.prefix <= 30 && (ip === net.network || ip === net.broadcast)) {
    const which = ip === net.network ? 'network' : 'broadcast';
    return [error('ip-outside-network', path, `${what} ${addr} is the ${which} address of ${p.network.cidr}, not a host address`)];
  }
  return [];
}

/** Errors for node IPs, the gateway and the VIP that are not host addresses of network.cidr. */
export function addressesInsideNetwork(p: Profile): Finding[] {
  const out = p.nodes.flatMap((n, i) => insideNetwork(p, n.ip, `/nodes/${i}/ip`, `node ${n.name} address`));
  if (p.network.gateway !== undefined) out.push(...insideNetwork(p, p.network.gateway, '/network/gateway', 'gateway'));
  if (p.cluster.vip) out.push(...insideNetwork(p, p.cluster.vip.address, '/cluster/vip/address', 'VIP'));
  return out;
}

/** Errors when the gateway or the VIP is also a node's address, or the VIP is the gateway. */
export function addressConflicts(p: Profile): Finding[] {
  const out: Finding[] = [];
  const owner = new Map(p.nodes.map((n) => [n.ip, n.name]));
  const gw = p.network.gateway;
  if (gw !== undefined && owner.has(gw)) {
    out.push(error('ip-conflict', '/network/gateway', `gateway ${gw} is also the address of node ${owner.get(gw)}`));
  }
  const vip = p.cluster.vip?.address;
  if (vip !== undefined && owner.has(vip)) {
    out.push(
      error('ip-conflict', '/cluster/vip/address', `VIP ${vip} is also the address of node ${owner.get(vip)}; kube-vip needs an unused address`),
    );
  }
  if (vip !== undefined && vip === gw) {
    out.push(error('ip-conflict', '/cluster/vip/address', `VIP ${vip} is also the gateway`));
  }
  return out;
}

/** Errors for any overlap among podSubnet, serviceSubnet and network.cidr. */
export function noCidrOverlap(p: Profile): Finding[] {
  const nets = [
    { path: '/cluster/podSubnet', name: 'podSubnet', value: p.cluster.podSubnet },
    { path: '/cluster/serviceSubnet', name: 'serviceSubnet', value: p.cluster.serviceSubnet },
    { path: '/network/cidr', name: 'network.cidr', value: p.network.cidr },
  ];
  // Report on the cluster-side range: the node network is usually a given,
  // the pod and service ranges are free choices.
  const pairs = [
    [nets[0], nets[1], nets[1]],
    [nets[0], nets[2], nets[0]],
    [nets[1], nets[2], nets[1]],
  ] as const;
  const out: Finding[] = [];
  for (const [a, b, at] of pairs) {
    if (a && b && at && cidrsOverlap(cidrOf(a.value), cidrOf(b.value))) {
      out.push(
        error(
          'cidr-overlap',
          at.path,
          `${a.name} ${a.value} overlaps ${b.name} ${b.value}; pod, service and node networks must be disjoint or traffic is routed to the wrong place`,
        ),
      );
    }
  }
  return out;
}

/** Errors for pod and service subnet sizes that kubeadm or the API server reject. */
export function subnetSizes(p: Profile): Finding[] {
  const out: Finding[] = [];
  const pod = cidrOf(p.cluster.podSubnet);
  if (pod.prefix > NODE_CIDR_PREFIX) {
    out.push(
      error(
        'pod-subnet-too-small',
        '/cluster/podSubnet',
        `podSubnet ${p.cluster.podSubnet} is smaller than the /${NODE_CIDR_PREFIX} that kube-controller-manager allocates to each node; use a prefix of /${NODE_CIDR_PREFIX} or shorter (e.g. /16)`,
      ),
    );
  } else if (pod.prefix < POD_SUBNET_MIN_PREFIX) {
    out.push(
      error(
        'pod-subnet-too-large',
        '/cluster/podSubnet',
        `podSubnet ${p.cluster.podSubnet} is too large: kubeadm allows at most 16 bits between it and the /${NODE_CIDR_PREFIX} node ranges, so the prefix must be /${POD_SUBNET_MIN_PREFIX} or longer`,
      ),
    );
  }
  const svc = cidrOf(p.cluster.serviceSubnet);
  if (svc.prefix < SERVICE_SUBNET_MIN_PREFIX) {
    out.push(
      error(
        'service-subnet-too-large',
        '/cluster/serviceSubnet',
        `serviceSubnet ${p.cluster.serviceSubnet} is too large: kube-apiserver accepts at most /${SERVICE_SUBNET_MIN_PREFIX} (20 host bits)`,
      ),
    );
  } else if (svc.prefix > SERVICE_SUBNET_MAX_PREFIX) {
    out.push(
      error(
        'service-subnet-too-small',
        '/cluster/serviceSubnet',
        `serviceSubnet ${p.cluster.serviceSubnet} is too small: kubeadm gives cluster DNS the 10th address, so use /${SERVICE_SUBNET_MAX_PREFIX} or shorter`,
      ),
    );
  }
  return out;
}

/**
 * Flannel, as its kubeadm manifest runs it (kube subnet manager), uses the /24
 * each node receives from podSubnet, matching its default SubnetLen of 24. So
 * podSubnet needs a prefix shorter than /24 and at least one /24 per node;
 * otherwise some nodes get no pod range and their flannel pod fails with
 * "pod cidr not assigned". IPv4 only, which the schema already enforces.
 */
export function flannelPodSubnet(p: Profile): Finding[] {
  if (p.cluster.cni.plugin !== 'flannel') return [];
  const pod = cidrOf(p.cluster.podSubnet);
  if (pod.prefix > NODE_CIDR_PREFIX) return []; // already pod-subnet-too-small
  const slots = 2 ** (NODE_CIDR_PREFIX - pod.prefix);
  const nodes = p.nodes.length;
  const why = 'Flannel gives each node its own /24 from podSubnet (its default SubnetLen is 24)';
  if (pod.prefix === NODE_CIDR_PREFIX) {
    return [
      error(
        'flannel-pod-subnet',
        '/cluster/podSubnet',
        `podSubnet ${p.cluster.podSubnet} is a single /24, but ${why}; use a prefix shorter than /24, e.g. 10.244.0.0/16`,
      ),
    ];
  }
  if (slots >= nodes) return [];
  return [
    error(
      'flannel-pod-subnet',
      '/cluster/podSubnet',
      `podSubnet ${p.cluster.podSubnet} holds ${slots} /24 ranges for ${nodes} nodes, but ${why}; use a larger podSubnet, e.g. 10.244.0.0/16`,
    ),
  ];
}

/**
 * Warns when kubelet.maxPods exceeds the pod addresses of a node's /24 under
 * Flannel (host-local IPAM skips network, gateway and broadcast: 253 left).
 */
export function flannelMaxPods(p: Profile): Finding[] {
  const usable = 2 ** (32 - NODE_CIDR_PREFIX) - 3;
  if (p.cluster.cni.plugin !== 'flannel' || p.kubelet.maxPods <= usable) return [];
  return [
    warning(
      'max-pods-exceeds-node-cidr',
      '/kubelet/maxPods',
      `maxPods ${p.kubelet.maxPods} exceeds the ${usable} pod addresses Flannel can hand out from a node's /24; pods beyond that fail to start`,
    ),
  ];
}

/** Errors when an interface is both statically configured and listed for DHCP. */
export function interfaceConflicts(p: Profile): Finding[] {
  const i = p.network.dhcpInterfaces.indexOf(p.network.interface);
  return i < 0
    ? []
    : [
        error(
          'interface-conflict',
          `/network/dhcpInterfaces/${i}`,
          `${p.network.interface} is network.interface (static node address) and cannot also use DHCP`,
        ),
      ];
}

/**
 * Checks an explicit controlPlaneEndpoint given as an IP: it must not be a
 * worker's address (no API server there) and should be the VIP when one is set.
 */
export function endpointAddress(p: Profile): Finding[] {
  if (!p.cluster.controlPlaneEndpointExplicit) return [];
  const host = p.cluster.controlPlaneEndpoint.replace(/:\d+$/, '');
  const worker = p.nodes.find((n) => n.role === 'worker' && n.ip === host);
  const out: Finding[] = [];
  if (worker) {
    out.push(
      error('endpoint-conflict', '/cluster/controlPlaneEndpoint', `controlPlaneEndpoint ${host} is worker ${worker.name}, which runs no API server`),
    );
  }
  const vip = p.cluster.vip?.address;
  if (vip !== undefined && /^[0-9.]+$/.test(host) && host !== vip) {
    out.push(
      warning(
        'vip-endpoint-mismatch',
        '/cluster/controlPlaneEndpoint',
        `controlPlaneEndpoint ${host} is not the VIP ${vip}; nodes will not use the VIP kube-vip announces`,
      ),
    );
  }
  return out;
}

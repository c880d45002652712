import type { KubeProxyMode } from '../profile/types.js';

/** kube-proxy's IPVS mode needs these; without them it silently falls back to iptables. */
const IPVS_MODULES = ['ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_sh', 'nf_conntrack'];

/** Kernel modules a node loads now and at every boot, in load order. */
export function kernelModules(mode: KubeProxyMode): string[] {
  return ['overlay', 'br_netfilter', ...(mode === 'ipvs' ? IPVS_MODULES : [])];
}

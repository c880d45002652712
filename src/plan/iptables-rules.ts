/**
 * firewall.mode "ports" on Flatcar, which has no ufw: an iptables-restore file for
 * Flatcar's iptables-restore.service (Flatcar docs, "Configuring iptables"), which
 * loads /var/lib/iptables/rules-save early at every boot. The rules follow what ufw
 * does on Debian/Ubuntu: inbound dropped except loopback, replies, ICMP, DHCP replies,
 * the node's ports, the pod network and the CNI's IP protocols from the node network;
 * forwarding allowed (ufw "default allow routed"); outbound open. kube-proxy and the CNI
 * add their own chains later, as they do under ufw.
 */
import type { IpProtocolRule, PortRule } from '../kube/ports.js';

/** One -A INPUT line; `why` becomes the rule's comment (iptables allows 255 characters, ours are short constants). */
function accept(match: string, why: string): string {
  return `-A INPUT ${match} -m comment --comment "${why.replace(/"/g, "'")}" -j ACCEPT`;
}

/**
 * The rules file's text (iptables-restore format, filter table only). `ports` are
 * opened from anywhere unless marked node-network (then from `nodeCidr`), as ufw does.
 * Pure; never throws.
 */
export function iptablesRestoreRules(ports: readonly PortRule[], protocols: readonly IpProtocolRule[], nodeCidr: string, podSubnet: string): string {
  const lines = [
    '# gen-userdata: firewall.mode ports (loaded by iptables-restore.service)',
    '*filter',
    ':INPUT DROP [0:0]',
    ':FORWARD ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    '-A INPUT -i lo -j ACCEPT',
    '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A INPUT -m conntrack --ctstate INVALID -j DROP',
    accept('-p icmp', 'ICMP'),
    accept('-p udp --sport 67 --dport 68', 'DHCP replies'),
    ...ports.map((p) => accept(`${p.from === 'node-network' ? `-s ${nodeCidr} ` : ''}-p ${p.proto} --dport ${p.port.replace('-', ':')}`, p.why)),
    accept(`-s ${podSubnet}`, 'pod network'),
    ...protocols.map((p) => accept(`-s ${nodeCidr} -p ${p.protocol}`, `${p.why} (${p.name})`)),
    'COMMIT',
  ];
  return `${lines.join('\n')}\n`;
}

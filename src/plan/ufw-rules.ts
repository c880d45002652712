/**
 * Turns the port list of a node into as few `ufw allow` rules as ufw accepts.
 * Every ufw call is a Python start plus iptables checks (a second or more on a
 * small VM), so one rule per protocol and source instead of one per port makes
 * the firewall step several times faster.
 */
import type { PortRule } from '../kube/ports.js';
import { shellQuote } from '../util/shell-quote.js';

/** One `ufw allow` call: its arguments (shell-quoted) and what it opens, for the comment. */
export interface UfwAllowRule {
  /** The arguments after `ufw allow`, e.g. `proto tcp from any to any port 22,6443`. */
  args: string;
  /** Shell-quoted comment naming every port's purpose. */
  comment: string;
}

/** SSH stays reachable whatever the role: a firewalled node is still administered. */
export const SSH_PORT: PortRule = { port: '22', proto: 'tcp', why: 'ssh' };

// iptables' multiport match takes 15 ports, and a range counts as two.
const MULTIPORT_SLOTS = 15;
// iptables' comment match holds 255 characters.
const COMMENT_MAX = 255;

function slots(port: string): number {
  return port.includes('-') ? 2 : 1;
}

/**
 * One rule per (source, protocol), in the order the groups first appear, each
 * with ports in the given order; a group that would exceed ufw's multiport or
 * comment limits is split. `nodeCidr` is the source of rules marked
 * `from: 'node-network'`; the others accept any source.
 */
export function ufwAllowRules(ports: readonly PortRule[], nodeCidr: string): UfwAllowRule[] {
  const groups = new Map<string, PortRule[][]>();
  for (const p of ports) {
    const key = `${p.from ?? 'any'} ${p.proto}`;
    const chunks = groups.get(key) ?? [[]];
    groups.set(key, chunks);
    const last = chunks[chunks.length - 1]!;
    const used = last.reduce((n, r) => n + slots(r.port), 0);
    const comment = [...last, p].map((r) => r.why).join(', ');
    if (last.length > 0 && (used + slots(p.port) > MULTIPORT_SLOTS || comment.length > COMMENT_MAX)) chunks.push([p]);
    else last.push(p);
  }
  return [...groups.values()].flat().map((chunk) => {
    const first = chunk[0]!;
    const from = first.from === 'node-network' ? shellQuote(nodeCidr) : 'any';
    const list = chunk.map((r) => r.port.replace('-', ':')).join(',');
    return {
      args: `proto ${first.proto} from ${from} to any port ${shellQuote(list)}`,
      comment: shellQuote(chunk.map((r) => r.why).join(', ')),
    };
  });
}

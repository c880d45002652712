import t from 'tap';
import type { PortRule } from '../../src/kube/ports.js';
import { SSH_PORT, ufwAllowRules } from '../../src/plan/ufw-rules.js';

const CIDR = '192.168.56.0/24';

t.test('one rule per source and protocol, ports in the given order', async (t) => {
  const ports: PortRule[] = [
    SSH_PORT,
    { port: '2379-2380', proto: 'tcp', why: 'etcd', from: 'node-network' },
    { port: '4789', proto: 'udp', why: 'VXLAN' },
    { port: '6443', proto: 'tcp', why: 'API' },
  ];
  t.same(ufwAllowRules(ports, CIDR), [
    { args: 'proto tcp from any to any port 22,6443', comment: "'ssh, API'" },
    { args: 'proto tcp from 192.168.56.0/24 to any port 2379:2380', comment: 'etcd' },
    { args: 'proto udp from any to any port 4789', comment: 'VXLAN' },
  ]);
});

t.test('a group is split at 15 multiport slots, a range counting two', async (t) => {
  const ports: PortRule[] = Array.from({ length: 14 }, (_, i) => ({ port: String(1000 + i), proto: 'tcp' as const, why: `p${i}` }));
  ports.push({ port: '2000-2010', proto: 'tcp', why: 'range' });
  const rules = ufwAllowRules(ports, CIDR);
  t.equal(rules.length, 2);
  t.match(rules[0]!.args, /port 1000,.*,1013$/);
  t.equal(rules[1]!.args, 'proto tcp from any to any port 2000:2010');
  const fifteen = ufwAllowRules(ports.slice(0, 13).concat([{ port: '3000-3001', proto: 'tcp', why: 'r' }]), CIDR);
  t.equal(fifteen.length, 1, '13 ports and a range fill exactly 15 slots');
});

t.test('a group is split before its comment outgrows iptables (255 characters)', async (t) => {
  const why = 'x'.repeat(100);
  const rules = ufwAllowRules(['1', '2', '3'].map((port) => ({ port, proto: 'tcp' as const, why })), CIDR);
  t.same(rules.map((r) => r.args), ['proto tcp from any to any port 1,2', 'proto tcp from any to any port 3']);
  for (const r of rules) t.ok(r.comment.length - 2 <= 255);
});

t.test('comments are shell-quoted', async (t) => {
  t.equal(ufwAllowRules([{ port: '1', proto: 'tcp', why: "it's" }], CIDR)[0]!.comment, `'it'\\''s'`);
});

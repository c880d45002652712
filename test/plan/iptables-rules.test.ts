// firewall.mode ports on Flatcar: the iptables-restore rules file in the plan, the
// units that load it, and the step that checks it; nothing of it with mode disabled.
import t from 'tap';
import type { Profile } from '../../src/profile/types.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { iptablesRestoreRules } from '../../src/plan/iptables-rules.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { emitIgnition } from '../../src/emit/ignition/emit-ignition.js';
import type { IgnitionConfig } from '../../src/emit/ignition/types.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const lab = profileAt('profiles/lab.yaml');
const plansOf = (p: Profile) => buildClusterPlans(p, fixtureSecrets('lab'), bundledTemplates(), 'flatcar');
const rulesOf = (p: Profile, i: number) => plansOf(p)[i]!.files.find((f) => f.path === NODE_PATHS.iptablesRules)?.content;

t.test('the rules file: iptables-restore format, inbound DROP with the role\'s ports', async (t) => {
  const cp = rulesOf(lab, 0)!;
  const lines = cp.split('\n');
  t.equal(lines[1], '*filter');
  t.ok(lines.includes(':INPUT DROP [0:0]'));
  t.ok(lines.includes(':FORWARD ACCEPT [0:0]'), 'routed traffic allowed, as ufw default allow routed');
  t.equal(lines.at(-2), 'COMMIT');
  for (const l of [
    '-A INPUT -i lo -j ACCEPT',
    '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A INPUT -p tcp --dport 22 -m comment --comment "ssh" -j ACCEPT',
    '-A INPUT -p tcp --dport 6443 -m comment --comment "Kubernetes API server" -j ACCEPT',
    '-A INPUT -s 192.168.56.0/24 -p tcp --dport 2379:2380 -m comment --comment "etcd server client API and peer traffic" -j ACCEPT',
    '-A INPUT -s 10.244.0.0/16 -m comment --comment "pod network" -j ACCEPT',
    '-A INPUT -p udp --dport 4789 -m comment --comment "Calico VXLAN" -j ACCEPT',
  ]) t.ok(lines.includes(l), l);
  t.match(cp, /-A INPUT -s 192\.168\.56\.0\/24 -p 4 -m comment --comment "[^"]+\(ipencap\)" -j ACCEPT/, 'Calico IP-in-IP from the node network');
  const worker = rulesOf(lab, 1)!;
  t.ok(worker.includes('--dport 30000:32767'), 'workers open the NodePort range');
  t.notOk(worker.includes('6443'), 'workers keep the API port closed');
});

t.test('the Ignition config enables iptables-restore and masks locksmithd; mode disabled ships no rules', async (t) => {
  const plan = plansOf(lab)[1]!;
  const units = (JSON.parse(emitIgnition(plan, { kubernetesVersion: '1.30.0', flatcar: lab.flatcar })) as IgnitionConfig).systemd.units;
  t.same(units.find((u) => u.name === 'iptables-restore.service'), { name: 'iptables-restore.service', enabled: true });
  t.same(units.find((u) => u.name === 'locksmithd.service'), { name: 'locksmithd.service', mask: true });
  t.match(plan.bootstrap.steps.find((s) => s.name === 'firewall')!.body, /iptables -S INPUT \| grep -qx -- '-P INPUT DROP'/);

  const open = structuredClone(lab);
  open.firewall.mode = 'disabled';
  const p = plansOf(open)[1]!;
  t.equal(rulesOf(open, 1), undefined);
  const u = (JSON.parse(emitIgnition(p, { kubernetesVersion: '1.30.0', flatcar: open.flatcar })) as IgnitionConfig).systemd.units;
  t.notOk(u.some((x) => x.name === 'iptables-restore.service'));
  t.match(p.bootstrap.steps.find((s) => s.name === 'firewall')!.body, /nothing to do/);
});

t.test('comments cannot break out of their quotes', async (t) => {
  const text = iptablesRestoreRules([{ port: '1', proto: 'tcp', why: 'say "hi"' }], [], '10.0.0.0/24', '10.1.0.0/16');
  t.match(text, /--comment "say 'hi'"/);
});

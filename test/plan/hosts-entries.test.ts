// network.hostsEntries: which nodes each node's managed /etc/hosts block lists.
// Above 50 nodes "auto" lists only the control planes (and the node itself), so a
// worker's output does not grow with the cluster.
import t from 'tap';
import { buildClusterPlans, buildNodePlan } from '../../src/plan/build-node-plan.js';
import { hostsEntries, resolvedHostsEntries } from '../../src/plan/hosts-entries.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { loadProfile } from '../../src/profile/load-profile.js';
import type { Profile } from '../../src/profile/types.js';
import { syntheticProfile } from '../../src/bench/synthetic-profile.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';
import { lintNodeScripts } from '../helpers/shellcheck.js';

const templates = bundledTemplates();
const secrets = fixtureSecrets('lab');

function synthetic(nodes: number, hostsEntries?: string): Profile {
  let text = syntheticProfile(nodes);
  if (hostsEntries !== undefined) text = text.replace('  cidr: 172.16.0.0/16\n', `  cidr: 172.16.0.0/16\n  hostsEntries: ${hostsEntries}\n`);
  const r = loadProfile(text, 'synthetic.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

const plan = (p: Profile, name: string) => buildNodePlan({ profile: p, secrets, node: p.nodes.find((n) => n.name === name)!, templates, target: 'cloud-init' });
const hostsFile = (p: Profile, name: string) => plan(p, name).files.find((f) => f.path === NODE_PATHS.hostsList)?.content;

t.test('auto: every node up to 50 nodes, then the control planes', async (t) => {
  t.equal(profileAt('profiles/lab.yaml').network.hostsEntries, 'auto', 'the default');
  t.equal(resolvedHostsEntries(synthetic(50)), 'all');
  t.equal(resolvedHostsEntries(synthetic(51)), 'control-planes');
  t.equal(hostsFile(synthetic(50), 'node-0010')!.split('\n').filter(Boolean).length, 50);
  t.equal(hostsFile(synthetic(51), 'node-0010'), '172.16.0.11 node-0000\n172.16.0.12 node-0001\n172.16.0.13 node-0002\n172.16.0.21 node-0010\n', 'a worker: the control planes and itself');
  t.equal(hostsFile(synthetic(51), 'node-0001'), '172.16.0.11 node-0000\n172.16.0.12 node-0001\n172.16.0.13 node-0002\n', 'a control plane: the control planes');
});

t.test('all, control-planes and none are honoured at any size', async (t) => {
  t.equal(hostsFile(synthetic(60, 'all'), 'node-0010')!.split('\n').filter(Boolean).length, 60);
  t.equal(hostsFile(synthetic(5, 'control-planes'), 'node-0004')!.split('\n').filter(Boolean).length, 4);
  const none = synthetic(5, 'none');
  const p = plan(none, 'node-0004');
  t.equal(hostsFile(none, 'node-0004'), undefined, 'no node list');
  const step = p.bootstrap.steps.find((s) => s.name === 'hostname')!.body;
  t.notMatch(step, 'gen-userdata nodes', 'the hostname step leaves /etc/hosts alone');
  t.notMatch(step, '>/etc/hosts');
  t.equal(hostsEntries(none, none.nodes[0]!), undefined);
  lintNodeScripts(t, [{ label: 'none', files: p.files }]);
});

t.test('a DNS endpoint on the VIP gets its own entry', async (t) => {
  const ha = structuredClone(profileAt('profiles/ha.yaml'));
  ha.cluster.controlPlaneEndpoint = 'api.lab.internal:6443';
  const entries = hostsEntries(ha, ha.nodes.find((n) => n.role === 'worker')!)!;
  t.same(entries.at(-1), { ip: ha.cluster.vip!.address, name: 'api.lab.internal' });
  t.notOk(hostsEntries(profileAt('profiles/ha.yaml'), ha.nodes[0]!)!.some((e) => e.ip === ha.cluster.vip!.address), 'an IP endpoint needs none');
});

t.test('only the init node carries the full node list, for the CSR approver and the token revoker', async (t) => {
  const p = synthetic(60);
  const init = plan(p, 'node-0000');
  const nodes = init.files.find((f) => f.path === NODE_PATHS.expectedNodes)!.content;
  t.equal(nodes.split('\n').filter(Boolean).length, 60);
  t.match(nodes, /^node-0000 control-plane 172\.16\.0\.11\nnode-0001 control-plane/);
  for (const name of ['node-0001', 'node-0010']) t.notOk(plan(p, name).files.some((f) => f.path === NODE_PATHS.expectedNodes), `${name} has no node list`);
  for (const pl of buildClusterPlans(profileAt('profiles/lab.yaml'), secrets, templates, 'cloud-init')) {
    t.equal(pl.files.some((f) => f.path === NODE_PATHS.expectedNodes), pl.node.init, `lab ${pl.node.name}`);
  }
});

t.test('control-planes: the same entries, in profile order, wherever the control planes are listed', async (t) => {
  const base = synthetic(60);
  // Control planes first, last, and scattered between workers; a node list changed in place.
  const orders = [base.nodes, [...base.nodes].reverse(), [...base.nodes].sort((a, b) => ((a.name.charCodeAt(8) * 7) % 5) - ((b.name.charCodeAt(8) * 7) % 5))];
  for (const [i, nodes] of orders.entries()) {
    const p: Profile = { ...base, nodes };
    for (const node of nodes) {
      const expected = nodes.filter((n) => n.role === 'control-plane' || n.name === node.name).map((n) => ({ ip: n.ip, name: n.name }));
      t.same(hostsEntries(p, node), expected, `order ${i}: ${node.name}`, { diagnostic: false });
    }
  }
  const grown: Profile = structuredClone(base);
  t.equal(hostsEntries(grown, grown.nodes[10]!)!.length, 4);
  grown.nodes.splice(5, 0, { name: 'late-cp', role: 'control-plane', ip: '172.16.9.9', arch: 'amd64' });
  t.same(hostsEntries(grown, grown.nodes[11]!)!.map((e) => e.name), ['node-0000', 'node-0001', 'node-0002', 'late-cp', 'node-0010'], 'a node list grown in place is indexed again');
});

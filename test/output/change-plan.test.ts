// The change plan: pure diffs of manifest.json, and the real case of adding a node
// to the lab profile (existing nodes keep PKI, token, kubeadm config and bootstrap
// script byte for byte; only the hosts list and the init node's node list change).
import t from 'tap';
import { ManifestBuilder, type Manifest, type ManifestEntry } from '../../src/output/manifest.js';
import type { Profile } from '../../src/profile/types.js';
import { diffManifests, formatChangePlan, parseManifest, partsDifference } from '../../src/output/change-plan.js';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const entry = (path: string, sha: string, over: Partial<ManifestEntry> = {}): ManifestEntry => ({
  path, format: 'cloud-init', bytes: 1, sha256: sha, mode: '0600', ...(path.startsWith('nodes/') ? { node: path.split('/')[1]!, role: 'worker' } : {}), ...over,
});
const manifest = (...files: ManifestEntry[]): Manifest => ({ cluster: 'c', files });

t.test('partsDifference names changed, added and removed parts', async (t) => {
  t.equal(partsDifference({ a: '1', b: '2', c: '3' }, { a: '1', b: '9', d: '4' }), 'changed: b; added: d; removed: c');
  t.equal(partsDifference({ a: '1' }, { a: '1' }), '');
});

t.test('statuses and reasons', async (t) => {
  const before = manifest(
    entry('secrets.yaml', 's', { format: 'cluster' }),
    entry('manifest.json', 'm1', { format: 'cluster' }),
    entry('nodes/w1/user-data', 'u1', { parts: { '/etc/gen-userdata/hosts': 'h1', '/x': 'x' } }),
    entry('nodes/w1/meta-data', 'm', { mode: '0644' }),
    entry('nodes/w1/seed.iso', 'i1', { format: 'iso', parts: { 'user-data': 'u1', 'meta-data': 'm' } }),
    entry('nodes/w1/network-config', 'n1', { mode: '0644' }),
    entry('nodes/gone/user-data', 'g'),
    entry('nodes/gone/meta-data', 'g2'),
  );
  const after = manifest(
    entry('secrets.yaml', 's', { format: 'cluster' }),
    entry('manifest.json', 'm2', { format: 'cluster' }),
    entry('nodes/w1/user-data', 'u2', { parts: { '/etc/gen-userdata/hosts': 'h2', '/x': 'x' } }),
    entry('nodes/w1/meta-data', 'm', { mode: '0644' }),
    entry('nodes/w1/network-config', 'n1', { mode: '0600' }),
    entry('nodes/w1/config.ign', 'c', { format: 'ignition' }),
    entry('nodes/new/user-data', 'n'),
  );
  const plan = diffManifests(before, after);
  t.equal(plan.firstRun, false);
  t.same(plan.cluster, [{ path: 'secrets.yaml', status: 'unchanged', reason: '' }], 'manifest.json itself is left out');
  t.same(plan.nodes.map((n) => [n.node, n.status]), [['gone', 'removed'], ['new', 'added'], ['w1', 'kept']]);
  const w1 = Object.fromEntries(plan.nodes.find((n) => n.node === 'w1')!.files.map((f) => [f.path.split('/')[2], [f.status, f.reason]]));
  t.same(w1, {
    'user-data': ['changed', 'changed: /etc/gen-userdata/hosts'],
    'meta-data': ['unchanged', ''],
    'network-config': ['changed', 'mode 0644 → 0600'],
    'seed.iso': ['removed', 'format iso not written this time'],
    'config.ign': ['added', 'format ignition newly written'],
  });
  t.same(plan.nodes.find((n) => n.node === 'gone')!.files.map((f) => f.reason), ['node removed from the profile', 'node removed from the profile']);
  t.same(plan.nodes.find((n) => n.node === 'new')!.files.map((f) => [f.status, f.reason]), [['added', 'new node']]);
  const text = formatChangePlan(plan).join('\n');
  t.match(text, /gone \(removed from the profile\): deleting nodes\/gone\//);
  t.match(text, /new \(new node\): 1 added/);
  t.match(text, /changed {3}user-data \(changed: \/etc\/gen-userdata\/hosts\)/);
  t.match(text, /unchanged meta-data/);
});

t.test('without parts in the old manifest the reason is generic', async (t) => {
  const plan = diffManifests(manifest(entry('nodes/w/user-data', 'a')), manifest(entry('nodes/w/user-data', 'b', { parts: { '/p': '1' } })));
  t.equal(plan.nodes[0]!.files[0]!.reason, 'content differs');
});

t.test('first run, and a run with no changes', async (t) => {
  const m = manifest(entry('secrets.yaml', 's', { format: 'cluster' }), entry('nodes/w/user-data', 'u'));
  const first = diffManifests(undefined, m);
  t.equal(first.firstRun, true);
  t.same(formatChangePlan(first), ['no previous manifest.json: 2 new files for 1 node(s)']);
  t.same(formatChangePlan(diffManifests(m, m)), ['no changes: every file is byte-identical to the previous run']);
});

t.test('parseManifest tolerates garbage', async (t) => {
  t.equal(parseManifest('not json'), undefined);
  t.equal(parseManifest('[]'), undefined);
  t.equal(parseManifest('{"cluster": 1, "files": []}'), undefined);
  t.same(parseManifest('{"cluster":"c","files":[{"path":"a","sha256":"x"},{"nope":1}]}'), { cluster: 'c', files: [{ path: 'a', sha256: 'x' }] });
});

// --- the real case: lab plus one worker ---

const lab = profileAt('profiles/lab.yaml');
const secrets = fixtureSecrets('lab');
const templates = bundledTemplates();
const labPlus: Profile = structuredClone(lab);
labPlus.nodes.push({ name: 'worker-3', role: 'worker', ip: '192.168.56.104', arch: 'amd64' as const });

const formats = ['cloud-init', 'iso', 'ignition'] as const;
const manifestOf = (p: Profile): Manifest =>
  parseManifest(Buffer.from(generateClusterFiles({ profile: p, secrets, templates, formats: [...formats] }).find((f) => f.path === 'manifest.json')!.content).toString('utf8'))!;

t.test('adding a worker: existing nodes keep PKI, token, kubeadm config and bootstrap script byte for byte', async (t) => {
  for (const target of ['cloud-init', 'flatcar'] as const) {
    const before = buildClusterPlans(lab, secrets, templates, target);
    const after = buildClusterPlans(labPlus, secrets, templates, target);
    for (const old of before) {
      const now = after.find((p) => p.node.name === old.node.name)!;
      const changed = now.files.filter((f) => old.files.find((o) => o.path === f.path)?.content !== f.content).map((f) => f.path);
      const expected = old.node.init ? [NODE_PATHS.hostsList, NODE_PATHS.expectedNodes] : [NODE_PATHS.hostsList];
      t.same(changed, expected, `${target} ${old.node.name}: only the node lists change`);
      t.same(now.files.map((f) => f.path), old.files.map((f) => f.path), `${target} ${old.node.name}: same set of files`);
      t.same(now.units, old.units, `${target} ${old.node.name}: same units`);
      t.same(now.bootstrap, old.bootstrap, `${target} ${old.node.name}: same bootstrap script and steps`);
      for (const path of [NODE_PATHS.kubeadmConfig, old.bootstrap.scriptPath, `${NODE_PATHS.pkiDir}/ca.key`]) {
        const a = old.files.find((f) => f.path === path);
        t.equal(now.files.find((f) => f.path === path)?.content, a?.content, `${target} ${old.node.name}: ${path} identical`);
      }
    }
    const hosts = after[0]!.files.find((f) => f.path === NODE_PATHS.hostsList)!.content;
    t.match(hosts, /192\.168\.56\.104\s+worker-3/);
    t.match(after[0]!.files.find((f) => f.path === NODE_PATHS.expectedNodes)!.content, /^worker-3 worker 192\.168\.56\.104$/m);
  }
});

t.test('adding a worker: the plan says exactly that', async (t) => {
  const plan = diffManifests(manifestOf(lab), manifestOf(labPlus));
  t.same(plan.cluster.map((f) => f.status), ['unchanged', 'unchanged'], 'secrets.yaml and admin.conf untouched');
  const node = (name: string) => Object.fromEntries(plan.nodes.find((n) => n.node === name)!.files.map((f) => [f.path.split('/')[2], `${f.status} ${f.reason}`.trim()]));
  t.same(node('control-plane'), {
    'config.ign': 'changed changed: /etc/gen-userdata/hosts, /etc/gen-userdata/nodes',
    'meta-data': 'unchanged',
    'network-config': 'unchanged',
    'seed.iso': 'changed changed: user-data',
    'user-data': 'changed changed: /etc/gen-userdata/hosts, /etc/gen-userdata/nodes',
  });
  for (const w of ['worker-1', 'worker-2']) {
    t.same(node(w), {
      'config.ign': 'changed changed: /etc/gen-userdata/hosts',
      'meta-data': 'unchanged',
      'network-config': 'unchanged',
      'seed.iso': 'changed changed: user-data',
      'user-data': 'changed changed: /etc/gen-userdata/hosts',
    });
  }
  t.equal(plan.nodes.find((n) => n.node === 'worker-3')!.status, 'added');
  t.ok(plan.nodes.find((n) => n.node === 'worker-3')!.files.every((f) => f.status === 'added' && f.reason === 'new node'));
  const text = formatChangePlan(plan).join('\n');
  t.match(text, /worker-1: 3 changed, 2 unchanged\n {4}changed {3}config\.ign \(changed: \/etc\/gen-userdata\/hosts\)/);
  t.match(text, /worker-3 \(new node\): 5 added\n {4}added {5}config\.ign, meta-data, network-config, seed\.iso, user-data \(new node\)/);
});

t.test('removing a worker: the plan deletes its directory and changes only the node lists', async (t) => {
  const plan = diffManifests(manifestOf(labPlus), manifestOf(lab));
  const gone = plan.nodes.find((n) => n.node === 'worker-3')!;
  t.equal(gone.status, 'removed');
  t.ok(gone.files.every((f) => f.status === 'removed' && f.reason === 'node removed from the profile'));
  t.match(formatChangePlan(plan).join('\n'), 'worker-3 (removed from the profile): deleting nodes/worker-3/');
});

t.test('rotating the token: only the token-carrying parts change', async (t) => {
  const rotated = structuredClone(secrets);
  rotated.bootstrapToken = { ...rotated.bootstrapToken, id: 'abcdef', secret: '0123456789abcdef', createdAt: '2026-02-01T00:00:00.000Z' };
  const before = manifestOf(lab);
  const after = parseManifest(Buffer.from(generateClusterFiles({ profile: lab, secrets: rotated, templates, formats: [...formats] }).find((f) => f.path === 'manifest.json')!.content).toString('utf8'))!;
  const plan = diffManifests(before, after);
  const reasons = plan.nodes.flatMap((n) => n.files.filter((f) => f.status !== 'unchanged').map((f) => `${f.path} ${f.reason}`));
  t.same(reasons.sort(), [
    'nodes/control-plane/config.ign changed: /etc/kubernetes/gen-userdata/kubeadm-config.yaml, /opt/bin/gen-userdata-token-revoke',
    'nodes/control-plane/seed.iso changed: user-data',
    'nodes/control-plane/user-data changed: /etc/kubernetes/gen-userdata/kubeadm-config.yaml, /usr/local/sbin/gen-userdata-token-revoke',
    'nodes/worker-1/config.ign changed: /etc/kubernetes/gen-userdata/kubeadm-config.yaml',
    'nodes/worker-1/seed.iso changed: user-data',
    'nodes/worker-1/user-data changed: /etc/kubernetes/gen-userdata/kubeadm-config.yaml',
    'nodes/worker-2/config.ign changed: /etc/kubernetes/gen-userdata/kubeadm-config.yaml',
    'nodes/worker-2/seed.iso changed: user-data',
    'nodes/worker-2/user-data changed: /etc/kubernetes/gen-userdata/kubeadm-config.yaml',
  ]);
  t.same(plan.cluster.map((f) => `${f.path} ${f.status}`), ['admin.conf unchanged', 'secrets.yaml changed']);
});

t.test('ManifestBuilder writes exactly what JSON.stringify would for the same rows', async (t) => {
  const files = generateClusterFiles({ profile: lab, secrets: fixtureSecrets('lab'), templates: bundledTemplates(), formats: ['cloud-init', 'iso'] });
  const manifest = files.find((f) => f.path === 'manifest.json')!;
  const text = Buffer.from(manifest.content).toString('utf8');
  t.equal(text, `${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  const empty = new ManifestBuilder('c \u00e9"').toJson();
  t.equal(empty, `${JSON.stringify({ cluster: 'c \u00e9"', files: [] }, null, 2)}\n`);
});

// The bundled HA profile (3 control planes behind a kube-vip VIP, 3 workers) against
// its golden files, and the HA invariants checked on the generated output itself.
import t from 'tap';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { formatToken } from '../../src/pki/bootstrap-token.js';
import type { NodePlan } from '../../src/plan/types.js';
import { ROOT, bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';
import { compareGolden } from '../helpers/golden.js';

const profile = profileAt('profiles/ha.yaml');
const secrets = fixtureSecrets('ha');
const templates = bundledTemplates();
const token = formatToken(secrets.bootstrapToken);

type Doc = Record<string, any>;
function kubeadmDocs(plan: NodePlan): Doc[] {
  const f = plan.files.find((x) => x.path === NODE_PATHS.kubeadmConfig);
  if (f === undefined) throw new Error(`${plan.node.name}: no kubeadm config`);
  return parseAllDocuments(f.content).map((d) => d.toJS() as Doc);
}
const kind = (docs: Doc[], k: string): Doc | undefined => docs.find((d) => d['kind'] === k);

t.test('the profile is what the bundle promises', async (t) => {
  t.equal(profile.cluster.name, 'ha', 'named ha, so test/fixtures/secrets/ha-secrets.yaml applies');
  t.same(profile.nodes.filter((n) => n.role === 'control-plane').map((n) => n.name), ['cp-1', 'cp-2', 'cp-3']);
  t.equal(profile.nodes.filter((n) => n.role === 'worker').length, 3);
  t.equal(profile.cluster.vip?.address, '192.168.56.10');
  t.equal(profile.cluster.controlPlaneEndpoint, '192.168.56.10:6443', 'the VIP is the endpoint');
  t.equal(profile.network.cidr, '192.168.56.0/24', 'lab-style node network');
});

t.test('HA output matches the golden files byte for byte', async (t) => {
  const files = generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init', 'ignition'] });
  compareGolden(t, join(ROOT, 'test', 'golden', 'ha'), new Map(files.map((f) => [f.path, f.content])));
});

for (const target of ['cloud-init', 'flatcar'] as const) {
  const plans = buildClusterPlans(profile, secrets, templates, target);

  t.test(`${target}: the first control plane inits, the others join as control planes without a certificateKey`, async (t) => {
    const [init, ...rest] = plans;
    t.equal(init?.node.name, 'cp-1');
    t.ok(init?.node.init);
    t.ok(kind(kubeadmDocs(init!), 'InitConfiguration'));
    for (const plan of rest) {
      t.notOk(plan.node.init, `${plan.node.name} joins`);
      const docs = kubeadmDocs(plan);
      t.same(docs.map((d) => d['kind']), ['JoinConfiguration'], `${plan.node.name}: only a JoinConfiguration`);
      const join1 = docs[0]!;
      t.equal(join1['discovery']['bootstrapToken']['apiServerEndpoint'], '192.168.56.10:6443', `${plan.node.name}: joins through the VIP`);
      if (plan.node.role === 'control-plane') {
        t.same(join1['controlPlane'], { localAPIEndpoint: { advertiseAddress: plan.node.ip, bindPort: 6443 } }, `${plan.node.name}: controlPlane with its own IP`);
      } else {
        t.equal(join1['controlPlane'], undefined, `${plan.node.name}: a worker has no controlPlane`);
      }
    }
    for (const plan of plans) {
      const text = plan.files.find((x) => x.path === NODE_PATHS.kubeadmConfig)!.content;
      t.notMatch(text, /certificateKey/i, `${plan.node.name}: no certificateKey anywhere`);
      t.notMatch(plan.bootstrap.steps.map((s) => s.body).join('\n'), /--certificate-key|upload-certs/, `${plan.node.name}: no certificate upload or download`);
    }
  });

  t.test(`${target}: joining control planes wait for the endpoint and retry like workers`, async (t) => {
    const worker = plans.find((p) => p.node.name === 'worker-1')!;
    const workerJoin = worker.bootstrap.steps.find((s) => s.name === 'kubeadm-join')!.body;
    for (const plan of plans.filter((p) => p.node.role === 'control-plane' && !p.node.init)) {
      const join1 = plan.bootstrap.steps.find((s) => s.name === 'kubeadm-join')!.body;
      t.equal(join1, workerJoin, `${plan.node.name}: the same join step as a worker`);
      t.match(join1, /local host=192\.168\.56\.10 port=6443/);
      t.match(join1, /endpoint_reachable/);
      t.match(join1, /reset_node/);
    }
  });

  t.test(`${target}: every control plane has the four shared CA pairs, no worker has any`, async (t) => {
    const expected = new Map([
      ['ca.crt', secrets.ca.cert], ['ca.key', secrets.ca.key],
      ['front-proxy-ca.crt', secrets.frontProxyCa.cert], ['front-proxy-ca.key', secrets.frontProxyCa.key],
      ['etcd/ca.crt', secrets.etcdCa.cert], ['etcd/ca.key', secrets.etcdCa.key],
      ['sa.pub', secrets.serviceAccount.publicKey], ['sa.key', secrets.serviceAccount.privateKey],
    ]);
    for (const plan of plans) {
      const pki = new Map(plan.files.filter((f) => f.path.startsWith(`${NODE_PATHS.pkiDir}/`)).map((f) => [f.path.slice(NODE_PATHS.pkiDir.length + 1), f]));
      if (plan.node.role === 'worker') {
        t.equal(pki.size, 0, `${plan.node.name}: no PKI files`);
        t.notOk(plan.files.some((f) => /PRIVATE KEY/.test(f.content)), `${plan.node.name}: no private key at all`);
        continue;
      }
      t.same([...pki.keys()].sort(), [...expected.keys()].sort(), `${plan.node.name}: exactly the shared pairs`);
      for (const [name, content] of expected) {
        t.equal(pki.get(name)?.content, content, `${plan.node.name}: ${name} is the cluster's`);
        t.equal(pki.get(name)?.mode, name.endsWith('.key') ? 0o600 : 0o644, `${plan.node.name}: ${name} mode`);
      }
    }
  });

  t.test(`${target}: the token is the same in every join config and in the InitConfiguration`, async (t) => {
    const tokens = new Set<string>();
    for (const plan of plans) {
      const docs = kubeadmDocs(plan);
      const init = kind(docs, 'InitConfiguration');
      const join1 = kind(docs, 'JoinConfiguration');
      if (init) tokens.add(init['bootstrapTokens'][0]['token']);
      if (join1) tokens.add(join1['discovery']['bootstrapToken']['token']);
    }
    t.same([...tokens], [token]);
  });
}

t.test('certSANs: the endpoint, the VIP and every control plane IP and name', async (t) => {
  const init = buildClusterPlans(profile, secrets, templates, 'cloud-init')[0]!;
  const sans = kind(kubeadmDocs(init), 'ClusterConfiguration')!['apiServer']['certSANs'] as string[];
  t.same(sans, ['192.168.56.10', '192.168.56.11', '192.168.56.12', '192.168.56.13', 'cp-1', 'cp-2', 'cp-3']);
  for (const n of profile.nodes.filter((x) => x.role === 'worker')) {
    t.notOk(sans.includes(n.ip) || sans.includes(n.name), `${n.name} is not a SAN`);
  }
  // A load balancer name and a VIP together: both are SANs.
  const both = structuredClone(profile);
  both.cluster.controlPlaneEndpoint = 'k8s-api.example.internal:6443';
  const sans2 = kind(kubeadmDocs(buildClusterPlans(both, secrets, templates, 'cloud-init')[0]!), 'ClusterConfiguration')!['apiServer']['certSANs'] as string[];
  t.ok(sans2.includes('k8s-api.example.internal') && sans2.includes('192.168.56.10'));
});

t.test('ports: etcd only between machines of the node network, on control planes only', async (t) => {
  for (const plan of buildClusterPlans(profile, secrets, templates, 'cloud-init')) {
    const fw = plan.bootstrap.steps.find((s) => s.name === 'firewall')!.body;
    if (plan.node.role === 'control-plane') {
      t.match(fw, "ufw allow proto tcp from 192.168.56.0/24 to any port 2379:2380 comment 'etcd server client API and peer traffic'");
      t.match(fw, /ufw allow proto tcp from any to any port [0-9,]*\b6443\b/);
    } else {
      t.notMatch(fw, '2379', `${plan.node.name}: no etcd ports on a worker`);
    }
  }
});

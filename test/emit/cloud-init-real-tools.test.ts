// Generated cloud-init output checked with the real tools: cloud-init schema,
// cloud-init's network-config converter, bash -n, shellcheck and openssl.
import t from 'tap';
import { assertCloudConfigValid } from '../helpers/cloud-init-schema.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Profile } from '../../src/profile/types.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { emitUserData } from '../../src/emit/cloud-init/user-data.js';
import { emitNetworkConfig } from '../../src/emit/cloud-init/network-config.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';
import { lintNodeScripts, type NodeFileSet } from '../helpers/shellcheck.js';

const lab = profileAt('profiles/lab.yaml');
const secrets = fixtureSecrets('lab');
const templates = bundledTemplates();
const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-tools-'));

function variant(name: string, change: (p: Profile) => void): [string, Profile] {
  const p = structuredClone(lab);
  change(p);
  return [name, p];
}

const variants: [string, Profile][] = [
  ['lab', lab],
  variant('flannel-iptables-no-firewall', (p) => {
    p.cluster.cni = { plugin: 'flannel', version: 'v0.25.1' };
    p.cluster.kubeProxyMode = 'iptables';
    p.firewall.mode = 'disabled';
  }),
  variant('preinstalled-1.31-gateway', (p) => {
    p.cluster.kubernetesVersion = '1.31.2';
    p.packages.install = false;
    p.network.gateway = '192.168.56.1';
    p.cluster.cni = { plugin: 'none', version: '' };
    p.addons.ingressNginx.enabled = true;
  }),
  // The production profile: API server files, default-deny step, kubelet sysctls, labels and taints.
  ['prod', profileAt('profiles/prod.yaml')],
];

for (const [name, profile] of variants) {
  t.test(`${name}: every user-data passes cloud-init schema (22.4 and 25.1, no deprecations)`, async (t) => {
    for (const plan of buildClusterPlans(profile, secrets, templates, 'cloud-init')) {
      const file = join(dir, `${name}-${plan.node.name}.user-data`);
      writeFileSync(file, emitUserData(plan));
      assertCloudConfigValid(t, file, plan.node.name);
    }
  });

  t.test(`${name}: every generated script passes bash -n and shellcheck, with the shell library it sources`, async (t) => {
    const sets: NodeFileSet[] = [];
    for (const target of ['cloud-init', 'flatcar'] as const) {
      for (const plan of buildClusterPlans(profile, secrets, templates, target)) sets.push({ label: `${name}-${target}-${plan.node.name}`, files: plan.files });
    }
    t.ok(lintNodeScripts(t, sets) >= 3, 'bootstrap scripts for init, join and flatcar');
  });

  t.test(`${name}: network-config converts with cloud-init's own renderer`, async (t) => {
    for (const plan of buildClusterPlans(profile, secrets, templates, 'cloud-init')) {
      const file = join(dir, `${name}-${plan.node.name}.network-config`);
      writeFileSync(file, emitNetworkConfig(plan));
      const outDir = mkdtempSync(join(dir, 'net-'));
      const r = spawnSync('cloud-init', ['devel', 'net-convert', '--network-data', file, '--kind', 'yaml', '--output-kind', 'networkd', '--distro', 'debian', '--directory', outDir], { encoding: 'utf8' });
      t.equal(r.status, 0, `${plan.node.name}: ${r.stderr}`);
      const rendered = execFileSync('sh', ['-c', `cat ${outDir}/etc/systemd/network/*.network`], { encoding: 'utf8' });
      t.match(rendered, `Address=${plan.network.address}`, `${plan.node.name}: static address rendered`);
      if (plan.network.gateway) t.match(rendered, `Gateway=${plan.network.gateway}`);
    }
  });
}

t.test('workers carry no private key; control planes carry the four CA pairs', async (t) => {
  for (const plan of buildClusterPlans(lab, secrets, templates, 'cloud-init')) {
    const ud = emitUserData(plan);
    if (plan.node.role === 'worker') {
      t.notMatch(ud, /PRIVATE KEY/, `${plan.node.name} has no private key`);
      t.notOk(plan.files.some((f) => f.path.startsWith(NODE_PATHS.pkiDir)), `${plan.node.name} has no PKI files`);
    } else {
      const pki = plan.files.filter((f) => f.path.startsWith(NODE_PATHS.pkiDir));
      t.same(pki.map((f) => [f.path.slice(NODE_PATHS.pkiDir.length + 1), f.mode.toString(8)]).sort(), [
        ['ca.crt', '644'], ['ca.key', '600'], ['etcd/ca.crt', '644'], ['etcd/ca.key', '600'],
        ['front-proxy-ca.crt', '644'], ['front-proxy-ca.key', '600'], ['sa.key', '600'], ['sa.pub', '644'],
      ]);
    }
  }
});

t.test("a worker's caCertHashes equals openssl's hash of ca.crt", async (t) => {
  const caFile = join(dir, 'ca.crt');
  writeFileSync(caFile, secrets.ca.cert);
  const openssl = execFileSync('sh', ['-c', `openssl x509 -pubkey -noout -in ${caFile} | openssl rsa -pubin -outform der 2>/dev/null | openssl dgst -sha256 -hex`], { encoding: 'utf8' });
  const expected = `sha256:${openssl.trim().split(/\s+/).pop()}`;
  const worker = buildClusterPlans(lab, secrets, templates, 'cloud-init').find((p) => p.node.role === 'worker')!;
  const config = worker.files.find((f) => f.path === NODE_PATHS.kubeadmConfig)!.content;
  const join1 = parseAllDocuments(config).map((d) => d.toJS() as Record<string, any>).find((d) => d['kind'] === 'JoinConfiguration')!;
  t.same(join1['discovery']['bootstrapToken']['caCertHashes'], [expected]);
});

t.test('kubeadm config API version follows the Kubernetes version', async (t) => {
  for (const [version, api] of [['1.30.0', 'kubeadm.k8s.io/v1beta3'], ['1.31.0', 'kubeadm.k8s.io/v1beta4']] as const) {
    const p = structuredClone(lab);
    p.cluster.kubernetesVersion = version;
    for (const plan of buildClusterPlans(p, secrets, templates, 'cloud-init')) {
      const config = plan.files.find((f) => f.path === NODE_PATHS.kubeadmConfig)!.content;
      const kubeadmDocs = parseAllDocuments(config).map((d) => d.toJS() as { apiVersion: string; kind: string }).filter((d) => d.apiVersion.startsWith('kubeadm.k8s.io/'));
      t.ok(kubeadmDocs.length > 0);
      for (const d of kubeadmDocs) t.equal(d.apiVersion, api, `${version} ${plan.node.name} ${d.kind}`);
    }
  }
});

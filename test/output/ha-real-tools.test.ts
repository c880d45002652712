// The HA output checked by the real tools: cloud-init schema and its network
// renderer, bash -n and shellcheck, ignition-validate, and openssl for the PKI,
// the discovery hash and admin.conf.
import t from 'tap';
import { assertCloudConfigValid } from '../helpers/cloud-init-schema.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { ignitionValidate } from '../fixtures/plans/ignition-check.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';
import { lintNodeScripts, type NodeFileSet } from '../helpers/shellcheck.js';

const profile = profileAt('profiles/ha.yaml');
const secrets = fixtureSecrets('ha');
const templates = bundledTemplates();
const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-ha-tools-'));
const files = generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init', 'ignition'] });
const text = (path: string): string => Buffer.from(files.find((f) => f.path === path)!.content).toString('utf8');
const nodes = profile.nodes.map((n) => n.name);

function openssl(args: string[], input?: string): { status: number | null; out: string } {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

t.test('every user-data passes cloud-init schema (22.4 and 25.1, no deprecations)', async (t) => {
  for (const node of nodes) {
    const file = join(dir, `${node}.user-data`);
    writeFileSync(file, text(`nodes/${node}/user-data`));
    assertCloudConfigValid(t, file, node);
  }
});

t.test("every network-config converts with cloud-init's renderer", async (t) => {
  for (const node of nodes) {
    const file = join(dir, `${node}.network-config`);
    writeFileSync(file, text(`nodes/${node}/network-config`));
    const out = mkdtempSync(join(dir, 'net-'));
    const r = spawnSync('cloud-init', ['devel', 'net-convert', '--network-data', file, '--kind', 'yaml', '--output-kind', 'networkd', '--distro', 'debian', '--directory', out], { encoding: 'utf8' });
    t.equal(r.status, 0, `${node}: ${r.stderr}`);
    const ip = profile.nodes.find((n) => n.name === node)!.ip;
    t.match(execFileSync('sh', ['-c', `cat ${out}/etc/systemd/network/*.network`], { encoding: 'utf8' }), `Address=${ip}/24`);
  }
});

t.test('every script (cloud-init and Flatcar) passes bash -n and shellcheck, with the shell library it sources', async (t) => {
  const sets: NodeFileSet[] = [];
  for (const target of ['cloud-init', 'flatcar'] as const) {
    for (const plan of buildClusterPlans(profile, secrets, templates, target)) sets.push({ label: `${target}-${plan.node.name}`, files: plan.files });
  }
  // init + joining control plane + worker bootstraps, revoker, CSR approver, per target.
  const count = lintNodeScripts(t, sets);
  t.ok(count >= 10, `${count} distinct scripts`);
});

t.test('every config.ign passes ignition-validate', async (t) => {
  for (const node of nodes) {
    const r = ignitionValidate(text(`nodes/${node}/config.ign`));
    t.ok(r.ok, `${node} valid as ${r.checkedAs}`, { output: r.output });
  }
});

t.test("the join configs pin openssl's hash of the cluster CA", async (t) => {
  const ca = join(dir, 'ca.crt');
  writeFileSync(ca, secrets.ca.cert);
  const hex = execFileSync('sh', ['-c', `openssl x509 -pubkey -noout -in ${ca} | openssl rsa -pubin -outform der 2>/dev/null | openssl dgst -sha256 -hex`], { encoding: 'utf8' });
  const expected = `sha256:${hex.trim().split(/\s+/).pop()}`;
  for (const plan of buildClusterPlans(profile, secrets, templates, 'cloud-init').filter((p) => !p.node.init)) {
    const config = plan.files.find((f) => f.path === NODE_PATHS.kubeadmConfig)!.content;
    const join1 = parseAllDocuments(config).map((d) => d.toJS() as Record<string, any>)[0]!;
    t.same(join1['discovery']['bootstrapToken']['caCertHashes'], [expected], plan.node.name);
  }
});

t.test('the CA pairs on a control plane are CAs whose keys match (openssl)', async (t) => {
  const cp2 = buildClusterPlans(profile, secrets, templates, 'cloud-init').find((p) => p.node.name === 'cp-2')!;
  const file = (rel: string): string => cp2.files.find((f) => f.path === `${NODE_PATHS.pkiDir}/${rel}`)!.content;
  for (const base of ['ca', 'front-proxy-ca', 'etcd/ca']) {
    const certMod = openssl(['x509', '-noout', '-modulus'], file(`${base}.crt`));
    const keyMod = openssl(['rsa', '-noout', '-modulus'], file(`${base}.key`));
    t.equal(certMod.status, 0);
    t.equal(certMod.out, keyMod.out, `${base}: key matches certificate`);
    t.match(openssl(['x509', '-noout', '-text'], file(`${base}.crt`)).out, /CA:TRUE/, `${base} is a CA`);
  }
  const pub = openssl(['pkey', '-pubout'], file('sa.key')).out;
  t.equal(pub.trim(), file('sa.pub').trim(), 'sa.pub is the public half of sa.key');
});

t.test('admin.conf: kubernetes-admin of kubeadm:cluster-admins, client auth, one year, signed by the cluster CA, via the VIP', async (t) => {
  const kc = parse(text('admin.conf')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  };
  t.equal(kc.clusters[0]!.cluster.server, 'https://192.168.56.10:6443');
  const caPem = Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString('utf8');
  t.equal(caPem, secrets.ca.cert, 'CA data is the cluster CA');
  const certPem = Buffer.from(kc.users[0]!.user['client-certificate-data'], 'base64').toString('utf8');
  const keyPem = Buffer.from(kc.users[0]!.user['client-key-data'], 'base64').toString('utf8');
  const caFile = join(dir, 'admin-ca.crt');
  const certFile = join(dir, 'admin.crt');
  writeFileSync(caFile, caPem);
  writeFileSync(certFile, certPem);
  // -attime: the chain as of the bundle's creation day, so the check does not depend on today's date.
  const at = String(Math.floor(Date.parse(secrets.createdAt) / 1000) + 3600);
  const verify = openssl(['verify', '-attime', at, '-x509_strict', '-purpose', 'sslclient', '-CAfile', caFile, certFile]);
  t.equal(verify.status, 0, verify.out);
  t.match(verify.out, /OK/);
  const subject = openssl(['x509', '-noout', '-subject', '-nameopt', 'RFC2253'], certPem).out;
  t.match(subject, /CN=kubernetes-admin/);
  t.match(subject, /O=kubeadm:cluster-admins/);
  t.notMatch(subject, /system:masters/);
  const ext = openssl(['x509', '-noout', '-ext', 'keyUsage,extendedKeyUsage,basicConstraints'], certPem).out;
  t.match(ext, /critical\s+Digital Signature, Key Encipherment/);
  t.match(ext, /TLS Web Client Authentication/);
  t.notMatch(ext, /Server Authentication/);
  t.match(ext, /CA:FALSE/);
  const dates = openssl(['x509', '-noout', '-startdate', '-enddate'], certPem).out;
  const start = Date.parse(/notBefore=(.*)/.exec(dates)![1]!);
  const end = Date.parse(/notAfter=(.*)/.exec(dates)![1]!);
  t.equal((end - start) / 3_600_000, 8760, 'valid for one year');
  t.equal(openssl(['x509', '-noout', '-modulus'], certPem).out, openssl(['rsa', '-noout', '-modulus'], keyPem).out, 'key matches');
});

// The bundled production profile (profiles/prod.yaml: 3 control planes behind a VIP,
// 3 workers, Kubernetes 1.31 / kubeadm v1beta4, every security and kubeadm setting)
// against its golden files, and the production invariants checked on the output
// itself: encryption keys, 0600 modes, what workers never carry (the leak scan,
// decoding every embedded file in user-data and Ignition), and the flags, volumes,
// labels and taints where kubeadm's v1beta4 types expect them.
import t from 'tap';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { emitUserData } from '../../src/emit/cloud-init/user-data.js';
import { buildIgnitionConfig } from '../../src/emit/ignition/emit-ignition.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { APISERVER_FILES } from '../../src/kube/apiserver-files.js';
import type { NodePlan } from '../../src/plan/types.js';
import type { ClusterSecrets } from '../../src/pki/types.js';
import { ROOT, bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';
import { compareGolden } from '../helpers/golden.js';
import { writeFileText, type WriteFileEntry } from '../helpers/cloud-init-files.js';
import { decodeInlineFiles } from '../fixtures/plans/ignition-check.js';
import { MANAGED_APISERVER_ARGS } from '../helpers/default-settings.js';

const profile = profileAt('profiles/prod.yaml');
// The prod cluster reuses the HA fixture's keys under its own name (no second RSA fixture needed).
const secrets: ClusterSecrets = { ...fixtureSecrets('ha-ecdsa'), clusterName: 'prod' };
const templates = bundledTemplates();

type Doc = Record<string, any>;
const docsOf = (plan: NodePlan): Doc[] =>
  parseAllDocuments(plan.files.find((f) => f.path === NODE_PATHS.kubeadmConfig)!.content).map((d) => d.toJS() as Doc);
const kind = (docs: Doc[], k: string): Doc => docs.find((d) => d['kind'] === k)!;

t.test('prod output matches the golden files byte for byte', async (t) => {
  const files = generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init', 'ignition'] });
  compareGolden(t, join(ROOT, 'test', 'golden', 'prod'), new Map(files.map((f) => [f.path, f.content])));
});

/** Every embedded file of a node as its written text, from the emitted user-data or Ignition config. */
function writtenFiles(plan: NodePlan, target: 'cloud-init' | 'flatcar'): { all: string; files: Map<string, { text: string; mode: number }> } {
  const files = new Map<string, { text: string; mode: number }>();
  if (target === 'cloud-init') {
    const ud = emitUserData(plan);
    for (const w of (parse(ud) as { write_files: (WriteFileEntry & { permissions?: string })[] }).write_files) {
      files.set(w.path, { text: writeFileText(w), mode: parseInt(w.permissions ?? '0644', 8) });
    }
    return { all: ud, files };
  }
  const config = buildIgnitionConfig(plan, { kubernetesVersion: profile.cluster.kubernetesVersion, flatcar: profile.flatcar });
  for (const [path, f] of decodeInlineFiles(config)) files.set(path, { text: f.content.toString('utf8'), mode: f.mode });
  return { all: JSON.stringify(config), files };
}

for (const target of ['cloud-init', 'flatcar'] as const) {
  const plans = buildClusterPlans(profile, secrets, templates, target);

  t.test(`${target}: leak scan: workers carry no private key, no encryption key, no encryption config`, async (t) => {
    const keys = secrets.encryptionKeys!.map((k) => k.secret);
    t.ok(keys.length > 0);
    for (const plan of plans.filter((p) => p.node.role === 'worker')) {
      const { all, files } = writtenFiles(plan, target);
      const texts = [all, ...[...files.values()].map((f) => f.text)];
      for (const text of texts) {
        t.notMatch(text, /PRIVATE KEY|EncryptionConfiguration|secretbox/, `${plan.node.name}: nothing secret`);
        for (const k of keys) t.notOk(text.includes(k), `${plan.node.name}: no encryption key`);
      }
      t.notOk([...files.keys()].some((p) => p.startsWith('/etc/kubernetes/apiserver/')), `${plan.node.name}: no API server files`);
    }
  });

  t.test(`${target}: every control plane has the API server files; the encryption config is 0600 and holds the key`, async (t) => {
    for (const plan of plans.filter((p) => p.node.role === 'control-plane')) {
      const { files } = writtenFiles(plan, target);
      const enc = files.get(APISERVER_FILES.encryption);
      t.equal(enc?.mode, 0o600, `${plan.node.name}: encryption config 0600`);
      t.ok(enc?.text.includes(secrets.encryptionKeys![0]!.secret), `${plan.node.name}: carries the key`);
      t.equal(files.get(APISERVER_FILES.admission)?.mode, 0o644);
      t.equal(files.get(APISERVER_FILES.auditPolicy)?.mode, 0o644);
      for (const [path, f] of files) {
        if (/PRIVATE KEY|secretbox|token:/.test(f.text)) t.equal(f.mode, 0o600, `${plan.node.name}: ${path} holds a secret and is 0600`);
      }
    }
  });
}

t.test('v1beta4: component flags and volumes as lists of {name, value}; managed flags present once', async (t) => {
  const init = buildClusterPlans(profile, secrets, templates, 'cloud-init').find((p) => p.node.init)!;
  const cc = kind(docsOf(init), 'ClusterConfiguration');
  t.equal(cc['apiVersion'], 'kubeadm.k8s.io/v1beta4');
  const args = (list: { name: string; value: string }[]) => Object.fromEntries(list.map((a) => [a.name, a.value]));
  t.same(args(cc['apiServer']['extraArgs']), {
    ...MANAGED_APISERVER_ARGS,
    profiling: 'false',
    'request-timeout': '2m',
  });
  t.same(args(cc['controllerManager']['extraArgs']), { profiling: 'false', 'terminated-pod-gc-threshold': '1000' });
  t.same(args(cc['scheduler']['extraArgs']), { profiling: 'false' });
  t.same(args(cc['etcd']['local']['extraArgs']), { 'quota-backend-bytes': '8589934592' });
  t.same(cc['apiServer']['extraVolumes'].map((v: Doc) => v['name']), ['gen-userdata-apiserver', 'audit-log']);
  t.ok(cc['apiServer']['certSANs'].includes('k8s.example.com'));
  const kubelet = kind(docsOf(init), 'KubeletConfiguration');
  t.match(kubelet, { readOnlyPort: 0, rotateCertificates: true, protectKernelDefaults: true, serverTLSBootstrap: true });
});

t.test('labels and taints: workers get nodeDefaults; control planes keep the control-plane taint', async (t) => {
  const plans = buildClusterPlans(profile, secrets, templates, 'cloud-init');
  const reg = (name: string): Doc => {
    const docs = docsOf(plans.find((p) => p.node.name === name)!);
    return (kind(docs, 'InitConfiguration') ?? kind(docs, 'JoinConfiguration'))['nodeRegistration'];
  };
  const labels = (r: Doc) => r['kubeletExtraArgs'].find((a: Doc) => a['name'] === 'node-labels')?.['value'];
  t.equal(labels(reg('cp-1')), 'topology.kubernetes.io/zone=zone-a');
  t.equal(reg('cp-1')['taints'], undefined, 'no taints of its own: kubeadm adds the control-plane taint');
  t.equal(labels(reg('worker-1')), 'example.com/environment=production,topology.kubernetes.io/zone=zone-a');
  t.equal(labels(reg('worker-3')), 'example.com/environment=production,example.com/gpu=true,topology.kubernetes.io/zone=zone-c');
  t.same(reg('worker-3')['taints'], [{ key: 'example.com/gpu', value: 'true', effect: 'NoSchedule' }]);
  t.equal(reg('worker-1')['taints'], undefined);
});

t.test('the sysctl drop-in carries the sysctls protectKernelDefaults checks; the firewall keeps 10257/10259 closed', async (t) => {
  const plan = buildClusterPlans(profile, secrets, templates, 'cloud-init')[0]!;
  const sysctl = plan.files.find((f) => f.path === NODE_PATHS.sysctl)!.content;
  for (const line of ['vm.overcommit_memory = 1', 'vm.panic_on_oom = 0', 'kernel.panic = 10', 'kernel.panic_on_oops = 1', 'kernel.keys.root_maxkeys = 1000000', 'kernel.keys.root_maxbytes = 25000000']) {
    t.match(sysctl, line);
  }
  const firewall = plan.bootstrap.steps.find((s) => s.name === 'firewall')!.body;
  t.notMatch(firewall, /10257|10259/);
});

t.test('the init node applies the default-deny policies after the CNI', async (t) => {
  const init = buildClusterPlans(profile, secrets, templates, 'cloud-init').find((p) => p.node.init)!;
  const names = init.bootstrap.steps.map((s) => s.name);
  t.ok(names.indexOf('network-policies') > names.indexOf('cni'));
  const manifest = init.files.find((f) => f.path === NODE_PATHS.defaultDenyManifest)!.content;
  const docs = parseAllDocuments(manifest).map((d) => d.toJS() as Doc);
  t.same(docs.map((d) => `${d['kind']}/${d['metadata']['name']}`), ['Namespace/apps', 'NetworkPolicy/default-deny', 'NetworkPolicy/allow-dns']);
  t.same(docs[1]!['spec'], { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  const worker = buildClusterPlans(profile, secrets, templates, 'cloud-init').find((p) => p.node.role === 'worker')!;
  t.notOk(worker.files.some((f) => f.path === NODE_PATHS.defaultDenyManifest), 'only the init node');
});

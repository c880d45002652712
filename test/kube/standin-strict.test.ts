// The e2e stand-in kubeadm (test/e2e/image/overlay/.../standin.py) checks fields the
// way kubeadm's strict decoding does, per kind and API version: every kubeadm config
// the generator writes passes it (lab: 1.30, v1beta3; prod: 1.31, v1beta4, with every
// production setting), and a misspelt or misplaced field fails. Checked without a VM.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { ROOT, bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const STANDIN = join(ROOT, 'test', 'e2e', 'image', 'overlay', 'usr', 'local', 'libexec', 'gen-userdata-e2e', 'standin.py');

/** The stand-in's errors for a kubeadm config, as kubeadm `version` of the given minor, for init or join. */
function standinErrors(text: string, version: string, mode: 'init' | 'join'): string[] {
  const script = `
import importlib.util, json, sys
sys.argv = ["kubeadm"]
spec = importlib.util.spec_from_file_location("standin", ${JSON.stringify(STANDIN)})
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
m.k8s_version = lambda: ${JSON.stringify(version)}
docs, errors = m.validate_kubeadm_config(sys.stdin.read(), ${JSON.stringify(mode)})
print(json.dumps(errors))
`;
  const r = spawnSync('python3', ['-B', '-c', script], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as string[];
}

type Doc = Record<string, any>;
const configs = (profilePath: string) =>
  buildClusterPlans(profileAt(profilePath), fixtureSecrets('lab-ecdsa'), bundledTemplates(), 'cloud-init').map((p) => ({
    node: p.node,
    text: p.files.find((f) => f.path === NODE_PATHS.kubeadmConfig)!.content,
  }));
const mutate = (text: string, change: (docs: Doc[]) => void): string => {
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Doc);
  change(docs);
  return docs.map((d) => stringify(d)).join('---\n');
};

for (const [profilePath, version] of [['profiles/lab.yaml', '1.30.0'], ['profiles/ha.yaml', '1.32.2'], ['profiles/prod.yaml', '1.31.2'], ['test/e2e/profiles/e2e.yaml', '1.30.0']] as const) {
  t.test(`${profilePath}: every node's kubeadm config passes the stand-in's strict check`, async (t) => {
    for (const { node, text } of configs(profilePath)) t.same(standinErrors(text, version, node.init ? 'init' : 'join'), [], node.name);
  });
}

t.test('a wrong field name fails, per kind and API version', async (t) => {
  const prod = configs('profiles/prod.yaml');
  const init = prod.find((c) => c.node.init)!.text;
  const worker = prod.find((c) => c.node.name === 'worker-3')!.text;
  const cc = (docs: Doc[]) => docs.find((d) => d['kind'] === 'ClusterConfiguration')!;
  t.match(standinErrors(mutate(init, (d) => ((cc(d)['apiServer']['extraArg'] = cc(d)['apiServer']['extraArgs']), delete cc(d)['apiServer']['extraArgs'])), '1.31.2', 'init'), [/ClusterConfiguration: strict decoding error: unknown field "apiServer\.extraArg"/]);
  t.match(standinErrors(mutate(init, (d) => (cc(d)['apiServer']['timeoutForControlPlane'] = '5m0s')), '1.31.2', 'init'), [/unknown field "apiServer\.timeoutForControlPlane"/], 'a v1beta3 field in v1beta4');
  t.match(standinErrors(mutate(init, (d) => (cc(d)['apiServer']['extraVolumes'][0]['hostpath'] = '/x')), '1.31.2', 'init'), [/unknown field "apiServer\.extraVolumes\[0\]\.hostpath"/], 'case matters');
  t.match(standinErrors(mutate(worker, (d) => (d[0]!['nodeRegistration']['taints'][0]['efect'] = 'NoSchedule')), '1.31.2', 'join'), [/JoinConfiguration: strict decoding error: unknown field "nodeRegistration\.taints\[0\]\.efect"/]);
  t.match(standinErrors(mutate(worker, (d) => (d[0]!['extraArgs'] = [])), '1.31.2', 'join'), [/unknown field "extraArgs"/]);
  const lab = configs('profiles/lab.yaml').find((c) => c.node.init)!.text;
  t.match(standinErrors(mutate(lab, (d) => (cc(d)['encryptionAlgorithm'] = 'ECDSA-P256')), '1.30.0', 'init'), [/unknown field "encryptionAlgorithm"/], 'a v1beta4 field in v1beta3');
  t.match(standinErrors(mutate(lab, (d) => (cc(d)['etcd'] = { local: { extraArgs: [{ name: 'a', value: 'b' }] } })), '1.30.0', 'init'), [/etcd\.local\.extraArgs: v1beta3 expects a map of strings/]);
});

// ECDSA clusters (the default for new clusters) against their golden files: the
// lab (Kubernetes 1.30, kubeadm v1beta3: leaves stay RSA under ECDSA CAs) and the
// HA profile (1.31, v1beta4: encryptionAlgorithm ECDSA-P256). The RSA goldens in
// golden/lab and golden/ha stay as they are, from the RSA fixtures.
import t from 'tap';
import { join } from 'node:path';
import { loadZopfli } from '../../src/cli/zopfli.js';
import { parseAllDocuments } from 'yaml';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { ROOT, bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';
import { compareGolden } from '../helpers/golden.js';

const templates = bundledTemplates();

/** EC2's user-data limit (bytes); the lab control plane must fit it gzipped. */
const EC2_USER_DATA_LIMIT = 16384;

for (const [name, profilePath] of [['lab', 'profiles/lab.yaml'], ['ha', 'profiles/ha.yaml']] as const) {
  const profile = profileAt(profilePath);
  const secrets = fixtureSecrets(`${name}-ecdsa`);

  t.test(`${name} with ECDSA keys matches the golden files byte for byte`, async (t) => {
    const files = generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init'] });
    compareGolden(t, join(ROOT, 'test', 'golden', `${name}-ecdsa`), new Map(files.map((f) => [f.path, f.content])));
  });

  t.test(`${name}: control planes carry EC keys; the init node's ClusterConfiguration fits the version`, async (t) => {
    const plans = buildClusterPlans(profile, secrets, templates, 'cloud-init');
    for (const plan of plans.filter((p) => p.node.role === 'control-plane')) {
      const key = plan.files.find((f) => f.path === '/etc/kubernetes/pki/ca.key');
      t.match(key?.content, /^-----BEGIN EC PRIVATE KEY-----/, `${plan.node.name} ca.key`);
    }
    const init = plans.find((p) => p.node.init)!;
    const text = init.files.find((f) => f.path === NODE_PATHS.kubeadmConfig)!.content;
    const cc = parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>).find((d) => d['kind'] === 'ClusterConfiguration')!;
    if (profile.cluster.kubernetesVersion.startsWith('1.30')) t.notOk('encryptionAlgorithm' in cc, 'v1beta3 has no encryptionAlgorithm');
    else t.equal(cc['encryptionAlgorithm'], 'ECDSA-P256');
  });
}

t.test("the lab control plane's user-data (ECDSA, the default) fits EC2's 16 KB as --compress gzip writes it", async (t) => {
  const strongGzip = await loadZopfli();
  const files = generateClusterFiles({ profile: profileAt('profiles/lab.yaml'), secrets: fixtureSecrets('lab-ecdsa'), templates, formats: ['cloud-init'], compress: 'gzip', strongGzip });
  const cp = files.find((f) => f.role === 'control-plane' && f.path.endsWith('/user-data'))!;
  t.ok(cp.content.length <= EC2_USER_DATA_LIMIT, `${cp.path}: ${cp.content.length} B gzip'd`);
});

import t from 'tap';
import { parse } from 'yaml';
import { admissionConfiguration, auditPolicy, encryptionConfiguration, podSecurityExemptions } from '../../src/kube/apiserver-files.js';
import type { Profile } from '../../src/profile/types.js';
import { profileAt } from '../helpers/fixtures.js';

const lab = profileAt('profiles/lab.yaml');
const variant = (change: (p: Profile) => void): Profile => {
  const p = structuredClone(lab);
  change(p);
  return p;
};
const exempt = (p: Profile) => podSecurityExemptions(p).map((e) => e.namespace);

t.test('encryption: secretbox with the newest key first, identity last (older Secrets stay readable)', async (t) => {
  const doc = parse(encryptionConfiguration([{ name: 'key2', secret: 'b' }, { name: 'key1', secret: 'a' }]));
  t.equal(doc.kind, 'EncryptionConfiguration');
  t.same(doc.resources, [{ resources: ['secrets'], providers: [{ secretbox: { keys: [{ name: 'key2', secret: 'b' }, { name: 'key1', secret: 'a' }] } }, { identity: {} }] }]);
  t.throws(() => encryptionConfiguration([]), /bug/);
});

t.test('Pod Security exemptions: what must be exempt, by name, and the profile\'s own', async (t) => {
  t.same(exempt(lab), ['kube-system'], 'lab: Calico and metrics-server live in kube-system');
  t.same(exempt(variant((p) => (p.cluster.cni = { plugin: 'flannel', version: 'v0.25.1' }))), ['kube-flannel', 'kube-system']);
  t.same(exempt(variant((p) => (p.addons.ingressNginx.enabled = true))), ['ingress-nginx', 'kube-system'], 'hostPort controllers');
  t.same(exempt(variant((p) => ((p.addons.ingressNginx.enabled = true), (p.addons.ingressNginx.expose = 'nodePort')))), ['kube-system'], 'baseline admits the NodePort controller');
  t.same(
    exempt(variant((p) => ((p.addons.ingressNginx.enabled = true), (p.addons.ingressNginx.expose = 'nodePort'), (p.security.podSecurity.enforce = 'restricted')))),
    ['gen-userdata-smoke', 'ingress-nginx', 'kube-system'],
    'restricted: the controller and the stock-nginx smoke test',
  );
  t.same(exempt(variant((p) => (p.security.podSecurity.exemptNamespaces = ['monitoring', 'kube-system']))), ['kube-system', 'monitoring'], 'sorted, no duplicates');
});

t.test('the AdmissionConfiguration carries the levels and exemptions', async (t) => {
  const doc = parse(admissionConfiguration(variant((p) => (p.security.podSecurity.warn = 'baseline'))));
  const c = doc.plugins[0].configuration;
  t.equal(doc.plugins[0].name, 'PodSecurity');
  t.equal(c.apiVersion, 'pod-security.admission.config.k8s.io/v1');
  t.same(c.defaults, { enforce: 'baseline', audit: 'restricted', warn: 'baseline' }, 'versions default to latest');
  t.same(c.exemptions, { namespaces: ['kube-system'] });
});

t.test('audit policy: metadata only for secrets, configmaps and token reviews; a catch-all Metadata rule last', async (t) => {
  const doc = parse(auditPolicy());
  t.equal(doc.apiVersion, 'audit.k8s.io/v1');
  const rules = doc.rules as { level: string; resources?: { group: string; resources: string[] }[] }[];
  t.notOk(rules.some((r) => r.level === 'Request' || r.level === 'RequestResponse'), 'no request bodies are logged');
  const secretRule = rules.findIndex((r) => r.resources?.some((g) => g.resources.includes('secrets')));
  t.equal(rules[secretRule]!.level, 'Metadata');
  t.ok(rules[secretRule]!.resources!.some((g) => g.group === 'authentication.k8s.io' && g.resources.includes('tokenreviews')));
  t.same(rules.at(-1), { level: 'Metadata' });
});

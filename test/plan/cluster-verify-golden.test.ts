// Golden files for the cluster verifier (script, unit, smoke workloads) in the
// variants that change them, and shellcheck of every variant with the shared library
// followed. Re-record with GEN_USERDATA_RECORD=1; the run then fails on purpose.
import t from 'tap';
import { join } from 'node:path';
import type { Profile } from '../../src/profile/types.js';
import { buildNodePlan, isInitNode } from '../../src/plan/build-node-plan.js';
import { VERIFY_SERVICE } from '../../src/plan/cluster-verify.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { compareGolden } from '../helpers/golden.js';
import { lintNodeScripts } from '../helpers/shellcheck.js';
import { bundledTemplates, fixtureSecrets, profileAt, ROOT } from '../helpers/fixtures.js';

const templates = bundledTemplates();
const secrets = fixtureSecrets('lab');
const lab = profileAt('profiles/lab.yaml');
const flannel = profileAt('test/fixtures/profiles/flannel.yaml');

const VARIANTS: Record<string, Profile> = {
  // Calico, metrics-server (HPA), no ingress.
  lab,
  // Every check: ingress-nginx with hostPort, smoke workloads from a mirror, kept.
  'lab-ingress-hostport': {
    ...lab,
    addons: { ...lab.addons, ingressNginx: { ...lab.addons.ingressNginx, enabled: true, expose: 'hostPort' } },
    images: { ...lab.images, repository: 'registry.example:5000/mirror' },
    verify: { ...lab.verify, keepSmokeWorkloads: true },
  },
  'lab-ingress-nodeport': { ...lab, addons: { ...lab.addons, ingressNginx: { ...lab.addons.ingressNginx, enabled: true, expose: 'nodePort' } } },
  flannel,
  'no-smoke-test': { ...lab, verify: { ...lab.verify, smokeTest: false } },
};

function initPlan(profile: Profile, target: 'cloud-init' | 'flatcar' = 'cloud-init') {
  const node = profile.nodes.find((n) => isInitNode(profile, n))!;
  return buildNodePlan({ profile, secrets, node, templates, target });
}

t.test('verifier files match their golden copies', async (t) => {
  const files = new Map<string, Uint8Array>();
  for (const [name, profile] of Object.entries(VARIANTS)) {
    const plan = initPlan(profile);
    const script = plan.files.find((f) => f.path === '/usr/local/sbin/gen-userdata-verify');
    const smoke = plan.files.find((f) => f.path === NODE_PATHS.smokeManifest);
    const unit = plan.units.find((u) => u.name === VERIFY_SERVICE);
    t.ok(script && unit, `${name}: script and unit`);
    t.equal(smoke !== undefined, profile.verify.smokeTest, `${name}: smoke manifest only with verify.smokeTest`);
    files.set(`${name}/gen-userdata-verify`, Buffer.from(script!.content));
    files.set(`${name}/${VERIFY_SERVICE}`, Buffer.from(unit!.content));
    if (smoke) files.set(`${name}/smoke-workloads.yaml`, Buffer.from(smoke.content));
  }
  compareGolden(t, join(ROOT, 'test', 'golden', 'verify'), files);
});

t.test('every variant passes bash -n and shellcheck with the library it sources', async (t) => {
  const sets = Object.entries(VARIANTS).flatMap(([name, profile]) =>
    (['cloud-init', 'flatcar'] as const).map((target) => ({ label: `${name}-${target}`, files: initPlan(profile, target).files })),
  );
  t.ok(lintNodeScripts(t, sets) >= Object.keys(VARIANTS).length * 2, 'every verifier variant checked');
});

t.test('only the init node verifies; the bootstrap starts the unit after the add-ons', async (t) => {
  for (const node of lab.nodes) {
    const plan = buildNodePlan({ profile: lab, secrets, node, templates, target: 'cloud-init' });
    const init = isInitNode(lab, node);
    t.equal(plan.units.some((u) => u.name === VERIFY_SERVICE), init, `${node.name}: unit only on the init node`);
    t.equal(plan.files.some((f) => f.path.endsWith('/gen-userdata-verify')), init, `${node.name}: script only on the init node`);
    t.equal(plan.units.find((u) => u.name === VERIFY_SERVICE)?.enabled ?? false, false, 'not enabled at boot: the bootstrap starts it');
    if (!init) continue;
    const names = plan.bootstrap.steps.map((s) => s.name);
    t.equal(names.at(-1), 'verify', 'verify is the last step');
    t.ok(names.indexOf('addons') < names.indexOf('verify'), 'after the add-ons');
    t.match(plan.bootstrap.steps.at(-1)!.body, /systemctl start --no-block gen-userdata-verify\.service/, 'started without waiting: bootstrap.done means this node is done');
  }
});

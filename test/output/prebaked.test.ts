// image.prebaked nodes: what their first boot skips, what it still checks, and that the
// check agrees with what provision.sh bakes (run for real against a scratch root).
import t from 'tap';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { provisionSteps } from '../../src/plan/provision-steps.js';
import { renderProvisionScript } from '../../src/emit/image/provision-script.js';
import { NODE_PATHS, shellLibraryPath } from '../../src/plan/paths.js';
import type { NodePlan } from '../../src/plan/types.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';
import { airgapProfile, prebakedVariant, runnerHelpers, runStep } from '../helpers/image-fixtures.js';

const templates = bundledTemplates();
const secrets = fixtureSecrets('lab');
const lab = profileAt('profiles/lab.yaml');
const prebaked = prebakedVariant(lab);
const plans = buildClusterPlans(prebaked, secrets, templates, 'cloud-init');
const plan = (name: string): NodePlan => plans.find((p) => p.node.name === name)!;
const stepBody = (p: NodePlan, name: string): string => p.bootstrap.steps.find((s) => s.name === name)!.body;
const library = (p: NodePlan): string => p.files.find((f) => f.path === shellLibraryPath('cloud-init'))!.content;

t.test('prebaked nodes keep the node-specific steps and verify the rest', async (t) => {
  t.same(plan('worker-1').bootstrap.steps.map((s) => s.name), [
    'arch', 'hostname', 'swap', 'golden-image', 'firewall', 'containerd', 'kubernetes-packages', 'kubeadm-join',
  ]);
  t.same(plan('control-plane').bootstrap.steps.map((s) => s.name).slice(0, 8), [
    'arch', 'hostname', 'swap', 'golden-image', 'firewall', 'containerd', 'kubernetes-packages', 'kubeadm-init',
  ]);
  for (const p of plans) {
    const all = p.bootstrap.steps.map((s) => s.body).join('\n');
    t.notMatch(all, /apt_get|apt-get|apt-mark/, `${p.node.name}: no apt`);
    t.notMatch(all, /systemctl restart containerd|modprobe|sysctl --system/, `${p.node.name}: no runtime or host reconfiguration`);
    t.match(stepBody(p, 'kubernetes-packages'), 'expect_version kubeadm v1.30.0');
    t.match(stepBody(p, 'kubernetes-packages'), 'expect_version kubelet v1.30.0');
    t.match(stepBody(p, 'kubernetes-packages'), 'expect_version kubectl v1.30.0 "$(kubectl version --client');
    t.match(stepBody(p, 'containerd'), 'containerd version mismatch');
  }
  t.match(stepBody(plan('worker-1'), 'firewall'), 'ufw is not installed and packages.install is false', 'the image must bring ufw');
});

t.test('prebaked nodes get none of the baked files', async (t) => {
  for (const p of plans) {
    const paths = p.files.map((f) => f.path);
    for (const baked of [NODE_PATHS.modulesLoad, NODE_PATHS.sysctl, NODE_PATHS.containerdConfig, NODE_PATHS.crictl]) {
      t.notOk(paths.includes(baked), `${p.node.name}: no ${baked}`);
    }
    t.ok(paths.includes(NODE_PATHS.hostsList), `${p.node.name}: still gets the node list`);
    t.ok(paths.includes(NODE_PATHS.kubeadmConfig), `${p.node.name}: and its kubeadm config`);
  }
});

t.test('Flatcar plans ignore image.prebaked', async (t) => {
  const flatcar = buildClusterPlans(prebaked, secrets, templates, 'flatcar');
  const normal = buildClusterPlans(lab, secrets, templates, 'flatcar');
  t.same(flatcar.map((p) => p.files), normal.map((p) => p.files));
  t.same(flatcar.map((p) => p.bootstrap.steps), normal.map((p) => p.bootstrap.steps));
});

t.test('prebaked user-data is smaller for every role', async (t) => {
  // What the node receives, as text: a user-data over EC2's limit carries some of it
  // gzipped (emitUserData), which would compare packed with plain bytes.
  const carried = (p: typeof lab, node: string): number =>
    buildClusterPlans(p, secrets, templates, 'cloud-init')
      .find((x) => x.node.name === node)!
      .files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
  for (const node of ['control-plane', 'worker-1']) t.ok(carried(prebaked, node) < carried(lab, node) - 1500, `${node}: at least 1.5 kB less text`);
  const userData = (p: typeof lab, node: string): number =>
    generateClusterFiles({ profile: p, secrets, templates, formats: ['cloud-init'] }).find((f) => f.path === `nodes/${node}/user-data`)!.content.length;
  t.ok(userData(prebaked, 'worker-1') <= 16 * 1024, 'a prebaked worker fits EC2 too');
});

t.test('the golden-image check passes on what provision.sh writes, and names what differs', async (t) => {
  for (const profile of [lab, airgapProfile()]) {
    const root = mkdtempSync(join(tmpdir(), 'gen-userdata-golden-'));
    const helpers = runnerHelpers(renderProvisionScript(profile, templates));
    const check = buildClusterPlans(prebakedVariant(profile), secrets, templates, 'cloud-init')[1]!.bootstrap.steps.find((s) => s.name === 'golden-image')!;

    let r = runStep(check, helpers, { root });
    t.not(r.status, 0, 'a stock image fails');
    t.match(r.output, 'not a gen-userdata golden image');

    t.equal(runStep(provisionSteps(profile, templates)[0]!, helpers, { root }).status, 0, 'provision.sh writes the files');
    mkdirSync(join(root, 'var/lib/gen-userdata'), { recursive: true });
    writeFileSync(join(root, 'var/lib/gen-userdata/provision.done'), 'done\n');
    r = runStep(check, helpers, { root });
    t.equal(r.status, 0, r.output);
    t.match(r.output, 'golden image matches this profile');

    writeFileSync(join(root, 'etc/sysctl.d/99-gen-userdata-kubernetes.conf'), 'net.ipv4.ip_forward = 0\n');
    r = runStep(check, helpers, { root });
    t.not(r.status, 0, 'an image baked for something else fails');
    t.match(r.output, /99-gen-userdata-kubernetes\.conf: FAILED/);
  }
});

t.test('an image baked for another profile is caught (iptables vs ipvs)', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'gen-userdata-golden-other-'));
  const iptables = structuredClone(lab);
  iptables.cluster.kubeProxyMode = 'iptables';
  const helpers = runnerHelpers(renderProvisionScript(lab, templates));
  t.equal(runStep(provisionSteps(iptables, templates)[0]!, helpers, { root }).status, 0);
  mkdirSync(join(root, 'var/lib/gen-userdata'), { recursive: true });
  writeFileSync(join(root, 'var/lib/gen-userdata/provision.done'), 'done\n');
  const check = plan('worker-1').bootstrap.steps.find((s) => s.name === 'golden-image')!;
  const r = runStep(check, helpers, { root });
  t.not(r.status, 0);
  t.match(r.output, /gen-userdata-kubernetes\.conf: FAILED/, 'the modules drop-in differs');
});

t.test('version checks fail with a clear message on a mismatch (stub tools)', async (t) => {
  const helpers = runnerHelpers(library(plan('worker-1')));
  const bin = mkdtempSync(join(tmpdir(), 'gen-userdata-stubs-'));
  const stub = (name: string, output: string): void => {
    writeFileSync(join(bin, name), `#!/bin/sh\nprintf '%s\\n' '${output}'\n`);
    chmodSync(join(bin, name), 0o755);
  };
  const packages = plan('worker-1').bootstrap.steps.find((s) => s.name === 'kubernetes-packages')!;
  const containerd = plan('worker-1').bootstrap.steps.find((s) => s.name === 'containerd')!;

  stub('kubeadm', 'v1.30.0');
  stub('kubelet', 'Kubernetes v1.30.0');
  stub('kubectl', 'Client Version: v1.30.0');
  let r = runStep(packages, helpers, { binDir: bin });
  t.equal(r.status, 0, r.output);
  stub('kubelet', 'Kubernetes v1.29.4');
  r = runStep(packages, helpers, { binDir: bin });
  t.not(r.status, 0);
  t.match(r.output, 'version mismatch for kubelet: expected v1.30.0, got v1.29.4 from: Kubernetes v1.29.4');
  stub('kubelet', 'Kubernetes v1.30.0');
  stub('kubeadm', 'v1.30.01');
  r = runStep(packages, helpers, { binDir: bin });
  t.not(r.status, 0, 'a longer patch number is another version');
  t.match(r.output, 'version mismatch for kubeadm: expected v1.30.0, got v1.30.01');
  stub('kubeadm', 'v1.30.0');

  for (const [output, ok] of [
    ['containerd github.com/containerd/containerd 1.7.12 abc', true],
    ['containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+b1', true],
    ['containerd containerd.io v2.0.0 abc', true],
    ['containerd github.com/containerd/containerd 1.5.9 abc', false],
    ['containerd says hello', false],
  ] as const) {
    stub('containerd', output);
    r = runStep(containerd, helpers, { binDir: bin });
    t.equal(r.status === 0, ok, `${output}: ${ok ? 'accepted' : 'rejected'}`);
    if (!ok) t.match(r.output, 'containerd version mismatch: expected 1.6 or newer');
  }
});

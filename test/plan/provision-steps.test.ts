// provision.sh's steps: the same step implementations as the first-boot bootstrap,
// files written byte for byte (checked by running the step), image-mode decisions.
import t from 'tap';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { heredocDelimiter, provisionSteps, writeFilesStep } from '../../src/plan/provision-steps.js';
import { imageFiles } from '../../src/plan/node-files.js';
import { shellLibraryPath } from '../../src/plan/paths.js';
import { IMAGE_LIBRARY_PARTS, renderShellLibrary } from '../../src/plan/shell-library.js';
import { trimShellLibrary } from '../../src/plan/trim-shell-library.js';
import { renderProvisionScript } from '../../src/emit/image/provision-script.js';
import type { PlanFile } from '../../src/plan/types.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';
import { airgapProfile, prebakedVariant, runnerHelpers, runStep } from '../helpers/image-fixtures.js';

const templates = bundledTemplates();
const lab = profileAt('profiles/lab.yaml');
const secrets = fixtureSecrets('lab');
const steps = provisionSteps(lab, templates);
const byName = (name: string) => steps.find((s) => s.name === name)!;

t.test('provision.sh runs the node-independent steps, then pre-pulls and cleans up', async (t) => {
  t.same(steps.map((s) => s.name), [
    'write-files', 'kernel-modules', 'sysctl', 'containerd', 'containerd-config', 'kubernetes-packages', 'kubelet', 'images-pull', 'image-cleanup',
  ]);
});

t.test('its steps are the first-boot steps themselves, not copies', async (t) => {
  const worker = buildClusterPlans(lab, secrets, templates, 'cloud-init').find((p) => p.node.name === 'worker-1')!;
  for (const name of ['kernel-modules', 'sysctl', 'containerd', 'containerd-config', 'kubelet']) {
    t.equal(byName(name).body, worker.bootstrap.steps.find((s) => s.name === name)!.body, `${name}: same body as first boot`);
  }
  // The package step differs only by ufw, which a prebaked node's firewall step cannot install.
  const nodeBody = worker.bootstrap.steps.find((s) => s.name === 'kubernetes-packages')!.body;
  t.equal(byName('kubernetes-packages').body, nodeBody.replace('conntrack ipset ipvsadm', 'conntrack ipset ipvsadm ufw'));
  t.not(byName('kubernetes-packages').body, nodeBody);
  // And the script is the bootstrap template in image mode: same runner and helpers.
  const script = renderProvisionScript(lab, templates);
  const bootstrap = worker.files.find((f) => f.path === worker.bootstrap.scriptPath)!.content;
  // Both run their steps with the library's run_step (one copy) and mark a failed step alike.
  const stepFailed = (s: string) => s.slice(s.indexOf('step_failed() {'), s.indexOf('\n', s.indexOf('step_failed() {')));
  t.equal(stepFailed(script), stepFailed(bootstrap), 'step_failed identical');
  t.match(stepFailed(bootstrap), 'FAILURE_MARKER');
  for (const s of [script, bootstrap]) t.notMatch(s.replace(/<<'GEN_USERDATA_EOF'[\s\S]*GEN_USERDATA_EOF/, ''), 'run_step() {', 'no copy of the runner outside the library');
  // The helpers are the node's shell library, which provision.sh writes before sourcing it.
  const library = trimShellLibrary(renderShellLibrary(templates, IMAGE_LIBRARY_PARTS), [script]);
  for (const fn of ['log() {', 'log_to_file() {', 'run_step() {', 'apt_get() {', 'expect_version() {']) t.match(library, fn);
  t.notMatch(library, 'reset_node() {', 'only what provision.sh calls');
  t.match(script, `install -D -m 0644 /dev/stdin ${shellLibraryPath('cloud-init')} <<'GEN_USERDATA_EOF'\n${library}GEN_USERDATA_EOF\n`);
  t.match(script, `\n. ${shellLibraryPath('cloud-init')}\n`);
  t.match(bootstrap, `\n. ${shellLibraryPath('cloud-init')}\n`);
  t.notMatch(bootstrap, 'apt_get() {', 'the bootstrap sources the helpers instead of defining them');
  t.notMatch(script, 'KUBEADM_CONFIG', 'no node-specific settings');
  t.notMatch(script, 'bootstrap.done', 'never writes the node success marker');
  t.match(script, 'readonly SUCCESS_MARKER=/var/lib/gen-userdata/provision.done');
});

t.test('the image installs even when the profile is prebaked', async (t) => {
  const prebaked = provisionSteps(prebakedVariant(lab), templates);
  t.same(prebaked.map((s) => s.body), steps.map((s) => s.body));
  t.match(byName('containerd').body, 'apt_get install');
  t.match(byName('kubernetes-packages').body, 'apt-mark hold kubelet kubeadm kubectl');
  t.match(byName('kubernetes-packages').body, 'kubelet=1.30.0-1.1');
  const noFirewall = structuredClone(lab);
  noFirewall.firewall.mode = 'disabled';
  t.notMatch(provisionSteps(noFirewall, templates).find((s) => s.name === 'kubernetes-packages')!.body, 'ufw');
});

t.test('images-pull pins the version and the image repository', async (t) => {
  t.match(byName('images-pull').body, 'kubeadm config images pull --kubernetes-version v1.30.0 --cri-socket');
  t.notMatch(byName('images-pull').body, '--image-repository');
  t.match(byName('images-pull').body, 'local image=registry.k8s.io/pause:3.9\n  crictl pull "$image"');
  const airgap = provisionSteps(airgapProfile(), templates).find((s) => s.name === 'images-pull')!.body;
  t.match(airgap, '--kubernetes-version v1.31.2 --image-repository mirror.airgap.example:5000/k8s');
  t.match(airgap, 'local image=mirror.airgap.example:5000/k8s/pause:3.10\n');
});

t.test('image-cleanup resets cloud-init, the machine-id and the SSH host keys', async (t) => {
  t.match(byName('image-cleanup').body, 'cloud-init clean --logs --machine-id');
  t.match(byName('image-cleanup').body, 'rm -f /etc/ssh/ssh_host_*');
});

t.test('write-files writes every image file byte for byte, with its mode (run with bash)', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'gen-userdata-write-files-'));
  const profile = airgapProfile();
  const files = imageFiles(profile, templates);
  t.ok(files.some((f) => f.path.endsWith('/hosts.toml')), 'registry mirrors are among them');
  t.ok(files.some((f) => f.path === '/etc/gen-userdata/kubernetes-apt-key.asc'), 'and the apt key');
  const body = provisionSteps(profile, templates)[0]!;
  const r = runStep(body, runnerHelpers(renderProvisionScript(profile, templates)), { root });
  t.equal(r.status, 0, r.output);
  for (const f of files) {
    const written = join(root, f.path);
    t.equal(readFileSync(written, 'utf8'), f.content, `${f.path} content`);
    t.equal(statSync(written).mode & 0o777, f.mode, `${f.path} mode`);
  }
});

t.test('contents that would break a heredoc are still written exactly', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'gen-userdata-heredoc-'));
  const file = (path: string, content: string, mode = 0o644): PlanFile => ({ path, content, mode, owner: 'root:root', secret: false });
  const tricky = [
    file('/etc/a/delimiter', 'x\nGEN_USERDATA_EOF\ny\n'),
    file('/etc/a/no-newline', 'no trailing newline', 0o600),
    file('/etc/a/shell', "$(touch /tmp/pwned) `id` ${HOME} 'q' \"dq\" \\ \n"),
    file('/etc/a/empty', ''),
  ];
  t.equal(heredocDelimiter(tricky[0]!.content), 'GEN_USERDATA_EOF_1');
  const step = writeFilesStep({ profile: lab, templates, target: 'cloud-init', stage: 'image' }, tricky);
  t.match(step.body, /base64 -d <<'GEN_USERDATA_EOF'/, 'no trailing newline: base64');
  const r = runStep(step, runnerHelpers(renderProvisionScript(lab, templates)), { root });
  t.equal(r.status, 0, r.output);
  for (const f of tricky) t.equal(readFileSync(join(root, f.path), 'utf8'), f.content, `${f.path} exact`);
  t.equal(statSync(join(root, '/etc/a/no-newline')).mode & 0o777, 0o600);
});

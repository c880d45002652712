// Site integration (issue 12 section 3): proxy, extra trusted CAs, registry
// credentials and NTP, from the profile to the files, steps and configs of each node.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readProfile } from '../../src/cli/read-profile.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { provisionSteps } from '../../src/plan/provision-steps.js';
import { renderProvisionScript } from '../../src/emit/image/provision-script.js';
import { emitIgnition } from '../../src/emit/ignition/emit-ignition.js';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { renderShellLibrary } from '../../src/plan/shell-library.js';
import { shellLibraryPath } from '../../src/plan/paths.js';
import type { Profile } from '../../src/profile/types.js';
import type { NodePlan } from '../../src/plan/types.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { ROOT, bundledTemplates, fixtureSecrets, runCli } from '../helpers/fixtures.js';
import { lintNodeScripts, type NodeFileSet } from '../helpers/shellcheck.js';
import { ignitionValidate } from '../fixtures/plans/ignition-check.js';

const SITE = join(ROOT, 'test/fixtures/site');
const PASSWORD = readFileSync(join(SITE, 'registry-password'), 'utf8').trim();
const templates = bundledTemplates();
const secrets = fixtureSecrets('lab-ecdsa');

function siteProfile(): Profile {
  const r = readProfile(join(SITE, 'site.yaml'));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}
const profile = siteProfile();
const plans = { 'cloud-init': buildClusterPlans(profile, secrets, templates, 'cloud-init'), flatcar: buildClusterPlans(profile, secrets, templates, 'flatcar') };
const fileOf = (plan: NodePlan, path: string) => plan.files.find((f) => f.path === path);


/** The body of the bootstrap step `name` (empty when the plan has none). */
function stepBody(plan: NodePlan, name: string): string {
  return plan.bootstrap.steps.find((s) => s.name === name)?.body ?? '';
}

t.test('the automatic NO_PROXY list, then the profile entries', async (t) => {
  t.same(profile.proxy, {
    http: 'http://proxy.example.internal:3128',
    https: 'http://proxy.example.internal:3128',
    noProxy: ['localhost', '127.0.0.1', '::1', '192.168.56.0/24', '10.244.0.0/16', '10.96.0.0/12', '.svc', '.cluster.local', '192.168.56.101', '.example.internal', '10.0.0.0/8'],
  });
});

t.test('proxy: environment file, containerd and kubelet drop-ins, apt, every bootstrap step', async (t) => {
  for (const plan of plans['cloud-init']) {
    const env = fileOf(plan, '/etc/gen-userdata/proxy.env')!;
    t.equal(env.mode, 0o600, 'a proxy URL may carry a password');
    t.match(env.content, /^http_proxy=http:\/\/proxy\.example\.internal:3128\nhttps_proxy=http:\/\/proxy\.example\.internal:3128\nno_proxy=localhost,127\.0\.0\.1,::1,192\.168\.56\.0\/24,/m);
    for (const unit of ['containerd', 'kubelet']) {
      t.match(fileOf(plan, `/etc/systemd/system/${unit}.service.d/gen-userdata-proxy.conf`)?.content, /\[Service\]\nEnvironmentFile=\/etc\/gen-userdata\/proxy\.env\n/);
    }
    t.match(fileOf(plan, '/etc/apt/apt.conf.d/90gen-userdata-proxy')?.content, /Acquire::http::Proxy "http:\/\/proxy\.example\.internal:3128";\nAcquire::https::Proxy "http:\/\/proxy\.example\.internal:3128";/);
    const script = fileOf(plan, plan.bootstrap.scriptPath)!.content;
    t.match(script, /\nexport http_proxy=http:\/\/proxy\.example\.internal:3128\nexport https_proxy=http:\/\/proxy\.example\.internal:3128\nexport no_proxy=localhost,127\.0\.0\.1,::1,192\.168\.56\.0\/24,[^\n]*,10\.0\.0\.0\/8\n/, 'exported before any step');
    t.match(plan.bootstrap.steps.find((s) => s.name === 'containerd-config')?.body, /systemctl daemon-reload\n/);
  }
  for (const plan of plans.flatcar) t.notOk(fileOf(plan, '/etc/apt/apt.conf.d/90gen-userdata-proxy'), 'no apt on Flatcar');
  const provision = renderProvisionScript(profile, templates);
  t.match(provision, /\nexport https_proxy=http:\/\/proxy\.example\.internal:3128\n/, 'provision.sh too');
});

t.test('without a proxy nothing of it is written (the lab output does not change)', async (t) => {
  const lab = buildClusterPlans(readProfile('lab').ok ? (readProfile('lab') as { value: Profile }).value : profile, secrets, templates, 'cloud-init');
  for (const plan of lab) {
    t.notOk(plan.files.some((f) => /gen-userdata-proxy|proxy\.env|ca-certificates|timesyncd|chrony/.test(f.path)), plan.node.name);
    t.notMatch(fileOf(plan, plan.bootstrap.scriptPath)!.content, /_proxy=/);
    t.notMatch(plan.bootstrap.steps.find((s) => s.name === 'containerd-config')?.body, /daemon-reload/);
    t.notOk(plan.bootstrap.steps.some((s) => s.name === 'trust' || s.name === 'time-sync'));
  }
});

t.test('Ignition fetches through the proxy and the configs validate', async (t) => {
  for (const plan of plans.flatcar) {
    const json = emitIgnition(plan, { kubernetesVersion: profile.cluster.kubernetesVersion, flatcar: profile.flatcar, proxy: profile.proxy! });
    const doc = JSON.parse(json);
    t.same(doc.ignition.proxy, { httpProxy: profile.proxy!.http, httpsProxy: profile.proxy!.https, noProxy: profile.proxy!.noProxy });
    // Ignition warns about an http:// proxy for https:// downloads, which is how most
    // site proxies work (CONNECT); that warning is the only output allowed.
    const v = ignitionValidate(json);
    t.equal(v.status, 0, v.output);
    t.same(v.output.split('\n').filter((l) => l !== '' && !/insecure plaintext HTTP proxy specified for HTTPS resources/.test(l)), [], plan.node.name);
    const quiet = ignitionValidate(emitIgnition(plan, { kubernetesVersion: profile.cluster.kubernetesVersion, flatcar: profile.flatcar, proxy: { ...profile.proxy!, https: 'https://proxy.example.internal:3129' } }));
    t.ok(quiet.ok, `${plan.node.name} with an https:// proxy: ${quiet.output}`);
  }
});

t.test('trust: one file per CA in the OS trust store, installed by the first step, used for the mirror', async (t) => {
  const ca = readFileSync(join(SITE, 'site-ca.pem'), 'utf8');
  for (const [target, path] of [['cloud-init', '/usr/local/share/ca-certificates/gen-userdata/site-ca-1.crt'], ['flatcar', '/etc/ssl/certs/gen-userdata-site-ca-1.pem']] as const) {
    for (const plan of plans[target]) {
      t.equal(fileOf(plan, path)?.content, ca.replace(/\r\n/g, '\n'), `${target} ${plan.node.name}`);
      // Only the architecture check (no download) runs before them.
      t.same(plan.bootstrap.steps.slice(0, 3).map((s) => s.name), ['arch', 'trust', 'time-sync'], 'before any download');
      t.match(stepBody(plan, 'trust'), /update-ca-certificates/);
      t.match(fileOf(plan, '/etc/containerd/certs.d/docker.io/hosts.toml')?.content, new RegExp(`\\n  ca = \\["${path.replace(/\./g, '\\.')}"\\]\\n`));
    }
  }
  t.same(provisionSteps(profile, templates).slice(0, 3).map((s) => s.name), ['write-files', 'trust', 'time-sync'], 'provision.sh trusts them right after writing them');
});

t.test('update-ca-certificates really takes the file where the plan puts it', async (t) => {
  // A throwaway root: the Debian tool with --certsdir/--localcertsdir/--etccertsdir pointed into it.
  const root = mkdtempSync(join(tmpdir(), 'gen-userdata-trust-'));
  const plan = plans['cloud-init'][1]!;
  const f = fileOf(plan, '/usr/local/share/ca-certificates/gen-userdata/site-ca-1.crt')!;
  const local = join(root, 'usr/local/share/ca-certificates');
  spawnSync('mkdir', ['-p', join(local, 'gen-userdata'), join(root, 'etc/ssl/certs'), join(root, 'usr/share/ca-certificates'), join(root, 'etc/ca-certificates/update.d')]);
  writeFileSync(join(local, 'gen-userdata/site-ca-1.crt'), f.content);
  writeFileSync(join(root, 'etc/ca-certificates.conf'), '');
  const r = spawnSync('update-ca-certificates', [
    '--certsconf', join(root, 'etc/ca-certificates.conf'), '--certsdir', join(root, 'usr/share/ca-certificates'),
    '--localcertsdir', local, '--etccertsdir', join(root, 'etc/ssl/certs'), '--hooksdir', join(root, 'etc/ca-certificates/update.d'),
  ], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /1 added/);
  t.match(readFileSync(join(root, 'etc/ssl/certs/ca-certificates.crt'), 'utf8'), f.content.trim());
});

t.test('registry credentials: control planes only, 0600, containerd reads them', async (t) => {
  const toml = (text: string) => {
    const parsed = spawnSync('python3', ['-c', 'import sys, tomllib, json; print(json.dumps(tomllib.loads(sys.stdin.read())))'], { input: text, encoding: 'utf8' });
    t.equal(parsed.status, 0, parsed.stderr);
    return JSON.parse(parsed.stdout) as { plugins: Record<string, any> };
  };
  const expected = { 'registry.example.internal:5000': { auth: { username: 'cluster-puller', password: PASSWORD } } };
  for (const plan of plans['cloud-init']) {
    const config = fileOf(plan, '/etc/containerd/config.toml')!;
    const everything = plan.files.map((f) => f.content).join('\n');
    if (plan.node.role === 'worker') {
      t.notOk(everything.includes(PASSWORD), `cloud-init ${plan.node.name}: no registry password anywhere`);
      t.equal(config.mode, 0o644);
      continue;
    }
    t.equal(config.mode, 0o600);
    t.equal(config.secret, true);
    const cri = toml(config.content).plugins['io.containerd.grpc.v1.cri'];
    t.same(cri.registry.configs, expected);
    t.equal(cri.containerd.runtimes.runc.options.SystemdCgroup, true, 'the rest of the config is unchanged');
  }
  // Flatcar builds containerd's config from its own at boot: the control plane carries
  // only the credential tables, which the containerd step appends (flatcar-containerd-config.test.ts).
  for (const plan of plans.flatcar) {
    const auth = fileOf(plan, NODE_PATHS.containerdRegistryAuth);
    if (plan.node.role === 'worker') {
      t.notOk(plan.files.some((f) => f.content.includes(PASSWORD)), `flatcar ${plan.node.name}: no registry password anywhere`);
      t.notOk(auth);
      continue;
    }
    t.equal(auth?.mode, 0o600);
    t.equal(auth?.secret, true);
    t.same(toml(auth!.content).plugins['io.containerd.grpc.v1.cri'].registry.configs, expected);
  }
});

t.test('every output format of a worker is free of the password; the control plane files holding it are 0600', async (t) => {
  const files = generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init', 'iso', 'ignition'] });
  for (const f of files.filter((x) => x.role === 'worker')) t.notOk(Buffer.from(f.content).includes(PASSWORD), f.path);
  for (const f of files.filter((x) => Buffer.from(x.content).includes(PASSWORD))) t.equal(f.mode, 0o600, `${f.path} is 0600`);
  t.ok(files.some((f) => f.role === 'control-plane' && Buffer.from(f.content).includes(PASSWORD)), 'the control plane has it');
});

t.test('a prebaked control plane re-reads containerd config with the credentials', async (t) => {
  const baked = { ...profile, images: { ...profile.images, prebaked: true } };
  const [cp] = buildClusterPlans(baked, secrets, templates, 'cloud-init');
  t.equal(fileOf(cp!, '/etc/containerd/config.toml')?.mode, 0o600);
  t.ok(cp!.bootstrap.steps.some((s) => s.name === 'containerd-config'));
});

t.test('NTP: timesyncd drop-in everywhere, chrony sources on Debian', async (t) => {
  for (const plan of plans['cloud-init']) {
    t.equal(fileOf(plan, '/etc/systemd/timesyncd.conf.d/gen-userdata.conf')?.content.split('\n').slice(1).join('\n'), '[Time]\nNTP=ntp1.example.internal 192.168.56.1\n');
    t.match(fileOf(plan, '/etc/chrony/sources.d/gen-userdata.sources')?.content, /server ntp1\.example\.internal iburst\nserver 192\.168\.56\.1 iburst\n/);
    t.match(stepBody(plan, 'time-sync'), /chronyc reload sources/);
  }
  for (const plan of plans.flatcar) {
    t.notOk(fileOf(plan, '/etc/chrony/sources.d/gen-userdata.sources'));
    t.notMatch(stepBody(plan, 'time-sync'), /chronyc|apt_get/);
  }
});

t.test('every generated script passes bash -n and shellcheck', async (t) => {
  const sets: NodeFileSet[] = [...plans['cloud-init'], ...plans.flatcar].map((p) => ({ label: `${p.node.name}`, files: p.files }));
  const library = { path: shellLibraryPath('cloud-init'), content: renderShellLibrary(templates, { controlPlane: false, kubeVip: false }) };
  sets.push({ label: 'provision.sh', files: [{ path: '/provision.sh', content: renderProvisionScript(profile, templates) }, library] });
  t.ok(lintNodeScripts(t, sets) > 0);
});

// ---- the join step logs the clock offset on an x509 time error

const stubs = mkdtempSync(join(tmpdir(), 'gen-userdata-clock-'));
function stub(name: string, body: string): void {
  writeFileSync(join(stubs, name), `#!/bin/bash\n${body}\n`);
  chmodSync(join(stubs, name), 0o755);
}
// The API server's clock is 300 s ahead of this one.
stub('curl', 'printf "HTTP/2 401\\r\\ncontent-type: application/json\\r\\ndate: %s\\r\\n\\r\\n" "$(date -u -d @$(( $(date +%s) + 300 )) "+%a, %d %b %Y %H:%M:%S GMT")"');
stub('timedatectl', 'echo no');
// First join: kubeadm's x509 error for a clock that is behind; second: success.
stub('kubeadm', '[ "$1" = join ] || exit 0\nif [ ! -f "$STATE_DIR/first" ]; then touch "$STATE_DIR/first"; echo "error execution phase preflight: couldn\'t validate the identity of the API Server: Get \\"https://192.168.56.101:6443/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s\\": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2020-01-01T00:00:00Z is before 2026-12-01T08:00:00Z" >&2; exit 1; fi\necho "This node has joined the cluster"');

t.test('a join that fails with an x509 time error logs the clock offset, then retries', async (t) => {
  const worker = plans['cloud-init'][1]!;
  const join_ = worker.bootstrap.steps.find((s) => s.name === 'kubeadm-join')!;
  // The library's STATE_DIR is read-only and absolute; the test's lives in a temp dir.
  const library = fileOf(worker, shellLibraryPath('cloud-init'))!.content.replace(/^readonly STATE_DIR=.*$/m, '');
  const state = mkdtempSync(join(tmpdir(), 'gen-userdata-join-'));
  const script = [
    library,
    `export PATH=${stubs}:$PATH STATE_DIR=${state}`,
    'KUBEADM_CONFIG=/dev/null',
    'write_kubelet_patch() { :; }',
    'KUBEADM_PATCHES="$STATE_DIR/patches"',
    'endpoint_reachable() { true; }',
    'reset_node() { log "reset"; }',
    'sleep() { :; }',
    `step() {\n${join_.body}\n}`,
    'set -Eeuo pipefail',
    'step',
  ].join('\n');
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, STATE_DIR: state } });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stderr, /x509 time error: clock offset to the API server: -(29[89]|30[01])s; NTP synchronised: no/);
  t.match(r.stderr, /joined after 2 attempt\(s\)/);
});

t.test('log_clock_offset says so when the API server does not answer', async (t) => {
  const library = renderShellLibrary(templates, { controlPlane: false, kubeVip: false });
  const r = spawnSync('bash', ['-c', `${library}\nexport PATH=${stubs}:$PATH\ncurl() { return 7; }\nlog_clock_offset 192.0.2.1 6443`], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stderr, /clock offset to the API server: unknown; NTP synchronised: no/);
});

// ---- bad input: a diagnostic with path and line, exit 1, nothing written

function variant(edit: (text: string) => string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-site-bad-'));
  for (const f of ['site-ca.pem', 'registry-password', 'leaf.pem']) copyFileSync(join(SITE, f), join(dir, f));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'site.yaml'), edit(readFileSync(join(SITE, 'site.yaml'), 'utf8')));
  return dir;
}

const BAD: Array<[string, (s: string) => string, RegExp, Record<string, string>?]> = [
  ['a proxy URL with a newline', (s) => s.replace('http: http://proxy.example.internal:3128', 'http: "http://proxy.example.internal:3128\\nX-Evil: 1"'), /site\.yaml:13:9: error\[control-character\] \/proxy\/http:/],
  ['a proxy URL with a command substitution', (s) => s.replace('http: http://proxy.example.internal:3128', 'http: "http://$(reboot)@proxy:3128"'), /site\.yaml:13:9: error\[invalid-proxy-url\] \/proxy\/http:/],
  ['a proxy URL with a ;', (s) => s.replace('https: http://proxy.example.internal:3128', 'https: "http://proxy;rm -rf /:3128"'), /site\.yaml:14:10: error\[invalid-proxy-url\] \/proxy\/https:/],
  ['a proxy URL with a backtick and quotes', (s) => s.replace('https: http://proxy.example.internal:3128', 'https: "http://u:`id`\\"@proxy:3128"'), /site\.yaml:14:10: error\[invalid-proxy-url\] \/proxy\/https:/],
  ['a proxy URL with a path', (s) => s.replace('https: http://proxy.example.internal:3128', 'https: http://proxy:3128/x'), /error\[invalid-proxy-url\] \/proxy\/https:/],
  ['a noProxy entry with a space', (s) => s.replace('noProxy: [.example.internal, 10.0.0.0/8]', 'noProxy: [".example.internal; id", 10.0.0.0/8]'), /site\.yaml:15:13: error\[invalid-no-proxy\] \/proxy\/noProxy\/0:/],
  ['a non-CA certificate in the trust bundle file', (s) => s.replace('caBundleFile: site-ca.pem', 'caBundleFile: leaf.pem'), /site\.yaml:17:17: error\[invalid-ca-bundle\] \/trust\/caBundleFile: leaf\.pem: certificate 1 \(CN=proxy\.example\.internal\) is not a CA certificate/],
  ['a non-CA certificate inline, after a good one', (s) => s.replace('caBundleFile: site-ca.pem', `caBundle: |\n${[readFileSync(join(SITE, 'site-ca.pem'), 'utf8'), readFileSync(join(SITE, 'leaf.pem'), 'utf8')].join('').trim().split('\n').map((l) => `    ${l}`).join('\n')}`), /site\.yaml:17:13: error\[invalid-ca-bundle\] \/trust\/caBundle: certificate 2 \(CN=proxy\.example\.internal\) is not a CA certificate/],
  ['a private key in the trust bundle', (s) => s, /error\[invalid-ca-bundle\] \/trust\/caBundleFile: site-ca\.pem: it contains a private key/, { 'site-ca.pem': `${readFileSync(join(SITE, 'site-ca.pem'), 'utf8')}-----BEGIN PRIVATE KEY-----\nMIG\n-----END PRIVATE KEY-----\n` }],
  ['a broken certificate', (s) => s, /error\[invalid-ca-bundle\] \/trust\/caBundleFile: site-ca\.pem: certificate 1 is not a valid X\.509 certificate/, { 'site-ca.pem': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }],
  ['both caBundle and caBundleFile', (s) => s.replace('caBundleFile: site-ca.pem', 'caBundleFile: site-ca.pem\n  caBundle: "-----BEGIN CERTIFICATE-----"'), /error\[mutually-exclusive\] \/trust\/caBundleFile/],
  ['a registry with a scheme', (s) => s.replace('registry.example.internal:5000:\n', '"https://registry.example.internal:5000":\n'), /site\.yaml:21:5: error\[invalid-registry\] \/images\/auth\/https:~1~1registry\.example\.internal:5000:/],
  ['a missing password file', (s) => s.replace('passwordFile: registry-password', 'passwordFile: nope'), /site\.yaml:23:21: error\[file-not-found\] \/images\/auth\/registry\.example\.internal:5000\/passwordFile/],
  ['a password file with two lines', (s) => s, /error\[invalid-password-file\] \/images\/auth\/registry\.example\.internal:5000\/passwordFile: registry-password: must hold the password on one line/, { 'registry-password': 'line-one\nline-two\n' }],
  ['an NTP server with a space', (s) => s.replace('servers: [ntp1.example.internal, 192.168.56.1]', 'servers: ["ntp1 -x", 192.168.56.1]'), /site\.yaml:25:13: error\[invalid-ntp-server\] \/time\/servers\/0:/],
];

for (const [what, edit, expected, files] of BAD) {
  t.test(`refused: ${what}`, async (t) => {
    const dir = variant(edit, files);
    const out = join(dir, 'out');
    const r = runCli(['--profile', join(dir, 'site.yaml'), '--out', out]);
    t.equal(r.status, 1, r.stderr);
    t.match(r.stderr, expected);
    t.match(r.stderr, /nothing was written/);
    t.notOk(existsSync(out), 'nothing written');
    t.notOk(r.stderr.includes(PASSWORD) || r.stdout.includes(PASSWORD), 'the password is never printed');
  });
}

t.test('the CLI: a generate run prints the scope warning and never the password', async (t) => {
  const dir = variant((s) => s);
  const r = runCli(['--profile', join(dir, 'site.yaml'), '--out', join(dir, 'out'), '--format', 'all']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stderr, /warning\[registry-auth-control-planes-only\] \/images\/auth/);
  t.notOk(`${r.stdout}${r.stderr}`.includes(PASSWORD));
  const dry = runCli(['--profile', join(dir, 'site.yaml'), '--out', join(dir, 'out'), '--dry-run']);
  t.equal(dry.status, 0, dry.stderr);
  t.notOk(`${dry.stdout}${dry.stderr}`.includes(PASSWORD), '--dry-run does not print it either');
});

import t from 'tap';
import { emitIgnition, buildIgnitionConfig } from '../../src/emit/ignition/emit-ignition.js';
import type { IgnitionConfig } from '../../src/emit/ignition/types.js';
import { systemdExecLine, systemdQuote } from '../../src/emit/ignition/units.js';
import { ignitionSizes } from '../../src/emit/ignition/sizes.js';
import { defaultSysextUrl } from '../../src/emit/ignition/sysext.js';
import { decodeDataUrl, deterministicGzip } from '../../src/emit/data-url.js';
import type { NodePlan } from '../../src/plan/types.js';
import { controlPlanePlan, workerPlan } from '../fixtures/plans/lab-plans.js';
import { decodeInlineFiles, ignitionValidate } from '../fixtures/plans/ignition-check.js';

const OPTS = { kubernetesVersion: '1.30.0', flatcar: { sysextSha256: {} } };
const parse = (json: string) => JSON.parse(json) as IgnitionConfig;

t.test('generated configs pass ignition-validate without warnings', async (t) => {
  for (const [name, plan] of [['control plane', controlPlanePlan()], ['worker', workerPlan()]] as const) {
    for (const pretty of [false, true]) {
      const r = ignitionValidate(emitIgnition(plan, { ...OPTS, pretty }));
      t.ok(r.ok, `${name} (pretty=${pretty}) valid as ${r.checkedAs}`, { output: r.output });
    }
  }
  const withHash = emitIgnition(workerPlan(), {
    ...OPTS,
    flatcar: { sysextUrl: 'https://mirror.example.internal/k8s.raw', sysextSha256: { amd64: 'ab'.repeat(32) } },
  });
  t.ok(ignitionValidate(withHash).ok, 'valid with a mirror URL and sha256 verification');
});

t.test('the validator check can fail', async (t) => {
  const good = parse(emitIgnition(workerPlan(), OPTS));
  const relative = structuredClone(good);
  relative.storage.files[0]!.path = 'etc/relative';
  const r1 = ignitionValidate(JSON.stringify(relative));
  t.notOk(r1.ok);
  t.match(r1.output, /path not absolute/);
  const corrupt = structuredClone(good);
  const gz = corrupt.storage.files.find((f) => f.contents.compression === 'gzip')!;
  gz.contents.source = 'data:;base64,@@not-base64@@';
  t.notOk(ignitionValidate(JSON.stringify(corrupt)).ok, 'corrupt data URL rejected');
  const badVersion = { ...good, ignition: { version: '9.9.9' } };
  t.notOk(ignitionValidate(JSON.stringify(badVersion)).ok, 'unknown spec version rejected');
  const warn = structuredClone(good);
  warn.systemd.units.push({ name: 'no-install.service', enabled: true, contents: '[Service]\nExecStart=/bin/true\n' });
  const r2 = ignitionValidate(JSON.stringify(warn));
  t.notOk(r2.ok, 'a warning also counts as failure');
  t.match(r2.output, /no install section/);
});

t.test('top level: spec version, final newline, compact by default', async (t) => {
  const json = emitIgnition(workerPlan(), OPTS);
  t.ok(json.endsWith('}\n'));
  t.notOk(json.slice(0, -1).includes('\n'), 'compact JSON is one line');
  const cfg = parse(json);
  t.equal(cfg.ignition.version, '3.4.0');
  t.same(Object.keys(cfg), ['ignition', 'passwd', 'storage', 'systemd']);
  const pretty = emitIgnition(workerPlan(), { ...OPTS, pretty: true });
  t.match(pretty, /^\{\n {2}"ignition": \{\n {4}"version": "3\.4\.0"/);
  t.same(JSON.parse(pretty), cfg, 'pretty and compact hold the same config');
});

t.test('every plan file decodes to the plan content with mode, owner and overwrite', async (t) => {
  for (const plan of [controlPlanePlan(), workerPlan()]) {
    const cfg = parse(emitIgnition(plan, OPTS));
    const files = decodeInlineFiles(cfg);
    for (const pf of plan.files) {
      const f = files.get(pf.path);
      if (!f) {
        t.fail(`${plan.node.name}: ${pf.path} missing`);
        continue;
      }
      t.equal(f.content.toString('utf8'), pf.content, `${pf.path} content`);
      t.equal(f.mode, pf.mode, `${pf.path} mode`);
      t.equal(`${f.user}:${f.group}`, pf.owner, `${pf.path} owner`);
      t.equal(f.overwrite, true, `${pf.path} overwrite: every file we write may exist already`);
    }
    const forms = new Set([...files.values()].map((f) => f.form));
    t.same([...forms].sort(), ['gzip', 'plain'], 'both data URL forms are in use');
    const paths = cfg.storage.files.map((f) => f.path);
    t.same(paths, [...paths].sort(), 'files sorted by path');
  }
  const raw = parse(emitIgnition(controlPlanePlan(), OPTS));
  const script = raw.storage.files.find((f) => f.path === '/usr/local/sbin/gen-userdata-bootstrap')!;
  t.equal(script.mode, 448, 'modes are decimal numbers in JSON (0700 = 448)');
  t.match(JSON.stringify(raw), /"mode":420/);
});

t.test('/etc/hostname comes from plan.hostname and overwrites', async (t) => {
  const plan = workerPlan();
  plan.hostname = 'worker-one';
  const f = decodeInlineFiles(parse(emitIgnition(plan, OPTS))).get('/etc/hostname');
  t.equal(f?.content.toString(), 'worker-one\n');
  t.equal(f?.overwrite, true);
  t.equal(f?.mode, 0o644);
  // A plan that ships its own /etc/hostname keeps it (no duplicate entry).
  plan.files.push({ path: '/etc/hostname', mode: 0o644, owner: 'root:root', content: 'custom\n', secret: false });
  const cfg = parse(emitIgnition(plan, OPTS));
  t.equal(cfg.storage.files.filter((x) => x.path === '/etc/hostname').length, 1);
  t.equal(decodeInlineFiles(cfg).get('/etc/hostname')?.content.toString(), 'custom\n');
});

t.test('systemd-networkd files: static by name, DHCP extras, MAC match, gateway', async (t) => {
  const files = decodeInlineFiles(parse(emitIgnition(workerPlan(), OPTS)));
  t.equal(
    files.get('/etc/systemd/network/00-gen-userdata.network')?.content.toString(),
    '[Match]\nName=enp0s8\n\n[Network]\nAddress=192.168.56.102/24\nDNS=1.1.1.1\nDNS=8.8.8.8\n',
  );
  t.equal(
    files.get('/etc/systemd/network/01-gen-userdata-dhcp-enp0s3.network')?.content.toString(),
    '[Match]\nName=enp0s3\n\n[Network]\nDHCP=yes\n',
  );
  const plan = workerPlan();
  plan.network = { ...plan.network, match: { macAddress: '52:54:00:12:34:56' }, gateway: '192.168.56.1', dhcpInterfaces: [] };
  const json = emitIgnition(plan, OPTS);
  const mac = decodeInlineFiles(parse(json));
  t.equal(
    mac.get('/etc/systemd/network/00-gen-userdata.network')?.content.toString(),
    '[Match]\nMACAddress=52:54:00:12:34:56\n\n[Network]\nAddress=192.168.56.102/24\nGateway=192.168.56.1\nDNS=1.1.1.1\nDNS=8.8.8.8\n',
  );
  t.notOk([...mac.keys()].some((p) => p.includes('dhcp')), 'no DHCP files when none are listed');
  t.ok(ignitionValidate(json).ok);
});

t.test('users: core gets every key, plan users keep theirs, sudo maps to the sudo group', async (t) => {
  const cfg = parse(emitIgnition(controlPlanePlan(), OPTS));
  const [core, kube, auditor, ...rest] = cfg.passwd.users;
  t.same(rest, []);
  t.equal(core?.name, 'core');
  t.same(core?.sshAuthorizedKeys, [
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGVuLXVzZXJkYXRhLWxhYi1leGFtcGxlLWtleQAAAAAA lab@example',
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHNlY29uZC1mYWtlLWtleS1mb3ItdGVzdHMtb25seQAA ops@example',
  ], 'union of all keys, first-seen order, no duplicates');
  t.same(kube, { name: 'kube', sshAuthorizedKeys: [core!.sshAuthorizedKeys![0]], groups: ['sudo'], shell: '/bin/bash' });
  t.equal(auditor?.name, 'auditor');
  t.notOk(auditor?.groups, 'non-sudo user gets no admin group');
  // A profile user called core is folded into the single core entry.
  const plan = workerPlan();
  plan.users = [{ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGNvcmUta2V5 c@x'], sudo: true, shell: '/bin/bash' }];
  const users = parse(emitIgnition(plan, OPTS)).passwd.users;
  t.same(users, [{ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGNvcmUta2V5 c@x'], shell: '/bin/bash' }]);
});

t.test('Kubernetes sysext: versioned image under /opt/extensions, link in /etc/extensions', async (t) => {
  const cfg = parse(emitIgnition(workerPlan(), OPTS));
  const image = cfg.storage.files.find((f) => f.path === '/opt/extensions/kubernetes/kubernetes-v1.30.0-x86-64.raw');
  t.same(image, {
    path: '/opt/extensions/kubernetes/kubernetes-v1.30.0-x86-64.raw',
    overwrite: true,
    contents: { source: 'https://extensions.flatcar.org/extensions/kubernetes-v1.30.0-x86-64.raw' },
    mode: 420,
  });
  t.equal(defaultSysextUrl('1.31.2', 'amd64'), 'https://extensions.flatcar.org/extensions/kubernetes-v1.31.2-x86-64.raw');
  t.equal(defaultSysextUrl('1.32.2', 'arm64'), 'https://extensions.flatcar.org/extensions/kubernetes-v1.32.2-arm64.raw');
  t.same(cfg.storage.links, [
    { path: '/etc/extensions/kubernetes.raw', overwrite: true, target: '/opt/extensions/kubernetes/kubernetes-v1.30.0-x86-64.raw', hard: false },
  ]);
  const mirrored = parse(emitIgnition(workerPlan(), {
    kubernetesVersion: '1.30.0',
    flatcar: { sysextUrl: 'https://mirror.example.internal/k8s.raw', sysextSha256: { amd64: 'ab'.repeat(32) } },
  }));
  const m = mirrored.storage.files.find((f) => f.path.startsWith('/opt/extensions/'));
  t.equal(m?.path, '/opt/extensions/kubernetes/kubernetes-v1.30.0-x86-64.raw', 'local name follows the version, not the URL');
  t.same(m?.contents, { source: 'https://mirror.example.internal/k8s.raw', verification: { hash: `sha256-${'ab'.repeat(32)}` } });
  t.throws(() => emitIgnition(workerPlan(), { ...OPTS, flatcar: { sysextSha256: { amd64: 'abc' } } }), /64 lowercase hex/);
  t.throws(() => emitIgnition(workerPlan(), { ...OPTS, flatcar: { sysextUrl: 'file:///x.raw', sysextSha256: {} } }), /http/);
  t.throws(() => emitIgnition(workerPlan(), { ...OPTS, kubernetesVersion: 'v1.30' }), /x\.y\.z/);
});

t.test('units: bootstrap oneshot, kubelet, containerd drop-in, plan units', async (t) => {
  const plan = controlPlanePlan();
  const cfg = parse(emitIgnition(plan, OPTS));
  const names = cfg.systemd.units.map((u) => u.name);
  t.same(names, [...names].sort(), 'units sorted by name');
  t.same(names, [
    'containerd.service',
    'gen-userdata-approve-csrs.service',
    'gen-userdata-approve-csrs.timer',
    'gen-userdata-bootstrap.service',
    'kubelet.service',
    'locksmithd.service',
  ]);
  const unit = (n: string) => cfg.systemd.units.find((u) => u.name === n)!;
  const boot = unit('gen-userdata-bootstrap.service');
  t.equal(boot.enabled, true);
  const lines = boot.contents!.split('\n');
  for (const l of [
    'Wants=network-online.target containerd.service',
    'After=network-online.target',
    'After=systemd-sysext.service ensure-sysext.service containerd.service',
    'ConditionPathExists=!/var/lib/gen-userdata/bootstrap.done',
    'Type=oneshot',
    'RemainAfterExit=yes',
    'ExecStart=/usr/local/sbin/gen-userdata-bootstrap',
    'TimeoutStartSec=infinity',
    'WantedBy=multi-user.target',
  ]) t.ok(lines.includes(l), l);
  t.same(unit('kubelet.service'), { name: 'kubelet.service', enabled: true });
  t.same(unit('locksmithd.service'), { name: 'locksmithd.service', mask: true }, 'no uncoordinated reboots after OS updates');
  const containerd = unit('containerd.service');
  t.notOk('enabled' in containerd, 'containerd enablement is left to Flatcar');
  t.same(containerd.dropins?.map((d) => d.name), ['10-use-custom-config.conf']);
  t.match(containerd.dropins![0]!.contents, /^\[Service\]\nEnvironment=CONTAINERD_CONFIG=\/etc\/containerd\/config\.toml\nExecStart=\nExecStart=\/usr\/bin\/containerd --config \/etc\/containerd\/config\.toml\n$/);
  t.same(unit('gen-userdata-approve-csrs.timer'), { name: 'gen-userdata-approve-csrs.timer', enabled: true, contents: plan.units[1]!.content });
  t.same(unit('gen-userdata-approve-csrs.service'), { name: 'gen-userdata-approve-csrs.service', contents: plan.units[0]!.content });

  const noContainerd = workerPlan();
  noContainerd.files = noContainerd.files.filter((f) => f.path !== '/etc/containerd/config.toml');
  const units = parse(emitIgnition(noContainerd, OPTS)).systemd.units.map((u) => u.name);
  t.notOk(units.includes('containerd.service'), 'no drop-in without a containerd config in the plan');
  noContainerd.bootstrap.steps.push({ name: 'containerd-config', body: 'true' });
  const written = parse(emitIgnition(noContainerd, OPTS)).systemd.units.map((u) => u.name);
  t.ok(written.includes('containerd.service'), 'a drop-in when the bootstrap writes the config (Flatcar)');
});

t.test('ExecStart quoting', async (t) => {
  t.equal(systemdExecLine(['/usr/local/sbin/x', '--flag=1']), '/usr/local/sbin/x --flag=1');
  t.equal(systemdQuote('a b'), '"a b"');
  t.equal(systemdQuote('say "hi"\\'), '"say \\"hi\\"\\\\"');
  t.equal(systemdQuote('100%'), '100%%');
  t.equal(systemdQuote('$HOME'), '"$$HOME"');
  t.equal(systemdQuote(''), '""');
  t.throws(() => systemdExecLine([]), /empty/);
  t.throws(() => systemdExecLine(['relative/cmd']), /absolute/);
  const plan = workerPlan();
  plan.bootstrap.command = ['/bin/bash', '/usr/local/sbin/gen userdata'];
  const boot = parse(emitIgnition(plan, OPTS)).systemd.units.find((u) => u.name === 'gen-userdata-bootstrap.service');
  t.match(boot?.contents, /\nExecStart=\/bin\/bash "\/usr\/local\/sbin\/gen userdata"\n/);
});

t.test('worker configs hold no private key, raw or decoded; control planes do', async (t) => {
  const worker = emitIgnition(workerPlan(), OPTS);
  t.notMatch(worker, /PRIVATE KEY/);
  for (const [path, f] of decodeInlineFiles(parse(worker))) t.notMatch(f.content.toString(), /PRIVATE KEY/, path);
  // The same check finds keys when they are there (the CA key is gzipped, so only decoding reveals it).
  const cp = decodeInlineFiles(parse(emitIgnition(controlPlanePlan(), OPTS)));
  t.match(cp.get('/etc/kubernetes/pki/ca.key')?.content.toString(), /BEGIN RSA PRIVATE KEY/);
  t.equal(cp.get('/etc/kubernetes/pki/ca.key')?.mode, 0o600);
});

t.test('deterministic output and no mutation of the plan', async (t) => {
  const plan = controlPlanePlan();
  const before = structuredClone(plan);
  const a = emitIgnition(plan, OPTS);
  t.equal(emitIgnition(plan, OPTS), a);
  t.equal(emitIgnition(controlPlanePlan(), OPTS), a, 'equal plans give equal bytes');
  t.same(plan, before, 'plan untouched');
  // Reordering plan files does not change the output (files are sorted by path).
  const shuffled = controlPlanePlan();
  shuffled.files.reverse();
  t.equal(emitIgnition(shuffled, OPTS), a);
});

t.test('generator bugs throw: clashing paths and units', async (t) => {
  const clash = workerPlan();
  clash.files.push({ path: '/etc/systemd/system/gen-userdata-bootstrap.service', mode: 0o644, owner: 'root:root', content: 'x', secret: false });
  t.throws(() => emitIgnition(clash, OPTS), /written twice/);
  const dropin = workerPlan();
  dropin.files.push({ path: '/etc/systemd/system/containerd.service.d/10-use-custom-config.conf', mode: 0o644, owner: 'root:root', content: 'x', secret: false });
  t.throws(() => emitIgnition(dropin, OPTS), /written twice/);
  const dupFile = workerPlan();
  dupFile.files.push({ ...dupFile.files[0]! });
  t.throws(() => emitIgnition(dupFile, OPTS), /written twice/);
  const dupUnit: NodePlan = workerPlan();
  dupUnit.units.push({ name: 'kubelet.service', content: '[Service]\n', enabled: true });
  t.throws(() => emitIgnition(dupUnit, OPTS), /clashes/);
});

t.test('owner without a group sets only the user', async (t) => {
  const plan = workerPlan();
  plan.files.push({ path: '/home/kube/.profile.d/x.sh', mode: 0o644, owner: 'kube', content: 'x\n', secret: false });
  const f = buildIgnitionConfig(plan, OPTS).storage.files.find((x) => x.path === '/home/kube/.profile.d/x.sh');
  t.same(f?.user, { name: 'kube' });
  t.notOk(f?.group);
});

t.test('ignitionSizes reports raw bytes and gzip+base64 characters', async (t) => {
  const json = emitIgnition(controlPlanePlan(), { ...OPTS, pretty: true });
  const s = ignitionSizes(json);
  t.equal(s.raw, Buffer.byteLength(json));
  t.equal(s.gzipBase64, deterministicGzip(Buffer.from(json)).toString('base64').length);
  t.ok(s.gzipBase64 < s.raw, 'gzip helps on a pretty config');
  t.equal(decodeDataUrl(`data:;base64,${deterministicGzip(Buffer.from(json)).toString('base64')}`, 'gzip').toString(), json);
  t.same(ignitionSizes('é'), { raw: 2, gzipBase64: deterministicGzip(Buffer.from('é')).toString('base64').length });
});

t.test('architecture: arm64 image, a directory sysextUrl per arch, auto refused', async (t) => {
  const arm = workerPlan();
  arm.node.arch = 'arm64';
  const digest = 'cd'.repeat(32);
  const cfg = parse(emitIgnition(arm, { ...OPTS, flatcar: { sysextUrl: 'https://mirror.example.internal/sysext/', sysextSha256: { amd64: 'ab'.repeat(32), arm64: digest } } }));
  const image = cfg.storage.files.find((f) => f.path.startsWith('/opt/extensions/'));
  t.equal(image?.path, '/opt/extensions/kubernetes/kubernetes-v1.30.0-arm64.raw');
  t.same(image?.contents, { source: 'https://mirror.example.internal/sysext/kubernetes-v1.30.0-arm64.raw', verification: { hash: `sha256-${digest}` } }, 'the arm64 digest, the directory URL plus the versioned name');
  const amd = parse(emitIgnition(workerPlan(), { ...OPTS, flatcar: { sysextUrl: 'https://mirror.example.internal/sysext/', sysextSha256: { arm64: digest } } }));
  t.same(amd.storage.files.find((f) => f.path.startsWith('/opt/extensions/'))?.contents, { source: 'https://mirror.example.internal/sysext/kubernetes-v1.30.0-x86-64.raw' }, 'no digest for amd64: none checked');
  const auto = workerPlan();
  auto.node.arch = 'auto';
  t.throws(() => emitIgnition(auto, OPTS), /arch auto/);
});

t.test('spec 3.3.0: same config, other version, valid for the 2.14 validator as 3.3.0', async (t) => {
  const v34 = emitIgnition(controlPlanePlan(), OPTS);
  const v33 = emitIgnition(controlPlanePlan(), { ...OPTS, specVersion: '3.3.0' });
  t.equal(v33, v34.replace('"version":"3.4.0"', '"version":"3.3.0"'));
  const r = ignitionValidate(v33);
  t.ok(r.ok, r.output);
  t.equal(r.checkedAs, '3.3.0');
});

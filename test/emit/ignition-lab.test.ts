// Ignition output on real plans: profiles/lab.yaml + the fixed lab secrets, target flatcar,
// checked with ignition-validate and compared file by file with the plan and with the
// cloud-init output of the same node.
import t from 'tap';
import { trimShellLibrary } from '../../src/plan/trim-shell-library.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { emitIgnition } from '../../src/emit/ignition/emit-ignition.js';
import type { IgnitionConfig } from '../../src/emit/ignition/types.js';
import { emitUserData } from '../../src/emit/cloud-init/user-data.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { loadProfile } from '../../src/profile/load-profile.js';
import type { Profile } from '../../src/profile/types.js';
import { bundledTemplates, fixtureSecrets, profileAt, ROOT } from '../helpers/fixtures.js';
import { decodeInlineFiles, ignitionValidate, writtenTextFiles } from '../fixtures/plans/ignition-check.js';
import { userDataFiles } from '../helpers/cloud-init-files.js';

const profile = profileAt('profiles/lab.yaml');
const secrets = fixtureSecrets('lab');
const templates = bundledTemplates();
const flatcarPlans = buildClusterPlans(profile, secrets, templates, 'flatcar');
const cloudInitPlans = buildClusterPlans(profile, secrets, templates, 'cloud-init');
const opts = (p: Profile) => ({ kubernetesVersion: p.cluster.kubernetesVersion, flatcar: p.flatcar });
const parse = (json: string) => JSON.parse(json) as IgnitionConfig;

/**
 * Files that deliberately differ between the Ignition (Flatcar) and cloud-init
 * (Debian/Ubuntu) output of one node. Anything else must be byte-identical.
 */
const IGNITION_ONLY: RegExp[] = [
  /^\/etc\/hostname$/, // cloud-init sets the hostname from its `hostname:` key instead
  /^\/etc\/systemd\/network\/00-gen-userdata\.network$/, // cloud-init: network-config v2
  /^\/etc\/systemd\/network\/01-gen-userdata-dhcp-[^/]+\.network$/,
  /^\/etc\/systemd\/system\/containerd\.service\.d\/10-use-custom-config\.conf$/, // Flatcar's containerd reads /usr/share/… by default
  /^\/etc\/systemd\/system\/gen-userdata-bootstrap\.service$/, // cloud-init runs the script from runcmd
  /^\/opt\/bin\/gen-userdata-[a-z-]+$/, // /usr is read-only on Flatcar: scripts live in /opt/bin
  /^\/opt\/lib\/gen-userdata\/common\.sh$/, // and the shell library in /opt/lib
  /^\/var\/lib\/iptables\/rules-save$/, // firewall.mode ports: no ufw on Flatcar, iptables-restore.service loads this
  /^\/opt\/bin\/k8s-[a-z-]+$/, // the node tools too
];
const CLOUD_INIT_ONLY: RegExp[] = [
  /^\/usr\/local\/sbin\/(gen-userdata|k8s)-[a-z-]+$/,
  /^\/usr\/local\/lib\/gen-userdata\/common\.sh$/,
  /^\/etc\/containerd\/config\.toml$/, // Flatcar: the bootstrap builds it from Flatcar's own config
];
/** Present in both, with contents that may differ only as described. */
const BOOTSTRAP_SCRIPT = { ignition: '/opt/bin/gen-userdata-bootstrap', cloudInit: '/usr/local/sbin/gen-userdata-bootstrap' };
const PATH_ONLY_DIFFERENCES = [
  '/etc/systemd/system/gen-userdata-approve-csrs.service',
  '/etc/systemd/system/gen-userdata-token-revoke.service',
  '/etc/systemd/system/gen-userdata-etcd-backup.service',
  '/etc/systemd/system/gen-userdata-cert-renew.service',
  '/etc/systemd/system/gen-userdata-verify.service',
];
/** Flatcar's directories for cloud-init's (read-only /usr). */
const onFlatcar = (text: string | undefined): string | undefined =>
  text?.replaceAll('/usr/local/sbin/', '/opt/bin/').replaceAll('/usr/local/lib/', '/opt/lib/');

t.test('lab plans for flatcar: every config passes ignition-validate', async (t) => {
  t.equal(flatcarPlans.length, 3);
  for (const plan of flatcarPlans) {
    const r = ignitionValidate(emitIgnition(plan, opts(profile)));
    t.ok(r.ok, `${plan.node.name} valid as ${r.checkedAs}`, { output: r.output });
  }
});

t.test('decoded files equal the plan files', async (t) => {
  for (const plan of flatcarPlans) {
    const files = decodeInlineFiles(parse(emitIgnition(plan, opts(profile))));
    for (const pf of plan.files) {
      const f = files.get(pf.path);
      if (!f) {
        t.fail(`${plan.node.name}: ${pf.path} missing`);
        continue;
      }
      t.ok(f.content.equals(Buffer.from(pf.content, 'utf8')), `${plan.node.name}: ${pf.path} bytes`);
      t.equal(f.mode, pf.mode, `${pf.path} mode`);
      t.equal(`${f.user}:${f.group}`, pf.owner);
      t.equal(f.overwrite, true, `${pf.path} overwrite`);
    }
  }
});

t.test('workers hold no private key; the control plane holds the CA keys', async (t) => {
  for (const plan of flatcarPlans) {
    const json = emitIgnition(plan, opts(profile));
    const decoded = [...decodeInlineFiles(parse(json)).values()].map((f) => f.content.toString('utf8')).join('\n');
    if (plan.node.role === 'worker') {
      t.notMatch(json, /PRIVATE KEY/, `${plan.node.name} raw`);
      t.notMatch(decoded, /PRIVATE KEY/, `${plan.node.name} decoded`);
    } else {
      t.match(decoded, /PRIVATE KEY/, `${plan.node.name} carries the shared CA keys`);
    }
  }
});

t.test('deterministic: two runs give the same bytes', async (t) => {
  const again = buildClusterPlans(profile, secrets, templates, 'flatcar');
  for (let i = 0; i < flatcarPlans.length; i++) {
    t.equal(emitIgnition(again[i]!, opts(profile)), emitIgnition(flatcarPlans[i]!, opts(profile)));
  }
});

t.test('same node, Ignition vs cloud-init: identical except the listed distribution-specific files', async (t) => {
  for (let i = 0; i < flatcarPlans.length; i++) {
    const fc = flatcarPlans[i]!;
    const ci = cloudInitPlans[i]!;
    t.equal(fc.node.name, ci.node.name);
    const cfg = parse(emitIgnition(fc, opts(profile)));
    const ign = writtenTextFiles(cfg);
    const text = emitUserData(ci);
    const userData = parseYaml(text) as { hostname: string; users: { name: string; ssh_authorized_keys: string[] }[] };
    const cim = userDataFiles(text);

    const ignOnly = [...ign.keys()].filter((p) => !cim.has(p));
    const ciOnly = [...cim.keys()].filter((p) => !ign.has(p));
    for (const p of ignOnly) t.ok(IGNITION_ONLY.some((re) => re.test(p)), `${fc.node.name}: Ignition-only ${p} is listed`);
    for (const p of ciOnly) t.ok(CLOUD_INIT_ONLY.some((re) => re.test(p)), `${fc.node.name}: cloud-init-only ${p} is listed`);
    t.ok(ignOnly.includes(BOOTSTRAP_SCRIPT.ignition) && ciOnly.includes(BOOTSTRAP_SCRIPT.cloudInit), 'bootstrap script on both sides');
    // Scripts other than the bootstrap are the same text under another directory
    // (and, sourcing the library or naming the bootstrap, with Flatcar's paths in them).
    for (const p of ignOnly.filter((x) => x.startsWith('/opt/bin/') && x !== BOOTSTRAP_SCRIPT.ignition)) {
      t.equal(ign.get(p), onFlatcar(cim.get(p.replace('/opt/bin/', '/usr/local/sbin/'))), `${p} same text as on cloud-init`);
    }
    // The same library, trimmed to what the Flatcar scripts call (no apt there).
    const flatcarScripts = [...ign.values()].filter((c) => c.startsWith('#!'));
    t.equal(ign.get('/opt/lib/gen-userdata/common.sh'), trimShellLibrary(cim.get('/usr/local/lib/gen-userdata/common.sh')!, flatcarScripts), 'the same shell library');
    for (const p of [...ign.keys()].filter((x) => cim.has(x))) {
      if (PATH_ONLY_DIFFERENCES.includes(p)) {
        t.equal(ign.get(p), onFlatcar(cim.get(p)), `${p} differs only in the script directory`);
      } else {
        t.equal(ign.get(p), cim.get(p), `${fc.node.name}: ${p} identical`);
      }
    }
    t.equal(ign.get('/etc/hostname'), `${userData.hostname}\n`, 'same hostname');
    const keys = (name: string) => cfg.passwd.users.find((u) => u.name === name)?.sshAuthorizedKeys;
    for (const u of userData.users) t.same(keys(u.name), u.ssh_authorized_keys, `same keys for ${u.name}`);
    t.same(keys('core'), [...new Set(userData.users.flatMap((u) => u.ssh_authorized_keys))], 'core gets every key');
  }
});

t.test('profile variant: MAC match, gateway, sysext mirror with sha256', async (t) => {
  const file = join(ROOT, 'profiles', 'lab.yaml');
  const text = readFileSync(file, 'utf8')
    .replace('  nameservers: [1.1.1.1, 8.8.8.8]', '  gateway: 192.168.56.1\n  nameservers: [1.1.1.1, 8.8.8.8]')
    .replace('    ip: 192.168.56.103', '    ip: 192.168.56.103\n    mac: "52:54:00:AB:CD:EF"')
    .replace('flatcar:\n  allowUnverifiedSysext: true\n', `flatcar:\n  sysextUrl: https://mirror.example.internal/kubernetes-v1.30.0-x86-64.raw\n  sysextSha256: ${'0f'.repeat(32)}\n`);
  const r = loadProfile(text, file);
  if (!r.ok) {
    t.fail(`variant profile invalid: ${JSON.stringify(r.diagnostics)}`);
    return;
  }
  const plans = buildClusterPlans(r.value, secrets, templates, 'flatcar');
  const json = emitIgnition(plans[2]!, opts(r.value));
  t.ok(ignitionValidate(json).ok);
  const cfg = parse(json);
  t.equal(
    decodeInlineFiles(cfg).get('/etc/systemd/network/00-gen-userdata.network')?.content.toString(),
    '[Match]\nMACAddress=52:54:00:ab:cd:ef\n\n[Network]\nAddress=192.168.56.103/24\nGateway=192.168.56.1\nDNS=1.1.1.1\nDNS=8.8.8.8\n',
  );
  t.same(cfg.storage.files.find((f) => f.path.startsWith('/opt/extensions/'))?.contents, {
    source: 'https://mirror.example.internal/kubernetes-v1.30.0-x86-64.raw',
    verification: { hash: `sha256-${'0f'.repeat(32)}` },
  });
});

// An Ubuntu-flavoured cluster (test/fixtures/profiles/ubuntu.yaml: ens3, one node
// matched by MAC and renamed, Kubernetes 1.31 with kubeadm v1beta4) against its
// golden files, and what Ubuntu cloud images need of the output, checked on paper
// and with cloud-init 25.1's own renderers (no Ubuntu image can be booted here):
// netplan gets our network-config v2 as it is (match, set-name, routes, DNS), the
// bootstrap survives needrestart and refuses nothing Ubuntu, and every node writes
// its kubelet's resolvConf patch before kubeadm runs (systemd-resolved).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { emitNetworkConfig } from '../../src/emit/cloud-init/network-config.js';
import { ROOT, bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';
import { compareGolden } from '../helpers/golden.js';
import { cloudInitReleases, missingCloudInit25 } from '../helpers/cloud-init-schema.js';

const profile = profileAt('test/fixtures/profiles/ubuntu.yaml');
const secrets = fixtureSecrets('lab-ecdsa');
const templates = bundledTemplates();
const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-ubuntu-'));

/** EC2's user-data limit (bytes): raw for a worker. */
const EC2_USER_DATA_LIMIT = 16384;

t.test('the Ubuntu-flavoured cluster matches the golden files byte for byte', async (t) => {
  const files = generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init'] });
  compareGolden(t, join(ROOT, 'test', 'golden', 'ubuntu'), new Map(files.map((f) => [f.path, f.content])));
  for (const f of files.filter((f) => f.role === 'worker' && f.path.endsWith('/user-data'))) {
    t.ok(f.content.length < EC2_USER_DATA_LIMIT, `${f.path}: ${f.content.length} B raw`);
  }
});

t.test('bootstrap: needrestart restarts services itself, Ubuntu passes the OS guard, the kubelet patch precedes kubeadm', async (t) => {
  for (const plan of buildClusterPlans(profile, secrets, templates, 'cloud-init')) {
    const lib = plan.files.find((f) => f.path === '/usr/local/lib/gen-userdata/common.sh')!.content;
    const script = plan.files.find((f) => f.path === plan.bootstrap.scriptPath)!.content;
    t.match(lib, /^\s*NEEDRESTART_MODE=a apt-get /m, `${plan.node.name}: apt_get sets NEEDRESTART_MODE=a`);
    t.match(lib, /^write_kubelet_patch\(\)/m, `${plan.node.name}: the library has write_kubelet_patch`);
    t.match(script, '[ "$OS_FAMILY" != debian ]', `${plan.node.name}: the guard accepts the Debian family (Ubuntu: ID_LIKE=debian)`);
    const kubeadmStep = plan.bootstrap.steps.find((s) => s.name === (plan.node.init ? 'kubeadm-init' : 'kubeadm-join'))!;
    const patchAt = kubeadmStep.body.indexOf('write_kubelet_patch "$KUBEADM_PATCHES"');
    t.ok(patchAt >= 0 && patchAt < kubeadmStep.body.search(/kubeadm (init --skip-token-print|join --config)/), `${plan.node.name}: patch written before kubeadm runs`);
    const config = plan.files.find((f) => f.path === NODE_PATHS.kubeadmConfig)!.content;
    const own = parseAllDocuments(config)
      .map((d) => d.toJS() as Record<string, any>)
      .find((d) => d['kind'] === (plan.node.init ? 'InitConfiguration' : 'JoinConfiguration'))!;
    t.equal(own['apiVersion'], 'kubeadm.k8s.io/v1beta4');
    t.same(own['patches'], { directory: NODE_PATHS.kubeadmPatches }, `${plan.node.name}: kubeadm reads the patch directory`);
    const kubelet = parseAllDocuments(config).map((d) => d.toJS() as Record<string, any>).find((d) => d['kind'] === 'KubeletConfiguration');
    if (kubelet) t.notOk('resolvConf' in kubelet, 'the cluster-wide KubeletConfiguration leaves resolvConf to each node');
  }
});

if (missingCloudInit25()) {
  t.fail(missingCloudInit25()!);
} else {
  const ci25 = cloudInitReleases()[1]!;
  const render = (file: string, kind: 'netplan' | 'networkd', distro: string): string => {
    const out = mkdtempSync(join(dir, `${kind}-`));
    const [cmd, ...pre] = ci25.command;
    const r = spawnSync(cmd, [...pre, 'devel', 'net-convert', '--network-data', file, '--kind', 'yaml', '--output-kind', kind, '--distro', distro, '--directory', out], { encoding: 'utf8', env: ci25.env });
    if (r.status !== 0) throw new Error(`net-convert ${kind}: ${r.stderr}`);
    return spawnSync('sh', ['-c', `cat ${out}/etc/netplan/*.yaml ${out}/etc/systemd/network/*.network 2>/dev/null`], { encoding: 'utf8' }).stdout;
  };

  t.test('netplan (Ubuntu) gets our network-config v2 unchanged; networkd (Debian 13) renders the same', async (t) => {
    for (const plan of buildClusterPlans(profile, secrets, templates, 'cloud-init')) {
      const file = join(dir, `${plan.node.name}.network-config`);
      const ours = emitNetworkConfig(plan);
      writeFileSync(file, ours);
      const netplan = parse(render(file, 'netplan', 'ubuntu')) as { network: unknown };
      t.same(netplan.network, (parse(ours) as { network: unknown }).network, `${plan.node.name}: netplan config is ours, key for key`);
      const networkd = render(file, 'networkd', 'debian');
      const node = profile.nodes.find((n) => n.name === plan.node.name)!;
      t.match(networkd, `Address=${node.ip}/24`);
      t.match(networkd, 'Gateway=10.10.0.1');
      t.match(networkd, 'DNS=10.10.0.1');
      if (node.mac) {
        t.same((parse(ours) as any).network.ethernets.ens3.match, { macaddress: node.mac }, `${node.name}: matched by MAC`);
        t.equal((parse(ours) as any).network.ethernets.ens3['set-name'], 'ens3', `${node.name}: renamed to the profile's interface`);
        t.match(networkd, `MACAddress=${node.mac}`, `${node.name}: networkd matches the MAC`);
      } else {
        t.notOk('match' in (parse(ours) as any).network.ethernets.ens3, `${node.name}: matched by the name ens3`);
        t.match(networkd, /^Name=ens3$/m);
      }
    }
  });

  t.test("lab: a DHCP interface keeps its DHCP route and DNS; no dhcp4-overrides is emitted", async (t) => {
    const lab = profileAt('profiles/lab.yaml');
    const plan = buildClusterPlans(lab, fixtureSecrets('lab'), templates, 'cloud-init')[1]!;
    const file = join(dir, 'lab.network-config');
    writeFileSync(file, emitNetworkConfig(plan));
    t.notMatch(readFileSync(file, 'utf8'), 'dhcp4-overrides');
    const netplan = parse(render(file, 'netplan', 'ubuntu')) as any;
    t.same(netplan.network.ethernets.enp0s3, { dhcp4: true }, 'netplan: enp0s3 plain DHCP (route and DNS from the lease)');
    t.notOk('routes' in netplan.network.ethernets.enp0s8, 'the static interface sets no route (network.gateway unset)');
  });
}

// Scenario 2: a worker's generated seed, booted while the API endpoint accepts
// TCP but the first two `kubeadm join` attempts fail (stand-in,
// join_failures=2). The node must reset between attempts and join on the
// third, and it must carry no CA keys. Its join credentials are checked
// against the control plane's generated user-data with openssl.
import type { Test } from 'tap';
import { spawnSync } from 'node:child_process';
import {
  assertCloudInit,
  assertKubeletResolvConf,
  assertHostPrepared,
  assertMarkers,
  assertProbed,
  assertSteps,
  assertUfwActive,
  COMMON_STEPS,
  docOfKind,
  yamlDocs,
} from '../../helpers/vm-asserts.js';
import { apiEndpoint, copiedInput, kubeadmCalls, type NodeRun, type RawProfile } from '../../helpers/vm-node.js';
import { writeFile } from '../../helpers/cloud-init-files.js';

/**
 * Kernel parameters for this scenario's boot. The control plane's CA certificate
 * (from its user-data) goes in as base64 DER: the stand-in kubeadm's discovery
 * pins it, as real kubeadm pins the CA the cluster-info ConfigMap serves.
 */
export function retryKernelArgs(profile: RawProfile, cpUserData: string): string[] {
  const caPem = writeFile(cpUserData, '/etc/kubernetes/pki/ca.crt');
  if (caPem === undefined) throw new Error('the control plane user-data has no ca.crt');
  const der = caPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  return [`gen_userdata_e2e.fake_api=${apiEndpoint(profile)}`, 'gen_userdata_e2e.join_failures=2', `gen_userdata_e2e.cluster_ca=${der}`];
}

const KUBEADM_CONFIG = '/etc/kubernetes/gen-userdata/kubeadm-config.yaml';

/** kubeadm's discovery hash of a CA certificate, computed by openssl as the kubeadm docs do. */
function caHash(caPem: string): string {
  const r = spawnSync(
    'bash',
    ['-o', 'pipefail', '-c', 'openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -hex'],
    { input: caPem, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return `sha256:${r.stdout.trim().split(/\s+/).pop()}`;
}

/**
 * Asserts everything scenario 2 expects of the worker's boot `run`;
 * cpUserData is the control plane's generated user-data (same secrets).
 */
export async function checkWorkerJoinRetry(t: Test, run: NodeRun, profile: RawProfile, cpUserData: string): Promise<void> {
  const NODE = run.node;
  const endpoint = apiEndpoint(profile);
  if (!assertProbed(t, run)) return;
  const workerUserData = run.file('/var/lib/cloud/instance/user-data.txt') ?? '';
  t.ok(workerUserData.startsWith('#cloud-config'), 'the guest kept the user-data cloud-init read');

  assertMarkers(t, run);
  assertSteps(t, run, [...COMMON_STEPS, 'kubeadm-join']);
  for (const initOnly of ['kubeadm-init', 'kubeconfig', 'cni', 'addons']) {
    t.notOk(run.steps.some((s) => s.name === initOnly), `no ${initOnly} step on a worker`);
  }
  assertHostPrepared(t, run, profile);
  assertCloudInit(t, run, true);
  assertKubeletResolvConf(t, run);

  await t.test('join attempts: two failures, each followed by kubeadm reset -f, then success', async (t) => {
    const joins = kubeadmCalls(run.calls, 'join');
    const resets = kubeadmCalls(run.calls, 'reset');
    const summary = run.calls.filter((c) => c.tool === 'kubeadm').map((c) => `${c.argv.join(' ')} -> ${c.rc}`);
    t.same(
      joins.map((j) => j.rc),
      [1, 1, 0],
      'three joins: failed, failed, succeeded',
      { summary },
    );
    for (const j of joins) {
      const i = j.argv.indexOf('--config');
      t.equal(j.argv[i + 1], KUBEADM_CONFIG, `join ${j.attempt} used --config ${KUBEADM_CONFIG}`);
      // The stand-in fails preflight if the previous attempt's files were left behind.
      t.notMatch(j.stderr ?? '', /preflight/, `join ${j.attempt} did not trip over leftovers of the previous attempt`);
    }
    for (let k = 0; k + 1 < joins.length; k++) {
      const between = resets.filter((r) => r.start >= joins[k]!.end && r.end <= joins[k + 1]!.start);
      t.equal(between.length, 1, `one kubeadm reset between join ${k + 1} and join ${k + 2}`, { summary });
      t.ok(between.every((r) => r.argv.includes('-f') || r.argv.includes('--force')), 'reset ran with -f');
    }
    const caPem = writeFile(cpUserData, '/etc/kubernetes/pki/ca.crt') ?? '';
    const caText = spawnSync('openssl', ['x509', '-noout', '-text'], { input: caPem, encoding: 'utf8' }).stdout;
    t.match(caText, /Public Key Algorithm: id-ecPublicKey/, 'the e2e cluster is an ECDSA cluster (the default)');
    for (const j of joins) {
      t.equal(j.discovery_pin, caHash(caPem), `join ${j.attempt}: discovery pinned the ECDSA CA's public key`);
    }
    const lastJoin = joins[joins.length - 1];
    t.notOk(lastJoin && resets.some((r) => r.start >= lastJoin.end), 'no reset after the successful join');
    const apiLog = run.file('/var/log/gen-userdata-e2e/fake-api.log') ?? '';
    t.match(apiLog, /connection from/, 'the node probed the API endpoint before joining');
  });

  await t.test('join configuration matches the control plane', async (t) => {
    const text = run.file(KUBEADM_CONFIG) ?? '';
    const docs = yamlDocs(text);
    const kinds = docs.map((d) => d.kind);
    t.ok(kinds.includes('JoinConfiguration'), 'has a JoinConfiguration', { kinds });
    t.notOk(kinds.includes('InitConfiguration') || kinds.includes('ClusterConfiguration'), 'no Init/ClusterConfiguration on a worker');
    const jc = docOfKind(docs, 'JoinConfiguration');
    t.equal(jc?.apiVersion, 'kubeadm.k8s.io/v1beta3', 'kubeadm.k8s.io/v1beta3 for 1.30');
    t.equal(jc?.controlPlane, undefined, 'a worker joins without controlPlane');
    const bt = jc?.discovery?.bootstrapToken;
    t.equal(bt?.apiServerEndpoint, endpoint, 'joins the profile endpoint');
    t.equal(jc?.nodeRegistration?.name, NODE, 'node name');
    const ip = profile.nodes.find((n) => n.name === NODE)!.ip;
    t.equal(jc?.nodeRegistration?.kubeletExtraArgs?.['node-ip'], ip, 'kubelet node-ip is the profile IP');

    const caPem = writeFile(cpUserData, '/etc/kubernetes/pki/ca.crt');
    t.ok(caPem, 'the control plane user-data ships ca.crt');
    if (caPem) t.same(bt?.caCertHashes, [caHash(caPem)], "caCertHashes is openssl's hash of the control plane's CA");
    const initDocs = yamlDocs(writeFile(cpUserData, KUBEADM_CONFIG) ?? '');
    const tokens = (docOfKind(initDocs, 'InitConfiguration')?.bootstrapTokens ?? []).map((x: { token: string }) => x.token);
    t.ok(tokens.includes(bt?.token), 'the join token is one the init node creates', { tokens, token: bt?.token });

    const join = kubeadmCalls(run.calls, 'join').at(-1);
    if (join) t.equal(copiedInput(run, join, '--config'), text, 'kubeadm join read exactly the file on disk');
  });

  await t.test('no CA keys on a worker', async (t) => {
    t.notMatch(workerUserData, /PRIVATE KEY/, 'the worker user-data carries no private key');
    const pki = [...run.stat.keys()].filter((p) => p.startsWith('/etc/kubernetes/pki/'));
    for (const f of ['ca.key', 'front-proxy-ca.key', 'front-proxy-ca.crt', 'sa.key', 'sa.pub', 'etcd/ca.key', 'etcd/ca.crt']) {
      t.notOk(pki.includes(`/etc/kubernetes/pki/${f}`), `/etc/kubernetes/pki/${f} is absent`, { pki });
    }
    t.notOk(pki.some((p) => p.endsWith('.key')), 'no key file at all under /etc/kubernetes/pki', { pki });
    t.notOk(run.calls.some((c) => c.tool === 'kubectl' && c.argv.includes('apply')), 'a worker applies no manifests');
  });

  await t.test('firewall opens the worker ports only', async (t) => {
    const allowed = assertUfwActive(t, run);
    for (const port of ['10250/tcp', '10256/tcp', '30000:32767/tcp', '22/tcp']) {
      t.equal(allowed.get(port), 'Anywhere', `ufw allows ${port} from anywhere`);
    }
    t.notOk(allowed.has('6443/tcp'), 'the API server port stays closed on a worker');
    t.notOk(allowed.has('2379:2380/tcp'), 'no etcd ports on a worker');
  });
}

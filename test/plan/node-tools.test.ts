// The node tools: which node gets which, and each one run for real against stand-in
// kubectl, kubeadm, crictl, journalctl, ip and systemctl (test/plan/standins/) inside
// a user, mount and UTS namespace whose /etc, /root, /usr/local and /var/* are empty
// tmpfs mounts, so the tools' absolute paths are safe to touch.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import type { NodePlan } from '../../src/plan/types.js';
import type { Profile } from '../../src/profile/types.js';
import { ROOT, bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const ha = profileAt('profiles/ha.yaml');
const plans = buildClusterPlans(ha, fixtureSecrets('ha'), bundledTemplates(), 'cloud-init');
const plan = (name: string): NodePlan => plans.find((p) => p.node.name === name)!;
const tools = (p: NodePlan): string[] => p.files.map((f) => f.path).filter((f) => /\/(k8s-[a-z-]+|gen-userdata-(etcd-backup|cert-renew))$/.test(f));

t.test('workers get k8s-diag and k8s-reset; control planes also k8s-join-command and the two timers, enabled after the join', async (t) => {
  t.same(tools(plan('worker-1')), ['/usr/local/sbin/k8s-diag', '/usr/local/sbin/k8s-reset']);
  t.same(plan('worker-1').units, []);
  for (const cp of ['cp-1', 'cp-2']) {
    t.same(tools(plan(cp)), [
      '/usr/local/sbin/gen-userdata-cert-renew',
      '/usr/local/sbin/gen-userdata-etcd-backup',
      '/usr/local/sbin/k8s-diag',
      '/usr/local/sbin/k8s-join-command',
      '/usr/local/sbin/k8s-reset',
    ]);
    const steps = plan(cp).bootstrap.steps.map((s) => s.name);
    const enable = plan(cp).bootstrap.steps.find((s) => s.name === 'enable-units');
    t.ok(steps.indexOf('enable-units') > steps.findIndex((s) => s === 'kubeadm-init' || s === 'kubeadm-join'), `${cp}: the timers are enabled once the node is in the cluster`);
    t.match(enable?.body, /gen-userdata-etcd-backup\.timer gen-userdata-cert-renew\.timer/);
  }
  t.match(plan('cp-1').units.find((u) => u.name === 'gen-userdata-etcd-backup.timer')?.content, /OnCalendar=daily/);
  // Off in the profile: no job, no timer.
  const off: Profile = { ...ha, backup: { etcd: { ...ha.backup.etcd, enabled: false } }, certificates: { ...ha.certificates, autoRenew: false } };
  const cp2 = buildClusterPlans(off, fixtureSecrets('ha'), bundledTemplates(), 'cloud-init')[1]!;
  t.same(tools(cp2), ['/usr/local/sbin/k8s-diag', '/usr/local/sbin/k8s-join-command', '/usr/local/sbin/k8s-reset']);
  t.notOk(cp2.bootstrap.steps.some((s) => s.name === 'enable-units'));
});

const probe = spawnSync('unshare', ['-rmu', 'sh', '-c', 'mount -t tmpfs none /usr/local'], { encoding: 'utf8' });
const COMMANDS = ['kubectl', 'kubeadm', 'crictl', 'journalctl', 'ip', 'ufw', 'nft', 'sysctl', 'systemctl'];

/** Runs `script` as root of a fresh namespace holding `p`'s library and tools; returns its output and the stand-in state dir. */
function onNode(p: NodePlan, setup: string, script: string, files: Record<string, string> = {}): { status: number | null; out: string; state: string } {
  const state = mkdtempSync(join(tmpdir(), 'gen-userdata-tools-state-'));
  const stage = mkdtempSync(join(tmpdir(), 'gen-userdata-tools-files-'));
  const copies: string[] = [];
  for (const [i, f] of [...p.files.filter((f) => f.path.startsWith('/usr/local/')), ...Object.entries(files).map(([path, content]) => ({ path, content, mode: 0o644 }))].entries()) {
    writeFileSync(join(stage, String(i)), f.content);
    copies.push(`mkdir -p "$(dirname ${f.path})" && cp ${join(stage, String(i))} ${f.path} && chmod ${f.mode.toString(8)} ${f.path}`);
  }
  const alt = mkdtempSync(join(tmpdir(), 'gen-userdata-alt-'));
  const body = [
    'set -euo pipefail',
    `mount --bind /etc/alternatives ${alt}`,
    'for d in /etc /root /usr/local /var/lib /var/log /var/tmp /var/backups; do mount -t tmpfs none "$d"; done',
    `mkdir /etc/alternatives && mount --bind ${alt} /etc/alternatives`,
    `hostname ${p.node.name}`,
    'mkdir -p /usr/local/bin /var/lib/etcd /var/lib/gen-userdata /var/log/gen-userdata /etc/kubernetes/pki/etcd /etc/kubernetes/manifests',
    ...COMMANDS.map((c) => `ln -s ${join(ROOT, 'test', 'plan', 'standins', 'node-standin.sh')} /usr/local/bin/${c}`),
    ...copies,
    `export PATH=/usr/local/sbin:/usr/local/bin:$PATH STANDIN_STATE=${state}`,
    'echo 364d >"$STANDIN_STATE/residual"',
    setup,
    script,
  ].join('\n');
  const r = spawnSync('unshare', ['-rmu', 'bash', '-c', body], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, state };
}

if (probe.status !== 0) {
  t.test('node tools in a namespace', { skip: `needs unprivileged user namespaces (unshare -rmu): ${probe.stderr.trim()}` }, async () => {});
} else {
  const TOKEN = 'abcdef.0123456789abcdef';
  const leaks = (dir: string): string => spawnSync('grep', ['-rlE', `PRIVATE KEY|${TOKEN.replace('.', '\\.')}`, dir], { encoding: 'utf8' }).stdout;

  t.test('k8s-diag: a 0600 tarball with the expected members and no secret', async (t) => {
    const logWithSecrets = `kubeadm join 10.0.0.1:6443 --token ${TOKEN} --certificate-key ${'ab'.repeat(32)}\nclient-key-data: c2VjcmV0\n`;
    const r = onNode(plan('cp-1'), 'echo done >/var/lib/gen-userdata/bootstrap.done', [
      'out=$(k8s-diag --output /var/tmp/diag.tgz)',
      'stat -c "mode %a" /var/tmp/diag.tgz',
      'mkdir /var/tmp/x && tar -C /var/tmp/x -xzf /var/tmp/diag.tgz',
      'cd /var/tmp/x/* && find . -type f | sort',
      `cp -r /var/tmp/x ${'$STANDIN_STATE'}/unpacked`,
    ].join('\n'), { '/var/log/gen-userdata/bootstrap.log': logWithSecrets, '/var/lib/gen-userdata/cluster-status.json': '{"ok":true}\n', '/etc/sysctl.d/99-gen-userdata-kubernetes.conf': 'net.ipv4.ip_forward = 1\n', '/etc/modules-load.d/gen-userdata-kubernetes.conf': 'overlay\n' });
    t.equal(r.status, 0, r.out);
    t.match(r.out, /mode 600/);
    for (const member of [
      './bootstrap/bootstrap.log', './bootstrap/bootstrap.done', './bootstrap/cluster-status.json',
      './kubectl/nodes.txt', './kubectl/pods.txt', './kubectl/events.txt', './kubectl/describe-node.txt',
      './logs/journal-kubelet-containerd.txt', './containers/crictl-ps.txt', './containers/crictl-images.txt', './containers/logs/0123456789abc.txt',
      './network/ip-addr.txt', './network/ip-route.txt', './network/ufw-status.txt', './network/nft-ruleset.txt',
      './host/sysctl.txt', './host/modules.txt', './host/disk.txt', './host/memory.txt', './host/certs-check-expiration.txt',
    ]) t.match(r.out, new RegExp(`^${member.replace(/\./g, '\\.')}$`, 'm'), `member ${member}`);
    const unpacked = join(r.state, 'unpacked');
    t.equal(leaks(unpacked), '', 'no private key and no token anywhere in the tarball');
    const files = spawnSync('sh', ['-c', `cat ${unpacked}/*/bootstrap/bootstrap.log ${unpacked}/*/kubectl/describe-node.txt ${unpacked}/*/containers/logs/*`], { encoding: 'utf8' }).stdout;
    t.match(files, /--token <token removed>/);
    t.match(files, /--certificate-key <removed>/);
    t.match(files, /client-key-data: <removed>/);
    t.match(files, /<private key removed>/);
    t.match(files, /panic: bad config/, 'the rest of a log stays');
    t.match(readFileSync(join(r.state, 'calls'), 'utf8'), /kubeadm certs check-expiration/);
  });

  t.test('k8s-diag with the API server down: collects the rest and says what it could not', async (t) => {
    const r = onNode(plan('worker-1'), 'touch "$STANDIN_STATE/api-down"', 'k8s-diag --output /var/tmp/d.tgz >/dev/null && tar -xzOf /var/tmp/d.tgz --wildcards "*/NOTES" && tar -tzf /var/tmp/d.tgz');
    t.equal(r.status, 0, r.out);
    t.match(r.out, /kubectl: the API server did not answer/);
    t.match(r.out, /no report at \/var\/lib\/gen-userdata\/cluster-status\.json/);
    t.match(r.out, /logs\/journal-kubelet-containerd\.txt/);
    t.notMatch(r.out, /kubectl\/nodes\.txt/);
    t.notMatch(r.out, /certs-check-expiration/, 'a worker has no kubeadm certificates to check');
  });

  t.test('k8s-reset: asks unless --yes; keeps the shared CAs, clears CNI state, root kubeconfig and markers, never flushes iptables', async (t) => {
    const setup = [
      'for f in ca.crt ca.key sa.key sa.pub front-proxy-ca.crt front-proxy-ca.key etcd/ca.crt etcd/ca.key apiserver.crt; do echo x >/etc/kubernetes/pki/$f; done',
      'mkdir -p /etc/cni/net.d /var/lib/cni/networks /root/.kube && echo c >/etc/cni/net.d/10-calico.conflist && echo k >/root/.kube/config',
      'echo done >/var/lib/gen-userdata/bootstrap.done',
      // The node's links, as k8s-reset looks them up; no flannel.1 and no vxlan.calico.
      'mount -t tmpfs none /sys/class/net && touch /sys/class/net/lo /sys/class/net/cali12ab /sys/class/net/cni0 /sys/class/net/tunl0',
    ].join('\n');
    const refused = onNode(plan('cp-2'), setup, 'k8s-reset </dev/null');
    t.equal(refused.status, 1);
    t.match(refused.out, /pass --yes/);
    const r = onNode(plan('cp-2'), setup, 'k8s-reset --yes && find /etc/kubernetes /etc/cni /var/lib/cni /root/.kube /var/lib/gen-userdata -type f 2>/dev/null | sort || true');
    t.equal(r.status, 0, r.out);
    const left = r.out.split('\n').filter((l) => l.startsWith('/'));
    t.same(left, [
      '/etc/kubernetes/pki/ca.crt', '/etc/kubernetes/pki/ca.key', '/etc/kubernetes/pki/etcd/ca.crt', '/etc/kubernetes/pki/etcd/ca.key',
      '/etc/kubernetes/pki/front-proxy-ca.crt', '/etc/kubernetes/pki/front-proxy-ca.key', '/etc/kubernetes/pki/sa.key', '/etc/kubernetes/pki/sa.pub',
    ]);
    const calls = readFileSync(join(r.state, 'calls'), 'utf8');
    t.match(calls, /kubeadm reset -f\n[\s\S]*systemctl restart containerd/);
    t.match(calls, /ip link delete cni0\n/);
    t.match(calls, /ip link delete cali12ab\n/);
    t.match(r.out, /could not delete interface tunl0/);
    t.notMatch(calls, /ip link delete (flannel\.1|vxlan\.calico)/, 'links the node does not have are left alone');
    t.notMatch(calls, /iptables|ufw/, 'the host firewall is left alone');
    t.match(r.out, /join again with \/usr\/local\/sbin\/gen-userdata-bootstrap/);
  });

  t.test('k8s-join-command prints a fresh join command; --control-plane the control-plane form', async (t) => {
    const kubeadm = '#!/bin/bash\necho "$*" >>"$STANDIN_STATE/calls"\necho "kubeadm join 10.0.0.1:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:00"\n';
    const r = onNode(plan('cp-1'), `echo admin >/etc/kubernetes/admin.conf; rm /usr/local/bin/kubeadm; printf '%s' '${kubeadm}' >/usr/local/bin/kubeadm; chmod +x /usr/local/bin/kubeadm`, 'k8s-join-command; k8s-join-command --control-plane --ttl 30m');
    t.equal(r.status, 0, r.out);
    t.match(r.out, /^kubeadm join 10\.0\.0\.1:6443 --token \S+ --discovery-token-ca-cert-hash sha256:00\n/m);
    t.match(r.out, /sha256:00 --control-plane\n/);
    t.match(r.out, /no --certificate-key/);
    t.match(readFileSync(join(r.state, 'calls'), 'utf8'), /token create --kubeconfig \/etc\/kubernetes\/admin\.conf --print-join-command --ttl 30m/);
  });

  t.test('etcd backup: snapshot through the etcd container, verified, 0600, rotated to keep 7', async (t) => {
    const setup = [
      'echo 4242 >"$STANDIN_STATE/etcd-id"; echo done >/var/lib/gen-userdata/bootstrap.done',
      'mkdir -p /var/backups/etcd; for i in 01 02 03 04 05 06 07 08; do echo old >/var/backups/etcd/etcd-cp-1-202601${i}T000000Z.db; done',
    ].join('\n');
    const r = onNode(plan('cp-1'), setup, 'gen-userdata-etcd-backup && ls -l /var/backups/etcd | tail -n +2 && stat -c "dir %a" /var/backups/etcd');
    t.equal(r.status, 0, r.out);
    const calls = readFileSync(join(r.state, 'calls'), 'utf8');
    t.match(calls, /crictl exec 4242 etcdctl --endpoints=https:\/\/127\.0\.0\.1:2379 --cacert=\/etc\/kubernetes\/pki\/etcd\/ca\.crt --cert=\/etc\/kubernetes\/pki\/etcd\/healthcheck-client\.crt --key=\/etc\/kubernetes\/pki\/etcd\/healthcheck-client\.key snapshot save \/var\/lib\/etcd\/gen-userdata-snapshot\.db/);
    t.match(calls, /crictl exec 4242 etcdutl snapshot status \/var\/lib\/etcd\/gen-userdata-snapshot\.db -w table/);
    const listing = r.out.split('\n').filter((l) => l.startsWith('-') && l.includes('etcd-cp-1-'));
    t.equal(listing.length, 7, listing.join('\n'));
    const fresh = listing.filter((l) => !/ etcd-cp-1-202601/.test(l));
    t.equal(fresh.length, 1, 'one new snapshot');
    t.match(fresh[0], /^-rw------- /, 'the snapshot is 0600');
    t.notOk(listing.some((l) => /20260101T|20260102T/.test(l)), 'the two oldest are gone');
    t.match(r.out, /dir 700/);
    // No etcd before the bootstrap finished: nothing to do. After it: a failure.
    t.equal(onNode(plan('cp-1'), '', 'gen-userdata-etcd-backup').status, 0);
    t.equal(onNode(plan('cp-1'), 'echo done >/var/lib/gen-userdata/bootstrap.done', 'gen-userdata-etcd-backup').status, 1);
  });

  t.test('certificate renewal: nothing above renewBefore; below it renew all and restart the static pods', async (t) => {
    const setup = 'echo admin >/etc/kubernetes/admin.conf; for m in etcd kube-apiserver; do echo m >/etc/kubernetes/manifests/$m.yaml; done';
    const fine = onNode(plan('cp-1'), setup, 'gen-userdata-cert-renew && gen-userdata-cert-renew --check');
    t.equal(fine.status, 0, fine.out);
    t.match(fine.out, /certificates fine: etcd-server expires first, in 300d/);
    t.match(fine.out, /earliest expiry: etcd-server in 300d/);
    t.notMatch(readFileSync(join(fine.state, 'calls'), 'utf8'), /renew all/);
    // The earliest expiry goes to the API for `gen-userdata status`: created once, this node's key.
    const inDays = (d: number): string => new Date(Date.now() + d * 86400_000).toISOString().slice(0, 10);
    const published = readFileSync(join(fine.state, 'certs-cm'), 'utf8');
    t.match(published, new RegExp(`^\\{"data":\\{"cp-1":"(${inDays(300)}|${inDays(301)})T\\d\\d:\\d\\d:\\d\\dZ etcd-server"\\}\\}$`, 'm'));
    t.match(readFileSync(join(fine.state, 'calls'), 'utf8'), /kubectl --kubeconfig \/etc\/kubernetes\/admin\.conf --request-timeout=15s -n kube-system create configmap gen-userdata-certs\n/);
    t.match(fine.out, /recorded in ConfigMap kube-system\/gen-userdata-certs: etcd-server expires first/);
    const due = onNode(plan('cp-1'), `${setup}; echo 20d >"$STANDIN_STATE/residual"`, 'WAIT_INTERVAL=1 gen-userdata-cert-renew && ls /etc/kubernetes/manifests && ls /etc/kubernetes');
    t.equal(due.status, 0, due.out);
    t.match(due.out, /admin\.conf expires in 20d: renewing all certificates/);
    t.match(due.out, /renewed; etcd-server now expires first, in 300d/);
    t.match(due.out, /etcd\.yaml\nkube-apiserver\.yaml/, 'the manifests are back');
    t.notMatch(due.out, /manifests-parked/, 'the parking directory is gone');
    const calls = readFileSync(join(due.state, 'calls'), 'utf8');
    t.match(calls, /kubeadm certs renew all\n[\s\S]*crictl ps --name[\s\S]*kubectl --kubeconfig \/etc\/kubernetes\/admin\.conf get --raw=\/readyz/);
    t.match(calls, /get --raw=\/readyz\n[\s\S]*patch configmap gen-userdata-certs/, 'the renewed expiry is recorded after the restart');
    // The API down: the renewal still succeeds, the record is only logged as missing.
    const down = onNode(plan('cp-1'), `${setup}; touch "$STANDIN_STATE/api-down"`, 'gen-userdata-cert-renew');
    t.equal(down.status, 0, down.out);
    t.match(down.out, /could not record the expiry/);
  });
}

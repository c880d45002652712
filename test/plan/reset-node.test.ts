// reset_node from the node's shell library (which the bootstrap sources), run against a stand-in `kubeadm reset`
// inside a user + mount namespace whose /etc and /var/lib are empty tmpfs mounts
// (so the script's absolute paths are safe to touch). It must keep the shared CA
// pairs and kube-vip's static pod, and nothing else kubeadm reset removes.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { shellLibraryPath } from '../../src/plan/paths.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const namespaces = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs none /var/lib'], { encoding: 'utf8' });
if (namespaces.status !== 0) {
  t.test('reset_node in a namespace', { skip: `needs unprivileged user namespaces (unshare -rm): ${namespaces.stderr.trim()}` }, async () => {});
} else {
  const plans = buildClusterPlans(profileAt('profiles/ha.yaml'), fixtureSecrets('ha'), bundledTemplates(), 'cloud-init');
  const library = plans[0]!.files.find((f) => f.path === shellLibraryPath('cloud-init'))!.content;
  const resetNode = /\nreset_node\(\) \{\n[\s\S]*?\n\}\n/.exec(library)?.[0];
  const bin = mkdtempSync(join(tmpdir(), 'gen-userdata-reset-'));
  // What `kubeadm reset -f` does to these paths: empties manifests and pki, removes the kubeconfigs.
  writeFileSync(join(bin, 'kubeadm'), '#!/bin/bash\n[ "$*" = "reset -f" ] || exit 99\nrm -rf /etc/kubernetes/manifests/* /etc/kubernetes/pki/* /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf\n');
  chmodSync(join(bin, 'kubeadm'), 0o755);

  const run = (setup: string): { status: number | null; out: string } => {
    const body = [
      'set -Eeuo pipefail',
      'mount -t tmpfs none /etc && mount -t tmpfs none /var/lib',
      `export PATH=${bin}:$PATH`,
      'log() { printf "%s\\n" "$*"; }',
      'STATE_DIR=/var/lib/gen-userdata',
      resetNode ?? 'false',
      'mkdir -p /etc/kubernetes/manifests /etc/kubernetes/pki/etcd /var/lib/gen-userdata',
      setup,
      'reset_node',
      'cd /etc/kubernetes && find . -type f | sort',
    ].join('\n');
    const r = spawnSync('unshare', ['-rm', 'bash', '-c', body], { encoding: 'utf8' });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };

  t.test('the init node keeps the CAs, the sa pair and kube-vip.yaml; leaf certificates and other manifests go', async (t) => {
    t.ok(resetNode, 'found reset_node in the bootstrap script');
    const pki = ['ca.crt', 'ca.key', 'front-proxy-ca.crt', 'front-proxy-ca.key', 'sa.pub', 'sa.key', 'etcd/ca.crt', 'etcd/ca.key', 'apiserver.crt', 'etcd/peer.key'];
    const r = run([
      ...pki.map((f) => `echo ${f} >/etc/kubernetes/pki/${f}`),
      'echo vip >/etc/kubernetes/manifests/kube-vip.yaml',
      'echo api >/etc/kubernetes/manifests/kube-apiserver.yaml',
      'echo conf >/etc/kubernetes/admin.conf',
    ].join('\n'));
    t.equal(r.status, 0, r.out);
    t.same(r.out.trim().split('\n'), [
      './manifests/kube-vip.yaml',
      './pki/ca.crt', './pki/ca.key', './pki/etcd/ca.crt', './pki/etcd/ca.key',
      './pki/front-proxy-ca.crt', './pki/front-proxy-ca.key', './pki/sa.key', './pki/sa.pub',
    ]);
  });

  t.test('a joining control plane (no kube-vip yet) keeps an empty manifests directory for the next kubeadm join', async (t) => {
    const r = run('echo key >/etc/kubernetes/pki/ca.key\necho crt >/etc/kubernetes/pki/ca.crt\necho x >/etc/kubernetes/manifests/etcd.yaml');
    t.equal(r.status, 0, r.out);
    t.same(r.out.trim().split('\n'), ['./pki/ca.crt', './pki/ca.key']);
  });

  t.test('a worker (no CA key) keeps nothing', async (t) => {
    const r = run('echo crt >/etc/kubernetes/pki/ca.crt');
    t.equal(r.status, 0, r.out);
    t.equal(r.out.trim(), '');
  });
}

// The kube-vip static pod manifest: parsed back and checked field by field.
import t from 'tap';
import { parse } from 'yaml';
import {
  ADMIN_CONF,
  KUBE_VIP_IMAGE,
  SUPER_ADMIN_CONF,
  initialKubeVipKubeconfig,
  kubeadmHasSuperAdminConf,
  kubeVipImage,
  kubeVipManifest,
} from '../../src/kube/kube-vip.js';

const vip = { address: '192.168.56.10', interface: 'enp0s8', kubeVipVersion: 'v0.8.0' };

interface Pod {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string };
  spec: {
    hostNetwork: boolean;
    hostAliases: { ip: string; hostnames: string[] }[];
    containers: {
      name: string;
      image: string;
      imagePullPolicy: string;
      args: string[];
      env: { name: string; value?: string; valueFrom?: unknown }[];
      securityContext: { capabilities: { add: string[] } };
      volumeMounts: { name: string; mountPath: string; readOnly: boolean }[];
    }[];
    volumes: { name: string; hostPath: { path: string; type: string } }[];
  };
}

function envOf(pod: Pod): Record<string, string | undefined> {
  return Object.fromEntries(pod.spec.containers[0]!.env.map((e) => [e.name, e.value]));
}

t.test('ARP, control plane only, leader election, pinned image, VIP and interface', async (t) => {
  const pod = parse(kubeVipManifest({ vip, port: 6443, kubeconfig: ADMIN_CONF })) as Pod;
  t.equal(pod.apiVersion, 'v1');
  t.equal(pod.kind, 'Pod');
  t.same(pod.metadata, { name: 'kube-vip', namespace: 'kube-system' });
  t.equal(pod.spec.hostNetwork, true);
  t.equal(pod.spec.containers.length, 1);
  const c = pod.spec.containers[0]!;
  t.equal(c.image, 'ghcr.io/kube-vip/kube-vip:v0.8.0');
  t.equal(c.imagePullPolicy, 'IfNotPresent');
  t.same(c.args, ['manager']);
  t.same(c.securityContext.capabilities.add, ['NET_ADMIN', 'NET_RAW']);
  const env = envOf(pod);
  t.equal(env['vip_arp'], 'true');
  t.equal(env['address'], '192.168.56.10');
  t.equal(env['vip_interface'], 'enp0s8');
  t.equal(env['port'], '6443');
  t.equal(env['cp_enable'], 'true');
  t.equal(env['cp_namespace'], 'kube-system');
  t.equal(env['svc_enable'], 'false', 'Service load balancing stays off');
  t.equal(env['vip_leaderelection'], 'true');
  t.equal(env['vip_leasename'], 'plndr-cp-lock');
  t.notOk('bgp_enable' in env, 'no BGP');
  const nodeName = c.env.find((e) => e.name === 'vip_nodename');
  t.same(nodeName?.valueFrom, { fieldRef: { fieldPath: 'spec.nodeName' } });
  // Every env value is a string: Kubernetes rejects a bare true or 6443 there.
  for (const e of c.env) if (e.valueFrom === undefined) t.type(e.value, 'string', `${e.name} is a string`);
  t.same(pod.spec.hostAliases, [{ ip: '127.0.0.1', hostnames: ['kubernetes'] }]);
});

t.test('the kubeconfig mount: in-container path fixed, host path chosen', async (t) => {
  for (const kubeconfig of [ADMIN_CONF, SUPER_ADMIN_CONF] as const) {
    const pod = parse(kubeVipManifest({ vip, port: 6443, kubeconfig })) as Pod;
    const mount = pod.spec.containers[0]!.volumeMounts;
    t.same(mount, [{ name: 'kubeconfig', mountPath: '/etc/kubernetes/admin.conf', readOnly: true }]);
    t.same(pod.spec.volumes, [{ name: 'kubeconfig', hostPath: { path: kubeconfig, type: 'File' } }]);
  }
});

t.test('the port follows the endpoint', async (t) => {
  const pod = parse(kubeVipManifest({ vip, port: 8443, kubeconfig: ADMIN_CONF })) as Pod;
  t.equal(envOf(pod)['port'], '8443');
});

t.test('an air-gap mirror replaces ghcr.io', async (t) => {
  t.equal(kubeVipImage('v0.8.0'), `${KUBE_VIP_IMAGE}:v0.8.0`);
  t.equal(kubeVipImage('v0.8.0', 'mirror.example:5000/k8s/'), 'mirror.example:5000/k8s/kube-vip/kube-vip:v0.8.0');
  const pod = parse(kubeVipManifest({ vip, port: 6443, kubeconfig: ADMIN_CONF, imageRepository: 'mirror.example' })) as Pod;
  t.equal(pod.spec.containers[0]!.image, 'mirror.example/kube-vip/kube-vip:v0.8.0');
});

t.test('super-admin.conf only on the init node and only from 1.29', async (t) => {
  t.equal(kubeadmHasSuperAdminConf('1.27.4'), false);
  t.equal(kubeadmHasSuperAdminConf('1.28.9'), false);
  t.equal(kubeadmHasSuperAdminConf('1.29.0'), true);
  t.equal(kubeadmHasSuperAdminConf('1.34.1'), true);
  t.equal(initialKubeVipKubeconfig('1.28.9', true), ADMIN_CONF);
  t.equal(initialKubeVipKubeconfig('1.29.0', true), SUPER_ADMIN_CONF);
  t.equal(initialKubeVipKubeconfig('1.31.2', false), ADMIN_CONF);
  t.throws(() => kubeadmHasSuperAdminConf('1.20.0'), /unsupported/);
});

t.test('byte-stable', async (t) => {
  const a = kubeVipManifest({ vip, port: 6443, kubeconfig: SUPER_ADMIN_CONF });
  t.equal(kubeVipManifest({ vip, port: 6443, kubeconfig: SUPER_ADMIN_CONF }), a);
  t.match(a, /^apiVersion: v1\n/);
  t.match(a, /value: "true"/, 'booleans quoted for YAML 1.1 readers');
});

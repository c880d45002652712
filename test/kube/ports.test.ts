import t from 'tap';
import { requiredIpProtocols, requiredPorts, type PortQuery } from '../../src/kube/ports.js';

const list = (q: PortQuery): string[] => requiredPorts(q).map((r) => `${r.port}/${r.proto}`);

t.test('control plane without a CNI', async (t) => {
  t.same(list({ role: 'control-plane', cni: 'none', kubeProxyMode: 'iptables' }), [
    '2379-2380/tcp',
    '6443/tcp',
    '10250/tcp',
    '10256/tcp',
  ]);
});

t.test('controller manager and scheduler ports: closed (they listen on 127.0.0.1) unless bound to 0.0.0.0, then from the node network', async (t) => {
  const base = { role: 'control-plane', cni: 'none', kubeProxyMode: 'iptables' } as const;
  const rules = (exposed: PortQuery['exposed']) => requiredPorts({ ...base, ...(exposed ? { exposed } : {}) }).filter((r) => r.port === '10257' || r.port === '10259');
  t.same(rules(undefined), []);
  t.same(rules({ controllerManager: false, scheduler: false }), []);
  t.same(rules({ controllerManager: true, scheduler: false }).map((r) => [r.port, r.from]), [['10257', 'node-network']]);
  t.same(rules({ controllerManager: true, scheduler: true }).map((r) => [r.port, r.from]), [['10257', 'node-network'], ['10259', 'node-network']]);
  t.same(requiredPorts({ role: 'worker', cni: 'none', kubeProxyMode: 'iptables', exposed: { controllerManager: true, scheduler: true } }).map((r) => r.port), ['10250', '10256', '30000-32767'], 'workers run neither');
});

t.test('worker without a CNI', async (t) => {
  t.same(list({ role: 'worker', cni: 'none', kubeProxyMode: 'iptables' }), ['10250/tcp', '10256/tcp', '30000-32767/tcp']);
});

t.test('CNI ports are added on every role', async (t) => {
  t.same(list({ role: 'worker', cni: 'calico', kubeProxyMode: 'ipvs' }), [
    '179/tcp',
    '4789/udp',
    '5473/tcp',
    '10250/tcp',
    '10256/tcp',
    '30000-32767/tcp',
  ]);
  t.same(list({ role: 'control-plane', cni: 'flannel', kubeProxyMode: 'ipvs' }), [
    '2379-2380/tcp',
    '6443/tcp',
    '8472/udp',
    '10250/tcp',
    '10256/tcp',
  ]);
  t.same(
    requiredPorts({ role: 'worker', cni: { plugin: 'flannel', version: 'v0.25.1' }, kubeProxyMode: 'ipvs' }),
    requiredPorts({ role: 'worker', cni: 'flannel', kubeProxyMode: 'ipvs' }),
    'CniSettings and plugin name give the same list',
  );
});

t.test('every rule says why, and the list is deterministic', async (t) => {
  for (const role of ['control-plane', 'worker'] as const) {
    for (const cni of ['calico', 'flannel', 'none'] as const) {
      const q: PortQuery = { role, cni, kubeProxyMode: 'ipvs' };
      const rules = requiredPorts(q);
      t.same(requiredPorts(q), rules, `${role}/${cni} stable`);
      const keys = rules.map((r) => `${r.port}/${r.proto}`);
      t.equal(new Set(keys).size, keys.length, 'no duplicates');
      for (const r of rules) {
        t.ok(r.why.length > 0, `${r.port} has a reason`);
        t.match(r.port, /^\d+(-\d+)?$/);
      }
      const firsts = rules.map((r) => Number(r.port.split('-')[0]));
      t.same(firsts, [...firsts].sort((a, b) => a - b), 'sorted by port');
    }
  }
  // Mutating a result must not leak into the next call.
  requiredPorts({ role: 'worker', cni: 'none', kubeProxyMode: 'ipvs' })[0]!.port = '1';
  t.equal(requiredPorts({ role: 'worker', cni: 'none', kubeProxyMode: 'ipvs' })[0]!.port, '10250');
});

t.test('proxy mode, first control plane and VIP do not change the ports', async (t) => {
  const base = requiredPorts({ role: 'control-plane', cni: 'calico', kubeProxyMode: 'iptables' });
  t.same(requiredPorts({ role: 'control-plane', cni: 'calico', kubeProxyMode: 'ipvs' }), base);
  t.same(requiredPorts({ role: 'control-plane', cni: 'calico', kubeProxyMode: 'iptables', firstControlPlane: true }), base);
  t.same(
    requiredPorts({
      role: 'control-plane',
      cni: 'calico',
      kubeProxyMode: 'iptables',
      vip: { address: '192.168.56.10', interface: 'enp0s8', kubeVipVersion: 'v0.8.0' },
    }),
    base,
  );
});

t.test('Calico IP-in-IP needs IP protocol 4', async (t) => {
  t.same(
    requiredIpProtocols('calico').map((p) => [p.protocol, p.name]),
    [[4, 'ipencap']],
  );
  t.same(requiredIpProtocols({ plugin: 'flannel', version: 'v0.25.1' }), []);
  t.same(requiredIpProtocols('none'), []);
});

t.test('ingress-nginx with hostPort opens 80 and 443 on workers only; nodePort needs nothing new', async (t) => {
  t.same(list({ role: 'worker', cni: 'none', kubeProxyMode: 'iptables', ingress: 'hostPort' }), ['80/tcp', '443/tcp', '10250/tcp', '10256/tcp', '30000-32767/tcp']);
  t.same(list({ role: 'worker', cni: 'none', kubeProxyMode: 'iptables', ingress: 'nodePort' }), ['10250/tcp', '10256/tcp', '30000-32767/tcp']);
  t.notOk(list({ role: 'control-plane', cni: 'none', kubeProxyMode: 'iptables', ingress: 'hostPort' }).includes('80/tcp'), 'no controller on control planes');
});

t.test('the smoke-test NodePort is opened on control planes; workers have the whole range', async (t) => {
  t.same(list({ role: 'control-plane', cni: 'none', kubeProxyMode: 'iptables', smokeNodePort: 31080 }), [
    '2379-2380/tcp', '6443/tcp', '10250/tcp', '10256/tcp', '31080/tcp',
  ]);
  t.same(list({ role: 'worker', cni: 'none', kubeProxyMode: 'iptables', smokeNodePort: 31080 }), ['10250/tcp', '10256/tcp', '30000-32767/tcp']);
});

import t from 'tap';
import { isEndpoint, isImageReference, isInterfaceName, isMac, isPosixUserName, isRfc1123Hostname } from '../../src/profile/formats.js';

t.test('RFC 1123 hostnames', async (t) => {
  for (const ok of ['lab', 'worker-1', 'control-plane', 'a', '1node', 'node.k8s.example', 'a'.repeat(63)]) {
    t.ok(isRfc1123Hostname(ok), ok);
  }
  for (const bad of ['Worker', 'worker_1', '-a', 'a-', 'a..b', '.a', 'a.', '', 'a'.repeat(64), `${'a'.repeat(63)}.`.repeat(4) + 'a', 'ünï']) {
    t.notOk(isRfc1123Hostname(bad), bad);
  }
});

t.test('endpoints', async (t) => {
  for (const ok of ['192.168.56.100', '192.168.56.100:6443', 'k8s.example.com', 'lb:443', 'api:65535']) t.ok(isEndpoint(ok), ok);
  for (const bad of ['k8s:0', 'k8s:65536', 'k8s:06443', '300.1.1.1', '1.2.3:6443', 'https://k8s:6443', '[::1]:6443', 'Host:6443', '']) {
    t.notOk(isEndpoint(bad), bad);
  }
});

t.test('MACs, user names, interface names', async (t) => {
  t.ok(isMac('52:54:00:AB:cd:01'));
  t.notOk(isMac('52-54-00-ab-cd-01'));
  t.notOk(isMac('52:54:00:ab:cd'));
  t.ok(isPosixUserName('kube'));
  t.ok(isPosixUserName('_svc-1'));
  t.notOk(isPosixUserName('Kube'));
  t.notOk(isPosixUserName('1kube'));
  t.notOk(isPosixUserName('a'.repeat(33)));
  t.ok(isInterfaceName('enp0s8'));
  t.ok(isInterfaceName('bond0.100'));
  t.notOk(isInterfaceName('a'.repeat(16)));
  t.notOk(isInterfaceName('eth 0'));
  t.notOk(isInterfaceName('eth0:1'));
  t.ok(isInterfaceName('wlp2s0_1-x'));
  // Closed a sed `s` command and ran GNU sed's `e` command when spliced into the cni step.
  for (const bad of ['x|;1eid;#', 'eth0$(id)', 'eth"0', "eth'0", 'eth`id`', 'eth0\n', '.', '..', '']) {
    t.notOk(isInterfaceName(bad), JSON.stringify(bad));
  }
});

t.test('image references (docker/distribution grammar)', async (t) => {
  for (const ok of [
    'registry.k8s.io/pause:3.9',
    'pause',
    'library/pause:latest',
    'registry.example.com:5000/mirror/pause:3.10',
    'localhost/a__b/c-d--e/f.g:T_a.g-1',
    `registry.k8s.io/pause@sha256:${'a'.repeat(64)}`,
    `registry.k8s.io/pause:3.9@sha256:${'0'.repeat(64)}`,
    '10.0.0.1:5000/pause:3.9',
  ]) {
    t.ok(isImageReference(ok), ok);
  }
  for (const bad of [
    'registry.k8s.io/pause:3.9$(touch /tmp/pwned)',
    'registry.k8s.io/pause:3.9`id`',
    'registry.k8s.io/pause:3.9"',
    "registry.k8s.io/pause:3.9'",
    'registry.k8s.io/pause:3.9\nruncmd:',
    'registry.k8s.io/Pause:3.9',
    'registry.k8s.io/pause:',
    'registry.k8s.io/pause:-3',
    `registry.k8s.io/pause:${'a'.repeat(129)}`,
    'registry.k8s.io/pause@sha256:abc',
    'https://registry.k8s.io/pause:3.9',
    'registry.k8s.io//pause',
    '/pause',
    `${'a'.repeat(256)}:1`,
    '',
  ]) {
    t.notOk(isImageReference(bad), JSON.stringify(bad));
  }
});

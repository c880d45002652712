import t from 'tap';
import { cidrContains, cidrsOverlap, formatCidr, formatIpv4, hostBitsSet, parseCidr, parseIpv4 } from '../../src/profile/ipv4.js';

t.test('parseIpv4 / formatIpv4', async (t) => {
  t.equal(parseIpv4('0.0.0.0'), 0);
  t.equal(parseIpv4('255.255.255.255'), 0xffffffff);
  t.equal(parseIpv4('192.168.56.101'), (192 << 24 >>> 0) + (168 << 16) + (56 << 8) + 101);
  for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', ' 1.2.3.4', '1.2.3.4/24', '', 'a.b.c.d', '::1']) {
    t.equal(parseIpv4(bad), undefined, bad);
  }
  t.equal(formatIpv4(parseIpv4('10.96.0.10')!), '10.96.0.10');
  t.equal(formatIpv4(0xffffffff), '255.255.255.255');
});

t.test('parseCidr', async (t) => {
  t.match(parseCidr('192.168.56.0/24'), { prefix: 24, size: 256 });
  t.equal(formatIpv4(parseCidr('192.168.56.0/24')!.broadcast), '192.168.56.255');
  t.equal(parseCidr('0.0.0.0/0')!.size, 2 ** 32);
  t.equal(formatIpv4(parseCidr('0.0.0.0/0')!.broadcast), '255.255.255.255');
  t.equal(parseCidr('10.0.0.1/32')!.size, 1);
  // Host bits are masked off by parseCidr and reported by hostBitsSet.
  t.equal(formatCidr(parseCidr('192.168.56.10/24')!), '192.168.56.0/24');
  t.equal(hostBitsSet('192.168.56.10/24'), true);
  t.equal(hostBitsSet('192.168.56.0/24'), false);
  for (const bad of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0', '10.0.0.0/08', '10.0.0.0/-1', 'fd00::/8']) {
    t.equal(parseCidr(bad), undefined, bad);
  }
});

t.test('containment and overlap', async (t) => {
  const net = parseCidr('192.168.56.0/24')!;
  t.ok(cidrContains(net, parseIpv4('192.168.56.0')!));
  t.ok(cidrContains(net, parseIpv4('192.168.56.255')!));
  t.notOk(cidrContains(net, parseIpv4('192.168.57.0')!));
  t.notOk(cidrContains(net, parseIpv4('192.168.55.255')!));
  t.ok(cidrsOverlap(parseCidr('192.168.0.0/16')!, net), 'supernet');
  t.ok(cidrsOverlap(net, parseCidr('192.168.0.0/16')!), 'symmetric');
  t.ok(cidrsOverlap(parseCidr('10.96.0.0/12')!, parseCidr('10.100.0.0/16')!));
  t.notOk(cidrsOverlap(parseCidr('10.244.0.0/16')!, parseCidr('10.96.0.0/12')!), 'default pod and service ranges');
  t.notOk(cidrsOverlap(parseCidr('10.0.0.0/24')!, parseCidr('10.0.1.0/24')!), 'adjacent');
});

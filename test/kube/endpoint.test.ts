import t from 'tap';
import { parseEndpoint } from '../../src/kube/endpoint.js';

t.test('host and port', async (t) => {
  t.same(parseEndpoint('192.168.56.101:6443'), { host: '192.168.56.101', port: 6443 });
  t.same(parseEndpoint('api.lab.example:8443'), { host: 'api.lab.example', port: 8443 });
  t.same(parseEndpoint('api.lab.example'), { host: 'api.lab.example', port: 6443 }, 'port defaults to 6443');
  t.same(parseEndpoint('[fd00::10]:7443'), { host: 'fd00::10', port: 7443 });
  t.same(parseEndpoint('[fd00::10]'), { host: 'fd00::10', port: 6443 });
  t.same(parseEndpoint('fd00::10'), { host: 'fd00::10', port: 6443 }, 'bare IPv6 has no port');
});

t.test('malformed endpoints throw', async (t) => {
  for (const e of ['', ':6443', 'host:', 'host:0', 'host:65536', 'host:64x3', 'host:+80', '[fd00::1]:']) {
    t.throws(() => parseEndpoint(e), /malformed control-plane endpoint/, JSON.stringify(e));
  }
});

import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { parse } from 'yaml';
import { ADMIN_COMMON_NAME, ADMIN_ORGANIZATION, signClientCertificate } from '../../src/pki/client-certificate.js';
import { buildKubeconfig } from '../../src/pki/kubeconfig.js';
import { parseSecrets } from '../../src/pki/parse-secrets.js';
import type { CertAndKey } from '../../src/pki/types.js';
import { fixtureText } from '../fixtures/secrets/openssl.js';
import { seededRandomBytes } from '../fixtures/secrets/seeded-random.js';

const run = promisify(execFile);
const parsed = parseSecrets(fixtureText('lab-secrets.yaml'), 'lab-secrets.yaml');
if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
const lab = parsed.value;

const b64 = (s: string) => Buffer.from(s).toString('base64');

t.test('structure: kubeadm admin.conf layout, base64 data, current context', async (t) => {
  const text = buildKubeconfig({
    clusterName: 'lab',
    server: 'https://192.168.56.101:6443',
    caCertPem: lab.ca.cert,
    userName: 'kubernetes-admin',
    client: lab.admin,
  });
  t.same(parse(text), {
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': b64(lab.ca.cert), server: 'https://192.168.56.101:6443' }, name: 'lab' }],
    contexts: [{ context: { cluster: 'lab', user: 'kubernetes-admin' }, name: 'kubernetes-admin@lab' }],
    'current-context': 'kubernetes-admin@lab',
    kind: 'Config',
    preferences: {},
    users: [{ name: 'kubernetes-admin', user: { 'client-certificate-data': b64(lab.admin.cert), 'client-key-data': b64(lab.admin.key) } }],
  });
  // Long base64 values must stay on one line (no folding).
  const line = text.split('\n').find((l) => l.includes('client-key-data:'))!;
  t.equal(line.trim(), `client-key-data: ${b64(lab.admin.key)}`);
  t.equal(text, buildKubeconfig({ clusterName: 'lab', server: 'https://192.168.56.101:6443', caCertPem: lab.ca.cert, userName: 'kubernetes-admin', client: lab.admin }), 'stable');
});

t.test('kubectl reads it', async (t) => {
  const text = buildKubeconfig({ clusterName: 'lab', server: 'https://10.0.0.1:6443', caCertPem: lab.ca.cert, userName: 'ops', client: lab.admin });
  const dir = t.testdir({ kubeconfig: text });
  const kc = join(dir, 'kubeconfig');
  const ctx = await run('kubectl', ['config', 'current-context', '--kubeconfig', kc]);
  t.equal(ctx.stdout.trim(), 'ops@lab');
  const view = await run('kubectl', ['config', 'view', '--raw', '--kubeconfig', kc, '-o', 'jsonpath={.users[0].user.client-certificate-data}']);
  t.equal(Buffer.from(view.stdout, 'base64').toString(), lab.admin.cert);
});

/** A serving certificate for 127.0.0.1 signed by `ca`, made with the openssl CLI (test-only; kubeadm makes the real ones). */
function loopbackServingCert(ca: CertAndKey): CertAndKey {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-serving-'));
  writeFileSync(join(dir, 'ca.crt'), ca.cert);
  writeFileSync(join(dir, 'ca.key'), ca.key);
  writeFileSync(join(dir, 'ext'), 'extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n');
  const script = [
    'openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out tls.key',
    'openssl req -new -key tls.key -subj /CN=kube-apiserver -out tls.csr',
    'openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -set_serial 1 -days 1 -sha256 -extfile ext -out tls.crt',
  ].join(' && ');
  const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  const out = { cert: readFileSync(join(dir, 'tls.crt'), 'utf8'), key: readFileSync(join(dir, 'tls.key'), 'utf8') };
  rmSync(dir, { recursive: true, force: true });
  return out;
}

t.test('kubectl authenticates with the client certificate over mutual TLS (loopback)', async (t) => {
  // The TLS handshake checks validity against the real clock, so this client
  // cert is issued "now" rather than taken from the fixture.
  const client = await signClientCertificate({
    ca: lab.ca,
    commonName: ADMIN_COMMON_NAME,
    organizations: [ADMIN_ORGANIZATION],
    validityHours: 1,
    now: new Date(),
    randomBytes: seededRandomBytes('mtls'),
  });
  const serving = loopbackServingCert(lab.ca);
  const rejected: string[] = [];
  // rejectUnauthorized false so the handler can see and record *why* a client
  // certificate was not accepted, instead of a bare connection reset.
  const server = createServer(
    { cert: serving.cert, key: serving.key, ca: lab.ca.cert, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      res.setHeader('content-type', 'text/plain');
      if (!socket.authorized) {
        rejected.push(String(socket.authorizationError));
        res.statusCode = 401;
        res.end('unauthorized');
        return;
      }
      const peer = socket.getPeerCertificate();
      res.end(`path=${(req.url ?? '').split('?')[0]} O=${peer.subject.O} CN=${peer.subject.CN}`);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const port = (server.address() as AddressInfo).port;

  const kubeconfig = (c: CertAndKey) =>
    buildKubeconfig({ clusterName: 'lab', server: `https://127.0.0.1:${port}`, caCertPem: lab.ca.cert, userName: 'kubernetes-admin', client: c });
  const foreign = await signClientCertificate({
    ca: lab.frontProxyCa,
    commonName: ADMIN_COMMON_NAME,
    organizations: [ADMIN_ORGANIZATION],
    validityHours: 1,
    now: new Date(),
    randomBytes: seededRandomBytes('foreign'),
  });
  const dir = t.testdir({ good: kubeconfig(client), foreign: kubeconfig(foreign) });

  const ok = await run('kubectl', ['--kubeconfig', join(dir, 'good'), '--request-timeout=20s', 'get', '--raw', '/healthz']);
  t.equal(ok.stdout.trim(), 'path=/healthz O=kubeadm:cluster-admins CN=kubernetes-admin');

  t.same(rejected, [], 'the real admin certificate was accepted');
  // The same identity signed by a different CA is refused.
  const refused = await run('kubectl', ['--kubeconfig', join(dir, 'foreign'), '--request-timeout=20s', 'get', '--raw', '/healthz']).then(
    () => undefined,
    (e: { stderr: string }) => e,
  );
  t.ok(refused, 'kubectl failed');
  t.match(refused?.stderr, /must be logged in/);
  t.same(rejected, ['UNABLE_TO_VERIFY_LEAF_SIGNATURE'], 'server could not verify the foreign client certificate');
});

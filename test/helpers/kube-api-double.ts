// A small local HTTPS stand-in for the Kubernetes API server on 127.0.0.1: a serving
// certificate signed by the test cluster's CA (openssl), client certificates required
// and checked against that CA (like kube-apiserver), and the read-only routes that
// `gen-userdata status` uses: the Node list and ConfigMaps kube-system/gen-userdata-status
// and kube-system/gen-userdata-certs.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openssl } from '../fixtures/secrets/openssl.js';
import type { CertAndKey } from '../../src/pki/types.js';

/** What the double serves; tests change it between requests. */
export interface ApiWorld {
  /** name, kubelet version, Ready. */
  nodes: [string, string, boolean][];
  /** report.json text of the ConfigMap; undefined: no ConfigMap (404). */
  report?: string;
  /** Data of ConfigMap gen-userdata-certs (node -> "<RFC 3339> <cert>"); undefined: no ConfigMap (404). */
  certificates?: Record<string, string>;
}

export interface ApiDouble {
  url: string;
  world: ApiWorld;
  /** Paths requested so far. */
  requests: string[];
  close(): Promise<void>;
}

/** A serving key and certificate for IP 127.0.0.1, signed by `ca` with openssl. */
export function servingCertificate(ca: CertAndKey): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-api-double-'));
  writeFileSync(join(dir, 'ca.crt'), ca.cert);
  writeFileSync(join(dir, 'ca.key'), ca.key);
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  const steps: string[][] = [
    ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-subj', '/CN=kube-apiserver', '-out', 'server.csr'],
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext.cnf', '-out', 'server.crt'],
  ];
  for (const args of steps) {
    const r = openssl(args, { cwd: dir });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  }
  return { key: readFileSync(join(dir, 'server.key'), 'utf8'), cert: readFileSync(join(dir, 'server.crt'), 'utf8') };
}

/** A self-signed CA that is not the cluster's (the "wrong CA" case). */
export function otherCa(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-other-ca-'));
  const r = openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-subj', '/CN=not-the-cluster-ca', '-days', '2', '-out', 'ca.crt'], { cwd: dir });
  if (r.status !== 0) throw new Error(`openssl req failed: ${r.stderr}`);
  return readFileSync(join(dir, 'ca.crt'), 'utf8');
}

function nodeObject([name, version, ready]: [string, string, boolean]): object {
  return {
    metadata: { name },
    status: {
      nodeInfo: { kubeletVersion: version },
      conditions: [
        { type: 'MemoryPressure', status: 'False' },
        { type: 'Ready', status: ready ? 'True' : 'False' },
      ],
    },
  };
}

/** Starts the double on 127.0.0.1 with a random port. */
export async function startApiDouble(ca: CertAndKey, world: ApiWorld): Promise<ApiDouble> {
  const serving = servingCertificate(ca);
  const requests: string[] = [];
  const server: Server = createServer({ key: serving.key, cert: serving.cert, ca: ca.cert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const send = (status: number, body: object): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/api/v1/nodes') {
      send(200, { kind: 'NodeList', apiVersion: 'v1', metadata: {}, items: world.nodes.map(nodeObject) });
    } else if (req.method === 'GET' && path === '/api/v1/namespaces/kube-system/configmaps/gen-userdata-status') {
      if (world.report === undefined) {
        send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'configmaps "gen-userdata-status" not found' });
      } else {
        send(200, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'gen-userdata-status', namespace: 'kube-system' }, data: { 'report.json': world.report } });
      }
    } else if (req.method === 'GET' && path === '/api/v1/namespaces/kube-system/configmaps/gen-userdata-certs' && world.certificates !== undefined) {
      send(200, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'gen-userdata-certs', namespace: 'kube-system' }, data: world.certificates });
    } else {
      send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    world,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

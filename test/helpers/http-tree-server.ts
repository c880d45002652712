// A static file server on 127.0.0.1 (ephemeral port) for the nocloud-net tests: serves
// a directory read-only, like the web server a PXE setup points at out/<cluster>/http/,
// and records every request so tests can assert what a client fetched.
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

/** One request the server answered. */
export interface ServedRequest {
  method: string;
  path: string;
  status: number;
}

/** A running server; close() stops it. */
export interface HttpTreeServer {
  /** e.g. "http://127.0.0.1:41234" (no trailing slash). */
  origin: string;
  requests: ServedRequest[];
  close(): Promise<void>;
}

/** Serves `root` on 127.0.0.1 until close(). GET and HEAD only; 404 outside the tree. */
export async function serveTree(root: string): Promise<HttpTreeServer> {
  const base = resolve(root);
  const requests: ServedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
      const file = resolve(join(base, path));
      let status = 404;
      let body: Buffer = Buffer.from('not found\n');
      if ((req.method === 'GET' || req.method === 'HEAD') && file.startsWith(base + sep)) {
        try {
          if ((await stat(file)).isFile()) {
            body = await readFile(file);
            status = 200;
          }
        } catch {
          // missing: 404
        }
      } else if (req.method !== 'GET' && req.method !== 'HEAD') {
        status = 405;
        body = Buffer.from('method not allowed\n');
      }
      requests.push({ method: req.method ?? '', path, status });
      res.writeHead(status, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    })();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((ok, fail) => server.close((err) => (err ? fail(err) : ok()))),
  };
}

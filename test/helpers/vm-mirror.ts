/**
 * The e2e guest's only way out: a loopback HTTP server (serveTree on
 * 127.0.0.1, ephemeral port) reached through QEMU user-mode networking with
 * `restrict=on` (nothing is routed anywhere) and one `guestfwd` rule that maps
 * the mirror address inside the guest's 10.0.2.0/24 to that server.
 *
 * guestfwd's chardev form (`…-tcp:127.0.0.1:PORT`) is a single TCP stream
 * opened when QEMU starts, which apt's several connections (two `apt-get
 * update`s, then the downloads) would share and break; the `cmd:` form starts a
 * relay per guest connection instead. The relay is a few lines of Node that
 * connect to 127.0.0.1:PORT and copy bytes both ways.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveTree, type HttpTreeServer } from './http-tree-server.js';

/** Address of the mirror inside the guest (QEMU user-mode network 10.0.2.0/24; .2 gateway, .3 DNS, .15 guest). */
export const MIRROR_IP = '10.0.2.100';
/** Base URL of the mirror as the guest sees it (no trailing slash). */
export const MIRROR_ORIGIN = `http://${MIRROR_IP}`;
/** The guest's address on QEMU's user-mode network (what the e2e-apt profiles give the node). */
export const SLIRP_GUEST_IP = '10.0.2.15';

// CommonJS, no dependencies, nothing on stderr: slirp hands the relay the guest
// connection as stdin, stdout and stderr alike.
const RELAY = `'use strict';
const net = require('node:net');
const upstream = net.connect({ host: '127.0.0.1', port: Number(process.argv[2]) });
const guest = new net.Socket({ fd: 0, readable: true, writable: true });
guest.pipe(upstream);
upstream.pipe(guest);
guest.on('error', () => process.exit(1));
upstream.on('error', () => process.exit(1));
guest.on('close', () => upstream.destroy());
upstream.on('close', () => guest.end(() => process.exit(0)));
`;

/** A running mirror: the server, and the QEMU -nic value that reaches it. */
export interface Mirror {
  server: HttpTreeServer;
  /** Port of the loopback server. */
  port: number;
  /** QEMU arguments for the guest NIC: ["-nic", "user,restrict=on,guestfwd=…"]. */
  nicArgs: string[];
  /** Requests the server answered so far (method, decoded path, status), in order. */
  requests: HttpTreeServer['requests'];
  close(): Promise<void>;
}

/**
 * Serves `root` on 127.0.0.1 and writes the relay script into `workDir`.
 * Rejects when the server cannot listen.
 */
export async function startMirror(root: string, workDir: string): Promise<Mirror> {
  const server = await serveTree(root);
  const port = Number(new URL(server.origin).port);
  const relay = join(workDir, 'guestfwd-relay.cjs');
  writeFileSync(relay, RELAY);
  // QEMU splits -nic options on commas; none of these values has one.
  if (/[,\s]/.test(process.execPath + relay)) throw new Error(`relay path must not contain commas or spaces: ${process.execPath} ${relay}`);
  const nic = [
    'user',
    'model=virtio-net-pci',
    'restrict=on',
    `guestfwd=tcp:${MIRROR_IP}:80-cmd:${process.execPath} ${relay} ${port}`,
  ].join(',');
  return {
    server,
    port,
    nicArgs: ['-nic', nic],
    requests: server.requests,
    close: () => server.close(),
  };
}

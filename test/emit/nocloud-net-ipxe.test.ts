// The generated iPXE script run by real iPXE (Debian's ipxe package, ipxe.lkrn) under
// qemu: iPXE tokenises our `kernel` line itself, and `imgstat` prints the command line
// it would hand the kernel. That line is read back from the VGA text buffer and fed to
// cloud-init's parser, closing the loop script → iPXE → kernel command line → cloud-init.
//
// No network traffic leaves qemu: the NIC is qemu's user-mode network with
// restrict=on, whose DHCP and TFTP servers run inside the qemu process; TFTP serves
// a stand-in kernel (ipxe.lkrn itself, a valid bzImage) and initrd from a temp dir.
import t from 'tap';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const IPXE_LKRN = '/usr/lib/ipxe/ipxe.lkrn';
const QEMU = '/usr/bin/qemu-system-x86_64';
const PYTHON = '/usr/bin/python3';
const VGA_TEXT = 0xb8000;
const VGA_BYTES = 80 * 25 * 2;
const DONE = 'GEN-USERDATA-IPXE-DONE';
// A bound so a broken boot cannot hang the suite; not a performance assertion.
const GIVE_UP_MS = 180_000;

/** Minimal QMP client: one command at a time, answers matched in order. */
async function qmp(socketPath: string): Promise<{ send(cmd: object): Promise<unknown>; close(): void }> {
  let sock: Socket | undefined;
  for (let i = 0; i < 100 && sock === undefined; i++) {
    sock = await new Promise<Socket | undefined>((ok) => {
      const s = createConnection(socketPath);
      s.once('connect', () => ok(s));
      s.once('error', () => ok(undefined));
    });
    if (sock === undefined) await sleep(100);
  }
  if (sock === undefined) throw new Error(`cannot connect to QMP at ${socketPath}`);
  const conn = sock;
  let buf = '';
  const waiting: ((msg: Record<string, unknown>) => void)[] = [];
  conn.on('data', (chunk: Buffer) => {
    buf += chunk.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const msg = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
      buf = buf.slice(nl + 1);
      // Greeting and events are not answers.
      if ('return' in msg || 'error' in msg) waiting.shift()?.(msg);
    }
  });
  const send = (cmd: object): Promise<unknown> =>
    new Promise((ok, fail) => {
      waiting.push((msg) => ('error' in msg ? fail(new Error(JSON.stringify(msg['error']))) : ok(msg['return'])));
      conn.write(`${JSON.stringify(cmd)}\n`);
    });
  await send({ execute: 'qmp_capabilities' });
  return { send, close: () => conn.destroy() };
}

/** The VGA text screen as one string of 80-column rows without separators, so wrapped lines stay contiguous. */
function screenText(dump: Buffer): string {
  let s = '';
  for (let i = 0; i < dump.length; i += 2) s += String.fromCharCode(dump[i]!);
  return s;
}

// Skipped, with the reason in the TAP output, where the tools are not installed.
const missing = [IPXE_LKRN, QEMU].filter((f) => !existsSync(f));
const skip = missing.length > 0 ? `needs ${missing.join(' and ')} (apt-get install ipxe qemu-system-x86)` : false;

t.test('iPXE passes the kernel line through as one command line; cloud-init finds the seed in it', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-ipxe-'));
  copyFileSync(IPXE_LKRN, join(dir, 'vmlinuz'));
  writeFileSync(join(dir, 'initrd.img'), 'stand-in initrd\n');

  const baseUrl = 'http://10.0.0.1/lab';
  const kernelArgs = 'root=/dev/vda console=ttyS0,115200n8 ip=${ip}';
  const files = generateClusterFiles({
    profile: profileAt('profiles/lab.yaml'),
    secrets: fixtureSecrets('lab'),
    templates: bundledTemplates(),
    formats: ['nocloud-net'],
    nocloudNet: { baseUrl, kernel: 'tftp://10.0.2.2/vmlinuz', initrd: 'tftp://10.0.2.2/initrd.img', kernelArgs },
  });
  const script = Buffer.from(files.find((f) => f.path === 'http/worker-1.ipxe')!.content).toString('utf8');
  const networkConfig = Buffer.from(files.find((f) => f.path === 'http/worker-1/network-config')!.content).toString('utf8');
  // The kernel and initrd lines run verbatim. Added around them: dhcp (a chained script
  // finds the network already up), and imgstat instead of boot.
  const lines = script.split('\n');
  t.equal(lines[0], '#!ipxe');
  t.equal(lines.filter((l) => l === 'boot').length, 1);
  const testScript = ['#!ipxe', 'dhcp', ...lines.slice(1).map((l) => (l === 'boot' ? `imgstat\necho ${DONE}` : l))].join('\n');
  writeFileSync(join(dir, 'test.ipxe'), testScript);

  const qmpPath = join(dir, 'qmp.sock');
  const qemu = spawn(
    QEMU,
    ['-accel', 'tcg', '-m', '256', '-display', 'none', '-no-reboot', '-no-shutdown',
      '-kernel', IPXE_LKRN, '-initrd', join(dir, 'test.ipxe'),
      // romfile= (none): the NIC's own PXE ROM would start a second iPXE once ours returns.
      '-netdev', `user,id=n0,restrict=on,tftp=${dir}`, '-device', 'e1000,netdev=n0,romfile=',
      '-qmp', `unix:${qmpPath},server=on,wait=off`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  qemu.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<void>((ok) => qemu.on('exit', () => ok()));
  t.teardown(async () => {
    if (qemu.exitCode === null) qemu.kill();
    await exited;
  });

  const mon = await qmp(qmpPath);
  const dumpFile = join(dir, 'vga.bin');
  let screen = '';
  const started = Date.now();
  while (!screen.includes(DONE) && Date.now() - started < GIVE_UP_MS && qemu.exitCode === null) {
    await sleep(500);
    await mon.send({ execute: 'pmemsave', arguments: { val: VGA_TEXT, size: VGA_BYTES, filename: dumpFile } });
    screen = screenText(readFileSync(dumpFile));
  }
  await mon.send({ execute: 'quit' }).catch(() => undefined);
  mon.close();
  await exited;
  t.ok(screen.includes(DONE), 'iPXE ran the whole script', { screen: screen.replace(/ {2,}/g, ' | '), stderr });

  // imgstat prints: vmlinuz : <n> bytes [bzImage] [SELECTED] "<command line>"
  const m = /vmlinuz : \d+ bytes[^"]*"([^"]*)"/.exec(screen);
  t.ok(m, 'imgstat listed the kernel with a command line');
  const fromIpxe = m?.[1] ?? '';
  const b64 = Buffer.from(networkConfig).toString('base64');
  t.equal(
    fromIpxe,
    `initrd=initrd ds=nocloud-net;s=${baseUrl}/worker-1/ network-config=${b64} root=/dev/vda console=ttyS0,115200n8 ip=10.0.2.15`,
    'the command line iPXE built: our arguments in order, the ds= token whole, ${ip} expanded by iPXE',
  );
  t.match(screen, /initrd : \d+ bytes/, 'the initrd was loaded under the name initrd=initrd refers to');

  // cloud-init's parser on the command line exactly as iPXE produced it.
  const { stdout } = await promisify(execFile)(PYTHON, [
    '-c',
    'import sys, json\nfrom cloudinit.sources.DataSourceNoCloud import load_cmdline_data\nfrom cloudinit.net.cmdline import read_kernel_cmdline_config\nf = {}\nload_cmdline_data(f, sys.argv[1])\nprint(json.dumps({"fill": f, "net": read_kernel_cmdline_config(sys.argv[1])}))',
    fromIpxe,
  ]);
  const parsed = JSON.parse(stdout) as { fill: Record<string, string>; net: { network?: { version?: number } } | null };
  t.same(parsed.fill, { seedfrom: `${baseUrl}/worker-1/`, dsmode: 'net' });
  t.equal(parsed.net?.network?.version, 2, 'network-config survives iPXE and decodes');
});

/**
 * Benchmark: our in-process ISO 9660 writer against cloud-localds (which
 * spawns genisoimage) for the same NoCloud seed files.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { NOCLOUD_VOLUME_ID, writeIsoImage, type IsoFile } from '../emit/iso9660/write-iso-image.js';

const execFileAsync = promisify(execFile);

const OURS_COUNT = 1000;
const THEIRS_COUNT = 100;
const TARGET_RATIO = 20;

/** Deterministic base64-looking text, standing in for PEM bodies in user-data. */
function fakeBase64(length: number, seed: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let x = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += alphabet[(x >>> 16) & 63];
    if (i % 64 === 63) out += '\n      ';
  }
  return out;
}

/** A ~20 KB control-plane user-data with certificates, plus meta-data and network-config. */
function seedFiles(): IsoFile[] {
  const pem = (label: string, seed: number) =>
    `      -----BEGIN ${label}-----\n      ${fakeBase64(1600, seed)}\n      -----END ${label}-----\n`;
  const files = ['ca', 'front-proxy-ca', 'etcd/ca', 'sa'].map(
    (name, i) =>
      `  - path: /etc/kubernetes/pki/${name}.crt\n    permissions: "0644"\n    content: |\n${pem('CERTIFICATE', i + 1)}` +
      `  - path: /etc/kubernetes/pki/${name}.key\n    permissions: "0600"\n    content: |\n${pem('PRIVATE KEY', i + 11)}`,
  );
  let userData = `#cloud-config\nhostname: cp1\nwrite_files:\n${files.join('')}runcmd:\n`;
  for (let i = 0; userData.length < 20_000; i++) userData += `  - [/usr/local/sbin/bootstrap-step, "step-${i}"]\n`;
  const enc = (s: string) => new TextEncoder().encode(s);
  return [
    { name: 'user-data', data: enc(userData) },
    { name: 'meta-data', data: enc('instance-id: lab-cp1\nlocal-hostname: cp1\n') },
    {
      name: 'network-config',
      data: enc(
        'version: 2\nethernets:\n  eth0:\n    match:\n      macaddress: "52:54:00:12:34:56"\n' +
          '    addresses: [192.168.56.10/24]\n    routes:\n      - to: 0.0.0.0/0\n        via: 192.168.56.1\n' +
          '    nameservers:\n      addresses: [192.168.56.1]\n',
      ),
    },
  ];
}

const ms = (x: number) => `${x.toFixed(3)} ms`;

/**
 * Times OURS_COUNT seed ISOs from writeIsoImage and THEIRS_COUNT from
 * `cloud-localds -N network-config seed.iso user-data meta-data` (in a temp
 * dir, removed afterwards) and returns report lines: per-ISO times, image
 * sizes and the speed ratio against the 20x target. Rejects when
 * cloud-localds is missing or fails.
 */
export async function runIsoBench(): Promise<string[]> {
  const files = seedFiles();
  const date = new Date(Date.UTC(2024, 0, 1));
  const input = { volumeId: NOCLOUD_VOLUME_ID, files, date };

  for (let i = 0; i < 20; i++) writeIsoImage(input); // warm up the JIT
  let ourBytes = 0;
  const ourStart = performance.now();
  for (let i = 0; i < OURS_COUNT; i++) ourBytes += writeIsoImage(input).length;
  const ourPerIso = (performance.now() - ourStart) / OURS_COUNT;
  const ourSize = ourBytes / OURS_COUNT;

  const dir = await mkdtemp(join(tmpdir(), 'iso-bench-'));
  try {
    for (const f of files) await writeFile(join(dir, f.name), f.data);
    const args = ['-N', 'network-config', 'seed.iso', 'user-data', 'meta-data'];
    await execFileAsync('cloud-localds', args, { cwd: dir }); // warm the page cache
    const theirStart = performance.now();
    for (let i = 0; i < THEIRS_COUNT; i++) await execFileAsync('cloud-localds', args, { cwd: dir });
    const theirPerIso = (performance.now() - theirStart) / THEIRS_COUNT;
    const theirSize = (await stat(join(dir, 'seed.iso'))).size;

    const ratio = theirPerIso / ourPerIso;
    const userDataKb = (files[0]!.data.length / 1024).toFixed(1);
    return [
      `ISO seed (user-data ${userDataKb} KiB, meta-data, network-config):`,
      `  ours (writeIsoImage, ${OURS_COUNT} images):      ${ms(ourPerIso)} per ISO, ${ourSize} bytes`,
      `  cloud-localds (genisoimage, ${THEIRS_COUNT} images): ${ms(theirPerIso)} per ISO, ${theirSize} bytes`,
      `  ratio: ours is ${ratio.toFixed(1)}x faster per ISO (target >= ${TARGET_RATIO}x: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

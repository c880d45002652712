// The CLI end to end for --format nocloud-net: usage errors, files, modes, manifest,
// and how --format all treats --base-url.
import t from 'tap';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, fileMode, outWithFixtureSecrets, runCli } from '../helpers/fixtures.js';

const NODES = ['control-plane', 'worker-1', 'worker-2'];


t.test('usage errors exit 2 and write nothing', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--format', 'nocloud-net'], /--format nocloud-net needs --base-url/],
    [['--kernel', 'http://h/vmlinuz'], /--kernel only apply to the nocloud-net HTTP tree: add --base-url/],
    [['--format', 'all', '--initrd', 'i', '--kernel-args', 'quiet'], /--initrd, --kernel-args only apply/],
    [['--format', 'iso', '--base-url', 'http://h/lab'], /--base-url only applies to --format nocloud-net or all \(not iso\)/],
    [['--format', 'nocloud-net', '--base-url', 'ftp://h/lab'], /--base-url "ftp:\/\/h\/lab": must start with http:\/\/ or https:\/\//],
    [['--format', 'nocloud-net', '--base-url', 'http://h/a;b'], /--base-url "http:\/\/h\/a;b": must not contain ";"/],
    [['--format', 'nocloud-net', '--base-url', 'http://h/lab', '--kernel', 'my kernel'], /--kernel "my kernel": must not contain whitespace/],
    [['--format', 'nocloud-net', '--base-url', 'http://h/lab', '--kernel-args', 'ds=nocloud'], /--kernel-args "ds=nocloud": .*sets ds= itself/],
    [['--format', 'nocloud-net', '--base-url', 'http://h/lab', '--kernel-args', 'quiet\nreboot'], /one line/],
  ];
  for (const [args, why] of cases) {
    const out = outWithFixtureSecrets('lab');
    const r = runCli(['--out', out, ...args]);
    t.equal(r.status, 2, `${args.join(' ')} exits 2`);
    t.match(r.stderr, why, args.join(' '));
    t.same(readdirSync(join(out, 'lab')), ['secrets.yaml'], 'nothing written');
  }
  // Option mistakes are reported before the profile is even read.
  const r = runCli(['--format', 'nocloud-net', '--profile', join(ROOT, 'no-such-profile.yaml')]);
  t.equal(r.status, 2);
  t.match(r.stderr, /--base-url/);
});

t.test('--format nocloud-net writes the HTTP tree with the seed documents, modes and manifest', async (t) => {
  const out = outWithFixtureSecrets('lab');
  const r = runCli(['--out', out, '--format', 'nocloud-net', '--base-url', 'http://10.0.0.1/lab/', '--kernel', '/debian/vmlinuz', '--initrd', '/debian/initrd.img', '--kernel-args=root=/dev/sda1 console=ttyS0']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /wrote .*: 3 nodes, \d+ files \(nocloud-net\)/);
  t.notMatch(r.stderr, /kernel-command-line-too-long/);
  const lab = join(out, 'lab');
  t.notOk(existsSync(join(lab, 'nodes')), 'no nodes/ directory for --format nocloud-net alone');

  // The same documents as --format cloud-init writes, byte for byte.
  const ref = outWithFixtureSecrets('lab');
  t.equal(runCli(['--out', ref, '--format', 'cloud-init']).status, 0);
  for (const n of NODES) {
    for (const doc of ['user-data', 'meta-data', 'network-config']) {
      t.ok(readFileSync(join(lab, 'http', n, doc)).equals(readFileSync(join(ref, 'lab', 'nodes', n, doc))), `http/${n}/${doc} equals nodes/${n}/${doc}`);
    }
    t.equal(fileMode(join(lab, 'http', n, 'user-data')), '600');
    t.equal(fileMode(join(lab, 'http', n, 'meta-data')), '644');
    t.equal(fileMode(join(lab, 'http', n, 'network-config')), '644');
    t.equal(fileMode(join(lab, 'http', n, 'vendor-data')), '644');
    t.equal(statSync(join(lab, 'http', n, 'vendor-data')).size, 0);
    t.equal(fileMode(join(lab, 'http', `${n}.ipxe`)), '644');
    const script = readFileSync(join(lab, 'http', `${n}.ipxe`), 'utf8');
    t.match(script, new RegExp(`^kernel /debian/vmlinuz initrd=initrd ds=nocloud-net;s=http://10\\.0\\.0\\.1/lab/${n}/ network-config=\\S+ root=/dev/sda1 console=ttyS0$`, 'm'));
    t.match(script, /^initrd --name initrd \/debian\/initrd\.img$/m);
  }
  const manifest = JSON.parse(readFileSync(join(lab, 'manifest.json'), 'utf8')) as { files: { path: string; format: string; bytes: number; mode: string }[] };
  const listed = manifest.files.filter((f) => f.path.startsWith('http/'));
  t.equal(listed.length, NODES.length * 5);
  for (const f of listed) {
    t.equal(f.format, 'nocloud-net');
    t.equal(f.bytes, statSync(join(lab, f.path)).size, `${f.path} size in manifest`);
    t.equal(f.mode, `0${fileMode(join(lab, f.path))}`, `${f.path} mode in manifest`);
  }
});

t.test('--format all includes nocloud-net exactly when --base-url is given', async (t) => {
  const without = outWithFixtureSecrets('lab');
  const a = runCli(['--out', without, '--format', 'all']);
  t.equal(a.status, 0, a.stderr);
  t.match(a.stdout, /\(cloud-init, iso, ignition\)/);
  t.notOk(existsSync(join(without, 'lab', 'http')));

  const withUrl = outWithFixtureSecrets('lab');
  const b = runCli(['--out', withUrl, '--format', 'all', '--base-url', 'https://boot.example/lab']);
  t.equal(b.status, 0, b.stderr);
  t.match(b.stdout, /\(cloud-init, iso, ignition, nocloud-net\)/);
  for (const f of ['nodes/worker-1/user-data', 'nodes/worker-1/seed.iso', 'nodes/worker-1/config.ign', 'http/worker-1/user-data', 'http/worker-1.ipxe']) {
    t.ok(existsSync(join(withUrl, 'lab', f)), f);
  }
  t.match(readFileSync(join(withUrl, 'lab/http/worker-1.ipxe'), 'utf8'), /^kernel vmlinuz initrd=initrd ds=nocloud-net;s=https:\/\/boot\.example\/lab\/worker-1\/ /m);
});

t.test('a kernel command line beyond the kernel limit is a warning naming the script', async (t) => {
  const out = outWithFixtureSecrets('lab');
  const long = Array.from({ length: 200 }, (_, i) => `opt${i}=value`).join(' ');
  const r = runCli(['--out', out, '--format', 'nocloud-net', '--base-url', 'http://10.0.0.1/lab', `--kernel-args=${long}`]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stderr, /http\/worker-1\.ipxe: warning\[kernel-command-line-too-long\]: the kernel command line is \d+ bytes; x86 kernels keep only 2047/);
});

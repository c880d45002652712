// The nocloud-net emitter: seed URLs, option checks, the kernel command line, the iPXE
// script text, and the HTTP tree as generateClusterFiles writes it for the lab profile.
import t from 'tap';
import { join } from 'node:path';
import { checkBaseUrl, nodeSeedUrl } from '../../src/emit/nocloud-net/seed-url.js';
import { checkKernelArgs, dsArgument, nocloudNetCommandLine } from '../../src/emit/nocloud-net/kernel-command-line.js';
import { DEFAULT_INITRD, DEFAULT_KERNEL, checkImageRef, ipxeScript } from '../../src/emit/nocloud-net/ipxe-script.js';
import { checkNocloudNetOptions, nocloudNetFiles } from '../../src/emit/nocloud-net/emit-nocloud-net.js';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import type { OutputFile } from '../../src/output/output-file.js';
import { ROOT, bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';
import { compareGolden } from '../helpers/golden.js';

const profile = profileAt('profiles/lab.yaml');
const secrets = fixtureSecrets('lab');
const templates = bundledTemplates();
const NODES = ['control-plane', 'worker-1', 'worker-2'];
const text = (f: OutputFile | undefined): string => Buffer.from(f!.content).toString('utf8');

t.test('nodeSeedUrl: <base>/<node>/ with exactly one slash between and a trailing slash', async (t) => {
  for (const base of ['http://10.0.0.1/lab', 'http://10.0.0.1/lab/', 'http://10.0.0.1/lab//']) {
    t.equal(nodeSeedUrl(base, 'worker-1'), 'http://10.0.0.1/lab/worker-1/', base);
  }
  t.equal(nodeSeedUrl('https://boot.example:8443', 'cp.a'), 'https://boot.example:8443/cp.a/');
});

t.test('checkBaseUrl accepts http(s) URLs that survive the kernel command line', async (t) => {
  for (const ok of ['http://10.0.0.1/lab', 'https://boot.example:8443/seeds/lab/', 'http://[fd00::1]:8080/x', 'HTTP://h/a-b_c.d~e/%41']) {
    t.equal(checkBaseUrl(ok), undefined, ok);
  }
});

t.test('checkBaseUrl refuses what cloud-init, iPXE or GRUB would split or change', async (t) => {
  const cases: [string, RegExp][] = [
    ['ftp://h/lab', /http:\/\/ or https:\/\//],
    ['10.0.0.1/lab', /http:\/\/ or https:\/\//],
    ['file:///srv/lab', /http:\/\/ or https:\/\//],
    ['http://h/a;b', /";"/],
    ['http://h/a b', /U\+0020/],
    ['http://h/a\tb', /U\+0009/],
    ['http://h/${next-server}', /"\$"/],
    ['http://h/a&b', /"&"/],
    ['http://h/a|b', /"\|"/],
    ['http://h/<a>', /"<"/],
    ['http://h/{a}', /"\{"/],
    ['http://h/lab?x=1', /"\?"/],
    ['http://h/lab#frag', /"#"/],
    ['http://h/"lab"', /"""/],
    ["http://h/'lab'", /"'"/],
    ['http://h/a\\b', /"\\"/],
    ['http://h/ä', /U\+00E4/],
    ['http://user:pw@h/lab', /credentials/],
    ['http://', /not a valid URL|no host/],
  ];
  for (const [url, why] of cases) t.match(checkBaseUrl(url), why, url);
});

t.test('checkKernelArgs', async (t) => {
  for (const ok of ['', 'root=/dev/sda1 console=ttyS0,115200n8', 'ip=${ip}::${gateway}:${netmask}', 'a="b c"', '  quiet   splash ']) {
    t.equal(checkKernelArgs(ok), undefined, JSON.stringify(ok));
  }
  const cases: [string, RegExp][] = [
    ['quiet\nboot', /one line/],
    ['quiet\rboot', /one line/],
    ['root=/dev/sda1 ; reboot', /";" would end the iPXE kernel command/],
    ['quiet && reboot', /"&&"/],
    ['quiet || reboot', /"\|\|"/],
    ['quiet #comment', /iPXE comment/],
    ['ds=nocloud;s=http://other/', /sets ds= itself/],
    ['network-config=e30K', /sets network-config= itself/],
    ['initrd=other', /sets initrd= itself/],
  ];
  for (const [args, why] of cases) t.match(checkKernelArgs(args), why, JSON.stringify(args));
});

t.test('checkImageRef', async (t) => {
  for (const ok of ['vmlinuz', '/debian/vmlinuz', '../boot/initrd.img', 'http://10.0.0.1/debian/vmlinuz', 'tftp://10.0.0.1/vmlinuz', 'http://${next-server}/vmlinuz']) {
    t.equal(checkImageRef(ok), undefined, ok);
  }
  for (const [bad, why] of [['', /empty/], ['my kernel', /whitespace/], ['a\tb', /whitespace/], ['-n', /option/], ['#x', /comment/]] as const) {
    t.match(checkImageRef(bad), why, JSON.stringify(bad));
  }
});

t.test('checkNocloudNetOptions names each offending option', async (t) => {
  t.same(checkNocloudNetOptions({ baseUrl: 'http://h/lab', kernel: 'k', initrd: 'i', kernelArgs: 'quiet' }), []);
  const problems = checkNocloudNetOptions({ baseUrl: 'ftp://h', kernel: '-k', initrd: 'a b', kernelArgs: 'ds=x' });
  t.equal(problems.length, 4);
  t.match(problems[0], /^--base-url "ftp:\/\/h": /);
  t.match(problems[1], /^--kernel "-k": /);
  t.match(problems[2], /^--initrd "a b": /);
  t.match(problems[3], /^--kernel-args "ds=x": /);
});

t.test('nocloudNetCommandLine: ds, base64 network-config, then the extra arguments', async (t) => {
  const networkConfig = 'network:\n  version: 2\n';
  const line = nocloudNetCommandLine({ seedUrl: 'http://h/lab/n1/', networkConfig, extraArgs: '  root=/dev/sda1   console=ttyS0 ' });
  const b64 = Buffer.from(networkConfig).toString('base64');
  t.equal(line, `ds=nocloud-net;s=http://h/lab/n1/ network-config=${b64} root=/dev/sda1 console=ttyS0`);
  t.equal(nocloudNetCommandLine({ seedUrl: 'http://h/n1/', networkConfig }), `ds=nocloud-net;s=http://h/n1/ network-config=${b64}`);
  t.equal(dsArgument('http://h/n1/'), 'ds=nocloud-net;s=http://h/n1/');
  t.throws(() => nocloudNetCommandLine({ seedUrl: 'http://h/n1', networkConfig }), /must end in "\/"/);
});

t.test('ipxeScript: kernel, named initrd, boot; every argument one iPXE token', async (t) => {
  const script = ipxeScript({ node: 'n1', seedUrl: 'http://h/n1/', kernel: 'http://h/vmlinuz', initrd: 'http://h/initrd.img', commandLine: 'ds=nocloud-net;s=http://h/n1/ network-config=e30K quiet' });
  t.ok(script.startsWith('#!ipxe\n'), 'iPXE recognises scripts by their first line');
  t.ok(script.endsWith('boot\n'));
  const commands = script.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  t.same(commands, [
    'imgfree',
    'kernel http://h/vmlinuz initrd=initrd ds=nocloud-net;s=http://h/n1/ network-config=e30K quiet',
    'initrd --name initrd http://h/initrd.img',
    'boot',
  ]);
});

t.test('lab: the HTTP tree holds the same documents as nodes/, plus vendor-data and an iPXE script', async (t) => {
  const nocloudNet = { baseUrl: 'http://10.0.0.1/lab/', kernel: '/debian/vmlinuz', initrd: '/debian/initrd.img', kernelArgs: 'root=/dev/sda1 console=ttyS0' };
  const files = generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init', 'nocloud-net'], nocloudNet });
  const byPath = new Map(files.map((f) => [f.path, f]));
  const http = files.filter((f) => f.format === 'nocloud-net');
  t.same(
    http.map((f) => f.path).sort(),
    NODES.flatMap((n) => [`http/${n}.ipxe`, ...['meta-data', 'network-config', 'user-data', 'vendor-data'].map((d) => `http/${n}/${d}`)]).sort(),
  );
  for (const n of NODES) {
    for (const doc of ['user-data', 'meta-data', 'network-config']) {
      const served = byPath.get(`http/${n}/${doc}`)!;
      const seed = byPath.get(`nodes/${n}/${doc}`)!;
      t.ok(Buffer.from(served.content).equals(Buffer.from(seed.content)), `http/${n}/${doc} has the bytes of nodes/${n}/${doc}`);
      t.equal(served.mode, seed.mode, `http/${n}/${doc} has the mode of nodes/${n}/${doc}`);
      t.equal(served.node, n);
      t.equal(served.role, seed.role);
    }
    t.equal(byPath.get(`http/${n}/user-data`)!.mode, 0o600, 'user-data carries secrets');
    t.equal(byPath.get(`http/${n}/vendor-data`)!.content.byteLength, 0);
    const script = text(byPath.get(`http/${n}.ipxe`));
    t.equal(byPath.get(`http/${n}.ipxe`)!.mode, 0o644);
    const kernel = script.split('\n').find((l) => l.startsWith('kernel '))!.split(' ');
    t.equal(kernel[1], '/debian/vmlinuz');
    t.equal(kernel[2], 'initrd=initrd');
    t.equal(kernel[3], `ds=nocloud-net;s=http://10.0.0.1/lab/${n}/`);
    t.equal(Buffer.from(kernel[4]!.replace(/^network-config=/, ''), 'base64').toString('utf8'), text(byPath.get(`nodes/${n}/network-config`)));
    t.same(kernel.slice(5), ['root=/dev/sda1', 'console=ttyS0']);
    t.match(script, /^initrd --name initrd \/debian\/initrd\.img$/m);
    t.ok(Buffer.byteLength(kernel.slice(2).join(' ')) < 1024, 'the lab command line is far below the 2048-byte kernel limit');
  }
  const manifest = JSON.parse(text(byPath.get('manifest.json'))) as { files: { path: string; format: string; node?: string; mode: string }[] };
  t.same(manifest.files.map((f) => f.path), files.filter((f) => f.path !== 'manifest.json').map((f) => f.path).sort(), 'manifest lists every file');
  const entry = manifest.files.find((f) => f.path === 'http/worker-1/user-data');
  t.same({ format: entry?.format, node: entry?.node, mode: entry?.mode }, { format: 'nocloud-net', node: 'worker-1', mode: '0600' });
});

t.test('lab: --format nocloud-net alone writes no nodes/ files; defaults for kernel and initrd', async (t) => {
  const files = generateClusterFiles({ profile, secrets, templates, formats: ['nocloud-net'], nocloudNet: { baseUrl: 'http://h/lab' } });
  t.same(files.filter((f) => f.path.startsWith('nodes/')), []);
  const script = text(files.find((f) => f.path === 'http/worker-2.ipxe'));
  t.match(script, new RegExp(`^kernel ${DEFAULT_KERNEL} initrd=initrd ds=nocloud-net;s=http://h/lab/worker-2/ network-config=[A-Za-z0-9+/=]+$`, 'm'));
  t.match(script, new RegExp(`^initrd --name initrd ${DEFAULT_INITRD.replace('.', '\\.')}$`, 'm'));
  t.throws(() => generateClusterFiles({ profile, secrets, templates, formats: ['nocloud-net'] }), /needs the nocloudNet options/, 'a missing option set is a bug');
});

t.test('lab: the HTTP tree is deterministic, and iPXE scripts match their golden files', async (t) => {
  const nocloudNet = { baseUrl: 'http://10.0.0.1/lab', kernel: 'http://10.0.0.1/debian/vmlinuz', initrd: 'http://10.0.0.1/debian/initrd.img', kernelArgs: 'root=/dev/sda1 console=ttyS0' };
  const a = generateClusterFiles({ profile, secrets, templates, formats: ['nocloud-net'], nocloudNet });
  const b = generateClusterFiles({ profile, secrets, templates, formats: ['nocloud-net'], nocloudNet });
  t.same(a.map((f) => [f.path, Buffer.from(f.content).toString('base64')]), b.map((f) => [f.path, Buffer.from(f.content).toString('base64')]));
  const scripts = new Map(a.filter((f) => f.path.endsWith('.ipxe')).map((f) => [f.path.slice('http/'.length), f.content]));
  compareGolden(t, join(ROOT, 'test', 'golden', 'nocloud-net'), scripts);
});

t.test('nocloudNetFiles on its own: paths relative to http/', async (t) => {
  const docs = { 'user-data': '#cloud-config\n', 'meta-data': 'instance-id: x\n', 'network-config': 'network:\n  version: 2\n' };
  const files = nocloudNetFiles('n1', docs, { baseUrl: 'http://h' });
  t.same(files.map((f) => [f.path, f.mode]), [
    ['n1/user-data', 0o600],
    ['n1/meta-data', 0o644],
    ['n1/network-config', 0o644],
    ['n1/vendor-data', 0o644],
    ['n1.ipxe', 0o644],
  ]);
  t.equal(files[0]!.content, docs['user-data']);
});

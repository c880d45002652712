// The nocloud-net HTTP tree against real cloud-init 22.4 (Debian 12's, installed with
// apt): the tree is served from a loopback HTTP server, each file is fetched back, and
// cloud-init's own code parses our exact kernel command line and fetches the seed
// through its DataSourceNoCloudNet and url_helper.
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';
import { serveTree } from '../helpers/http-tree-server.js';

const run = promisify(execFile);
// Debian's python3, where the cloud-init package lives (a pyenv python3 would not have it).
const PYTHON = '/usr/bin/python3';

// Runs cloud-init's code on one kernel command line and prints what it made of it.
// dmi is stubbed so a machine whose serial number happens to carry ds= cannot interfere,
// and fs_label is None so no block device is probed or mounted.
const PROBE = String.raw`
import sys, json, base64, yaml
from unittest import mock
from cloudinit import helpers, url_helper
from cloudinit.sources import DataSourceNoCloud as nc
from cloudinit.net.cmdline import read_kernel_cmdline_config

cmdline, tmp, fetch = sys.argv[1], sys.argv[2], sys.argv[3] == 'fetch'
out = {}
fill = {}
out['parsed'] = nc.parse_cmdline_data('ds=nocloud-net', fill, cmdline)
out['parse_fill'] = fill
fill = {}
out['loaded'] = nc.load_cmdline_data(fill, cmdline)
out['load_fill'] = fill
out['network'] = read_kernel_cmdline_config(cmdline)

paths = helpers.Paths({'cloud_dir': tmp + '/cloud', 'run_dir': tmp + '/run'})
sys_cfg = {'datasource': {'NoCloud': {'fs_label': None}}}
with mock.patch('cloudinit.util.get_cmdline', return_value=cmdline), \
     mock.patch('cloudinit.dmi.read_dmi_data', return_value=None):
    local = nc.DataSourceNoCloud(sys_cfg, None, paths)
    out['local_found'] = local.get_data()
    net = nc.DataSourceNoCloudNet(sys_cfg, None, paths)
    out['net_found'] = net.get_data() if fetch else None
    if out['net_found']:
        out['dsmode'] = net.dsmode
        out['seed'] = net.seed
        out['metadata'] = net.metadata
        out['userdata'] = base64.b64encode(net.userdata_raw).decode()
        out['vendordata'] = base64.b64encode(net.vendordata_raw).decode()
if fetch:
    # cloud-init never fetches network-config from the seed; fetch it with its url helper anyway.
    resp = url_helper.readurl(out['load_fill']['seedfrom'] + 'network-config')
    out['network_config_over_http'] = base64.b64encode(resp.contents).decode()
print(json.dumps(out, default=str))
`;

interface Probe {
  parsed: boolean;
  parse_fill: Record<string, string>;
  loaded: boolean;
  load_fill: Record<string, string>;
  network: unknown;
  local_found: boolean;
  net_found: boolean | null;
  dsmode?: string;
  seed?: string;
  metadata?: Record<string, string>;
  userdata?: string;
  vendordata?: string;
  network_config_over_http?: string;
}

/** Runs PROBE; with fetch, also lets DataSourceNoCloudNet and readurl fetch the seed. */
async function probe(cmdline: string, tmp: string, fetch: boolean): Promise<Probe> {
  // execFile, not execFileSync: the HTTP server runs on this process's event loop.
  const { stdout } = await run(PYTHON, ['-c', PROBE, cmdline, tmp, fetch ? 'fetch' : 'parse-only'], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as Probe;
}

async function yamlAsJson(text: string): Promise<unknown> {
  const child = execFile(PYTHON, ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))']);
  child.stdin!.end(text);
  let data = '';
  child.stdout!.on('data', (c: Buffer) => (data += c.toString('utf8')));
  await new Promise<void>((ok, fail) => child.on('close', (code) => (code === 0 ? ok() : fail(new Error(`python exited ${code}`)))));
  return JSON.parse(data) as unknown;
}

// ds-identify (run by cloud-init's systemd generator) disables cloud-init unless some
// datasource check passes. Its real dscheck_NoCloud, sourced without running main,
// on a given command line; the filesystem-label and config checks are stubbed out so
// only the command line decides. Prints the check's status: 0 found, 1 not found.
const DS_IDENTIFY = String.raw`
DI_MAIN=noop . /usr/lib/cloud-init/ds-identify
has_fs_with_label() { return 1; }
check_config() { return 1; }
DI_KERNEL_CMDLINE="$1"
DI_DMI_PRODUCT_SERIAL=""
dscheck_NoCloud
echo "$?"
`;

async function dsIdentifyNoCloud(cmdline: string, root: string): Promise<string> {
  const { stdout } = await run('/bin/sh', ['-c', DS_IDENTIFY, 'ds-identify-probe', cmdline], {
    env: { ...process.env, PATH_ROOT: root, PATH_VAR_LIB_CLOUD: join(root, 'var/lib/cloud') },
  });
  return stdout.trim();
}

/** The kernel command line iPXE builds from a script's kernel line: the tokens after the image. */
function commandLineOf(script: string): string {
  const line = script.split('\n').find((l) => l.startsWith('kernel '));
  if (line === undefined) throw new Error('no kernel line');
  return line.trim().split(/\s+/).slice(2).join(' ');
}

const profile = profileAt('profiles/lab.yaml');
const secrets = fixtureSecrets('lab');
const templates = bundledTemplates();
const NODES = ['control-plane', 'worker-1', 'worker-2'];

t.test('served over loopback HTTP, every node seed reaches cloud-init 22.4 intact', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'gen-userdata-nocloud-net-'));
  const server = await serveTree(join(root, 'www'));
  t.teardown(() => server.close());
  const baseUrl = `${server.origin}/seeds/lab`;
  const files = generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init', 'nocloud-net'], nocloudNet: { baseUrl, kernelArgs: 'root=/dev/vda console=ttyS0' } });
  for (const f of files.filter((f) => f.format === 'nocloud-net')) {
    const path = join(root, 'www', 'seeds', 'lab', f.path.slice('http/'.length));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content, { mode: f.mode });
  }
  const byPath = new Map(files.map((f) => [f.path, Buffer.from(f.content)]));

  for (const node of NODES) {
    const seedUrl = `${baseUrl}/${node}/`;
    // Plain HTTP fetches give back the bytes of nodes/<node>/*.
    for (const doc of ['user-data', 'meta-data', 'network-config']) {
      const res = await fetch(`${seedUrl}${doc}`);
      t.equal(res.status, 200, `${node}/${doc} is served`);
      t.ok(Buffer.from(await res.arrayBuffer()).equals(byPath.get(`nodes/${node}/${doc}`)!), `${node}/${doc} fetched byte-identical to nodes/${node}/${doc}`);
    }
    const vendor = await fetch(`${seedUrl}vendor-data`);
    t.equal(vendor.status, 200);
    t.equal((await vendor.arrayBuffer()).byteLength, 0, 'vendor-data is empty');
    const scriptRes = await fetch(`${baseUrl}/${node}.ipxe`);
    t.equal(scriptRes.status, 200);
    const script = await scriptRes.text();

    // cloud-init's parser on the exact command line the script gives the kernel.
    const cmdline = commandLineOf(script);
    const before = server.requests.length;
    const p = await probe(cmdline, mkdtempSync(join(root, `ci-${node}-`)), true);
    t.ok(p.parsed, 'parse_cmdline_data("ds=nocloud-net") recognises the command line');
    t.same(p.parse_fill, { seedfrom: seedUrl }, 'seedfrom is <base-url>/<node>/ with its trailing slash');
    t.same(p.load_fill, { seedfrom: seedUrl, dsmode: 'net' }, 'load_cmdline_data picks the network datasource mode');
    t.same(p.network, await yamlAsJson(byPath.get(`nodes/${node}/network-config`)!.toString('utf8')), 'network-config= decodes to the node network-config');

    // The datasources as cloud-init's two stages run them.
    t.equal(await dsIdentifyNoCloud(cmdline, mkdtempSync(join(root, `dsid-${node}-`))), '0', 'ds-identify finds NoCloud from the command line');
    t.equal(p.local_found, false, 'the local stage (DataSourceNoCloud) leaves an HTTP seed alone');
    t.equal(p.net_found, true, 'the network stage (DataSourceNoCloudNet) takes it');
    t.equal(p.dsmode, 'net');
    t.equal(p.seed, `cmdline,${seedUrl}`);
    t.equal(p.metadata?.['instance-id'], `lab-${node}`);
    t.equal(p.metadata?.['local-hostname'], node);
    t.ok(Buffer.from(p.userdata ?? '', 'base64').equals(byPath.get(`nodes/${node}/user-data`)!), 'cloud-init read the user-data byte for byte');
    t.equal(p.vendordata, '');
    t.ok(Buffer.from(p.network_config_over_http ?? '', 'base64').equals(byPath.get(`nodes/${node}/network-config`)!), 'url_helper.readurl fetches network-config intact');
    const asked = server.requests.slice(before).map((r) => `${r.path} ${r.status}`);
    t.same(
      asked.filter((r) => !r.includes('network-config')).sort(),
      ['meta-data', 'user-data', 'vendor-data'].map((d) => `/seeds/lab/${node}/${d} 200`),
      'cloud-init asked for meta-data, user-data and vendor-data only, and got each (no 404 to retry)',
    );
  }
  t.same(server.requests.filter((r) => r.status !== 200), [], 'no request failed');
});

t.test('why the spelling matters: with ds=nocloud;s=http://… cloud-init 22.4 treats the seed as local', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'gen-userdata-nocloud-'));
  // Parsing only: nothing is fetched, so the URL is never contacted.
  const p = await probe('ds=nocloud;s=http://127.0.0.1:9/lab/worker-1/ root=/dev/vda', root, false);
  t.same(p.load_fill, { seedfrom: 'http://127.0.0.1:9/lab/worker-1/', dsmode: 'local' });
  t.equal(p.local_found, false, 'the local datasource refuses http seeds');
});

t.test('ds-identify control: without ds= on the command line, NoCloud is not found', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'gen-userdata-dsid-'));
  t.equal(await dsIdentifyNoCloud('root=/dev/vda console=ttyS0', root), '1');
});

// What users paste must fit where they paste it: AWS EC2 takes 16,384 bytes of
// user-data. A lab worker must fit raw; the lab control plane (CA keys and
// certificates, which do not compress, the node tools and the cluster verifier) at
// least as --compress gzip writes it (zlib -9, then zopfli when that is still over)
// with the keys new clusters get (ECDSA P-256). With RSA-2048 keys (secrets.yaml from
// before ECDSA) the init node's is over it even gzip'd, and the size report says so.
import t from 'tap';
import { gunzipSync, gzipSync } from 'node:zlib';
import { loadZopfli } from '../../src/cli/zopfli.js';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { buildClusterPlans, buildNodePlan } from '../../src/plan/build-node-plan.js';
import { emitUserData } from '../../src/emit/cloud-init/user-data.js';
import { emitIgnition } from '../../src/emit/ignition/emit-ignition.js';
import { loadProfile } from '../../src/profile/load-profile.js';
import type { Profile } from '../../src/profile/types.js';
import { syntheticProfile } from '../../src/bench/synthetic-profile.js';
import { utf8 } from '../../src/output/output-file.js';
import { commentSyntax } from '../../src/template/strip-comments.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const EC2_LIMIT = 16 * 1024;
const profile = profileAt('profiles/lab.yaml');
const secrets = fixtureSecrets('lab');
const templates = bundledTemplates();
const files = generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init'] });
const userData = files.filter((f) => f.path.endsWith('/user-data'));

t.test("lab workers' user-data fits AWS EC2's 16 KB raw", async (t) => {
  const workers = userData.filter((f) => f.role === 'worker');
  t.equal(workers.length, 2);
  for (const f of workers) t.ok(f.content.byteLength <= EC2_LIMIT, `${f.path}: ${f.content.byteLength} B raw`);
});

t.test("the lab control plane's user-data fits AWS EC2's 16 KB as --compress gzip writes it (ECDSA keys, the default)", async (t) => {
  const strongGzip = await loadZopfli();
  const request = { profile, secrets: fixtureSecrets('lab-ecdsa'), templates, formats: ['cloud-init'] as const };
  const userDataOf = (files: { path: string; role?: string; content: Uint8Array }[]) => files.find((f) => f.path.endsWith('/user-data') && f.role === 'control-plane')!.content;
  const plain = userDataOf(generateClusterFiles(request));
  const written = userDataOf(generateClusterFiles({ ...request, compress: 'gzip', strongGzip }));
  t.ok(written.byteLength <= EC2_LIMIT, `${written.byteLength} B gzip'd (zlib -9 alone: ${gzipSync(plain, { level: 9 }).byteLength} B)`);
  t.ok(gunzipSync(written).equals(plain), 'gunzips to the plain document');
});

t.test('no embedded script or config file carries full-line template comments', async (t) => {
  for (const target of ['cloud-init', 'flatcar'] as const) {
    for (const plan of buildClusterPlans(profile, secrets, templates, target)) {
      for (const f of plan.files) {
        const shell = f.content.startsWith('#!') || f.path.endsWith('.sh');
        if (!shell && commentSyntax(f.path) === undefined) continue;
        const comments = f.content.split('\n').filter((l, i) => /^\s*#/.test(l) && !(i === 0 && l.startsWith('#!')) && !/^\s*# shellcheck /.test(l) && !l.startsWith('# gen-userdata source: templates/'));
        t.same(comments, [], `${target} ${plan.node.name} ${f.path}`);
      }
    }
  }
});

t.test("a worker's output does not grow with the cluster: 10 and 2,000 nodes", async (t) => {
  const synthetic = (nodes: number, hostsEntries?: string): Profile => {
    let text = syntheticProfile(nodes);
    if (hostsEntries !== undefined) text = text.replace('  cidr: 172.16.0.0/16\n', `  cidr: 172.16.0.0/16\n  hostsEntries: ${hostsEntries}\n`);
    const r = loadProfile(text, 'synthetic.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    return r.value;
  };
  const sizes = (p: Profile, name: string) => {
    const node = p.nodes.find((n) => n.name === name)!;
    const ci = buildNodePlan({ profile: p, secrets, node, templates, target: 'cloud-init' });
    const fc = buildNodePlan({ profile: p, secrets, node, templates, target: 'flatcar' });
    return { userData: utf8(emitUserData(ci)).byteLength, ignition: utf8(emitIgnition(fc, { kubernetesVersion: p.cluster.kubernetesVersion, flatcar: p.flatcar })).byteLength };
  };
  const big = synthetic(2000);
  // Same-length names (node-0009, node-1999); the IPs differ by at most a few characters.
  const cases: [string, Profile, Profile][] = [
    ['hostsEntries control-planes', synthetic(10, 'control-planes'), synthetic(2000, 'control-planes')],
    ['the default (auto) above 50 nodes', synthetic(51), big],
  ];
  for (const [label, small, large] of cases) {
    const a = sizes(small, 'node-0009');
    const b = sizes(large, 'node-1999');
    t.ok(Math.abs(a.userData - b.userData) <= 8, `${label}: user-data ${a.userData} B vs ${b.userData} B`);
    // Ignition gzips its data URLs, so a different address compresses a few bytes differently.
    t.ok(Math.abs(a.ignition - b.ignition) <= 32, `${label}: config.ign ${a.ignition} B vs ${b.ignition} B`);
  }
  const all = sizes(synthetic(2000, 'all'), 'node-1999');
  t.ok(all.userData > sizes(big, 'node-1999').userData + 2000 * 20, 'the test can fail: hostsEntries all grows with the cluster');
});

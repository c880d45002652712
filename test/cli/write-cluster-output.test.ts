// writeClusterOutput builds the change plan from the stream itself, file by file; it
// must say exactly what diffing the previous manifest.json against the one it just
// wrote says (the way the plan was made before it stopped parsing its own manifest).
import t from 'tap';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Profile } from '../../src/profile/types.js';
import { writeClusterOutput } from '../../src/cli/write-cluster-output.js';
import { readPreviousManifest } from '../../src/cli/output-plan.js';
import { diffManifests, parseManifest } from '../../src/output/change-plan.js';
import { generateCluster } from '../../src/output/generate-cluster.js';
import type { OutputFormat } from '../../src/output/output-file.js';
import { bundledTemplates, fixtureSecrets, outWithFixtureSecrets, profileAt } from '../helpers/fixtures.js';

const lab = profileAt('profiles/lab.yaml');
const secrets = fixtureSecrets('lab');
const templates = bundledTemplates();
const withNode = (p: Profile, name: string, ip: string): Profile => ({ ...structuredClone(p), nodes: [...p.nodes, { name, role: 'worker', ip, arch: 'amd64' }] });
const without = (p: Profile, name: string): Profile => ({ ...structuredClone(p), nodes: p.nodes.filter((n) => n.name !== name) });

t.test('the streamed plan equals the diff of the manifests, run after run', async (t) => {
  const out = outWithFixtureSecrets('lab');
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const dir = join(out, 'lab');
  const runs: [string, Profile, OutputFormat[]][] = [
    ['first run', lab, ['cloud-init']],
    ['no change', lab, ['cloud-init']],
    ['a node added, iso newly written', withNode(lab, 'worker-3', '192.168.56.104'), ['cloud-init', 'iso']],
    ['a node removed, iso no longer written', without(lab, 'worker-2'), ['cloud-init', 'ignition']],
  ];
  for (const [label, profile, formats] of runs) {
    const previous = readPreviousManifest(dir);
    const { plan } = writeClusterOutput(dir, generateCluster({ profile, secrets, templates, formats }), { dryRun: false });
    const written = parseManifest(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    t.ok(written, `${label}: manifest.json written`);
    t.same(plan, diffManifests(previous, written!), `${label}: same plan as diffing the manifests`);
    t.equal(plan.firstRun, label === 'first run');
  }
});

t.test('a stream without manifest.json is refused and nothing is replaced', async (t) => {
  const out = outWithFixtureSecrets('lab');
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const files = [...generateCluster({ profile: lab, secrets, templates, formats: ['cloud-init'] })].filter((f) => f.path !== 'manifest.json');
  t.throws(() => writeClusterOutput(join(out, 'lab'), files, { dryRun: false }), /no manifest\.json/);
  t.equal(readPreviousManifest(join(out, 'lab')), undefined, 'no manifest.json appeared');
});

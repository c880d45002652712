import t from 'tap';
import { join } from 'node:path';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { ROOT, bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';
import { compareGolden } from '../helpers/golden.js';

const profile = profileAt('profiles/lab.yaml');
const secrets = fixtureSecrets('lab');
const templates = bundledTemplates();

t.test('lab output matches the golden files byte for byte', async (t) => {
  const files = generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init', 'iso'] });
  compareGolden(t, join(ROOT, 'test', 'golden', 'lab'), new Map(files.map((f) => [f.path, f.content])));
});

t.test('generation is deterministic', async (t) => {
  const a = generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init', 'iso'] });
  const b = generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init', 'iso'] });
  t.same(a.map((f) => f.path), b.map((f) => f.path));
  for (let i = 0; i < a.length; i++) t.ok(Buffer.from(a[i]!.content).equals(Buffer.from(b[i]!.content)), `${a[i]!.path} identical`);
});

t.test('secret-bearing outputs are 0600, and the manifest lists every other file', async (t) => {
  const files = generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init', 'iso'] });
  for (const f of files) {
    if (/secrets\.yaml$|admin\.conf$|user-data$|seed\.iso$/.test(f.path)) t.equal(f.mode, 0o600, `${f.path} is 0600`);
  }
  const manifest = JSON.parse(Buffer.from(files.find((f) => f.path === 'manifest.json')!.content).toString('utf8')) as {
    files: { path: string; node?: string; role?: string; bytes: number; sha256: string }[];
  };
  t.same(manifest.files.map((f) => f.path), files.filter((f) => f.path !== 'manifest.json').map((f) => f.path).sort());
  const ud = manifest.files.find((f) => f.path === 'nodes/worker-1/user-data');
  t.equal(ud?.node, 'worker-1');
  t.equal(ud?.role, 'worker');
  t.match(ud?.sha256, /^[0-9a-f]{64}$/);
});

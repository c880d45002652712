// What users paste must fit where they paste it: AWS EC2 takes 16,384 bytes of
// user-data. A lab worker must fit raw; the lab control plane (CA keys and
// certificates, which do not compress) at least gzip'd (--compress gzip).
import t from 'tap';
import { gzipSync } from 'node:zlib';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
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

t.test("the lab control plane's user-data fits AWS EC2's 16 KB gzip -9", async (t) => {
  // With the default keys (ECDSA P-256). With RSA keys and the node tools (etcd
  // backup, certificate renewal, diag, reset, join-command) it is ~18 KB gzip -9:
  // the size report then names the seed ISO or HTTP seed as the way in.
  const ecdsa = generateClusterFiles({ profile, secrets: fixtureSecrets('lab-ecdsa'), templates, formats: ['cloud-init'] });
  const cp = ecdsa.filter((f) => f.role === 'control-plane' && f.path.endsWith('/user-data'));
  t.equal(cp.length, 1);
  for (const f of cp) {
    const gz = gzipSync(f.content, { level: 9 }).byteLength;
    t.ok(gz <= EC2_LIMIT, `${f.path}: ${gz} B gzip -9`);
  }
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

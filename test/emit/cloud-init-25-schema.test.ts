// Every recorded user-data and network-config (the golden files of every bundled
// and fixture profile) checked with cloud-init 22.4 (Debian 12) and 25.1
// (Debian 13, unpacked from its package): no errors, no deprecations. Plus proof
// that the check fails on both.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { cloudInitReleases, missingCloudInit25, runSchema, schemaProblems, assertCloudConfigValid } from '../helpers/cloud-init-schema.js';
import { REPO_ROOT } from '../helpers/vm-image.js';

const GOLDEN = join(REPO_ROOT, 'test', 'golden');

function find(dir: string, name: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...find(p, name));
    else if (e.name === name) out.push(p);
  }
  return out.sort();
}

const missing = missingCloudInit25();
if (missing) {
  t.fail(missing);
} else {
  t.test('cloud-init 25 is the Debian 13 release', async (t) => {
    const [cmd, ...pre] = cloudInitReleases()[1]!.command;
    const v = spawnSync(cmd, [...pre, '--version'], { encoding: 'utf8', env: cloudInitReleases()[1]!.env });
    t.match(`${v.stdout}${v.stderr}`, /\b25\.1\.\d+/);
  });

  t.test('every golden user-data: valid for 22.4 and 25.1, no deprecations', async (t) => {
    const files = find(GOLDEN, 'user-data');
    t.ok(files.length >= 18, `${files.length} user-data files`);
    for (const file of files) assertCloudConfigValid(t, file, relative(GOLDEN, file));
  });

  t.test('every golden network-config: valid v2 for 25.1', async (t) => {
    const files = find(GOLDEN, 'network-config');
    t.ok(files.length >= 18, `${files.length} network-config files`);
    for (const file of files) {
      const r = runSchema(cloudInitReleases()[1]!, file, 'network-config');
      t.same(schemaProblems(r), [], relative(GOLDEN, file), { output: r.output });
    }
  });

  t.test('the check fails on an error and on a deprecation, with both releases', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-ci25-'));
    const deprecated = join(dir, 'deprecated');
    writeFileSync(deprecated, '#cloud-config\napt_update: true\n');
    const invalid = join(dir, 'invalid');
    writeFileSync(invalid, '#cloud-config\nruncmd: 5\n');
    for (const release of cloudInitReleases()) {
      const dep = runSchema(release, deprecated);
      t.equal(dep.status, 0, `${release.label} exits 0 on a deprecation alone`);
      t.same(schemaProblems(dep), ['deprecation'], `${release.label}: the deprecation is caught`, { output: dep.output });
      const bad = runSchema(release, invalid);
      t.ok(schemaProblems(bad).includes(`exit ${bad.status}`) && bad.status !== 0, `${release.label}: the error is caught`, { output: bad.output });
    }
    const badNet = join(dir, 'net');
    writeFileSync(badNet, 'network:\n  version: 2\n  ethernets:\n    eth0:\n      dhcp4: maybe\n');
    t.not(runSchema(cloudInitReleases()[1]!, badNet, 'network-config').status, 0, '25.1 rejects a bad network-config');
  });
}

import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planUpgrade, upgradeOrder, type UpgradeTarget } from '../../src/upgrade/upgrade-plan.js';
import { loadProfile } from '../../src/profile/load-profile.js';
import { setKubernetesVersion } from '../../src/profile/set-kubernetes-version.js';
import { utf8 } from '../../src/output/output-file.js';
import { ROOT, bundledTemplates } from '../helpers/fixtures.js';
import { compareGolden } from '../helpers/golden.js';
import { readFileSync } from 'node:fs';
import type { Profile } from '../../src/profile/types.js';

const templates = bundledTemplates();

/** A bundled profile, at `version` instead of its own. */
function profileAtVersion(name: 'lab' | 'ha', version: string): Profile {
  const file = join(ROOT, 'profiles', `${name}.yaml`);
  const text = setKubernetesVersion(readFileSync(file, 'utf8'), version);
  const r = loadProfile(text ?? '', file);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

const CASES: { cluster: 'lab' | 'ha'; from: string; to: string; target: UpgradeTarget }[] = [
  { cluster: 'lab', from: '1.30.0', to: '1.30.6', target: 'apt' },
  { cluster: 'lab', from: '1.30.0', to: '1.31.2', target: 'apt' },
  { cluster: 'lab', from: '1.31.2', to: '1.32.0', target: 'apt' },
  { cluster: 'ha', from: '1.30.0', to: '1.30.6', target: 'apt' },
  { cluster: 'ha', from: '1.30.0', to: '1.31.2', target: 'apt' },
  { cluster: 'ha', from: '1.31.2', to: '1.32.0', target: 'apt' },
  { cluster: 'lab', from: '1.30.0', to: '1.31.2', target: 'flatcar' },
];

for (const c of CASES) {
  t.test(`${c.cluster} ${c.from} -> ${c.to} (${c.target}) matches the golden files`, async (t) => {
    const files = planUpgrade({ profile: profileAtVersion(c.cluster, c.to), from: c.from, to: c.to, target: c.target, templates });
    const dir = join(ROOT, 'test', 'golden', 'upgrade', c.cluster, `${c.from}-to-${c.to}${c.target === 'flatcar' ? '-flatcar' : ''}`);
    compareGolden(t, dir, new Map(files.map((f) => [f.path, utf8(f.content)])));
    // Every script passes shellcheck.
    const scratch = mkdtempSync(join(tmpdir(), 'gen-userdata-upgrade-sc-'));
    for (const f of files.filter((f) => f.path.endsWith('.sh'))) {
      const path = join(scratch, f.path);
      writeFileSync(path, f.content);
      const sc = spawnSync('shellcheck', ['-s', 'bash', path], { encoding: 'utf8' });
      t.equal(sc.status, 0, `shellcheck ${f.path}: ${sc.stdout}${sc.stderr}`);
    }
  });
}

t.test('order: the first control plane, the other control planes, then the workers', async (t) => {
  const ha = profileAtVersion('ha', '1.31.2');
  t.same(upgradeOrder(ha).map((n) => n.name), ['cp-1', 'cp-2', 'cp-3', 'worker-1', 'worker-2', 'worker-3']);
  const files = planUpgrade({ profile: ha, from: '1.30.0', to: '1.31.2', target: 'apt', templates });
  const script = (node: string): string => files.find((f) => f.path === `upgrade-${node}.sh`)!.content;
  t.match(script('cp-1'), /kubeadm upgrade plan "\$TAG"\n  kubeadm upgrade apply "\$TAG" -y/);
  t.notMatch(script('cp-2'), /upgrade apply/);
  t.match(script('cp-2'), /kubeadm upgrade node/);
  t.match(script('worker-1'), /phase=\$\{1:-node\}/, 'a worker runs its node phase by default');
  t.match(script('cp-2'), /phase=\$\{1:-all\}/);
  // Minor upgrade: the repo track switches to v1.31; a patch upgrade keeps the track.
  t.match(script('worker-1'), /upgrade_step repo-track/);
  t.match(script('worker-1'), /pkgs\.k8s\.io\/core:\/stable:\/v1\.31\/deb\//);
  const patch = planUpgrade({ profile: profileAtVersion('ha', '1.30.6'), from: '1.30.0', to: '1.30.6', target: 'apt', templates });
  t.notMatch(patch.find((f) => f.path === 'upgrade-worker-1.sh')!.content, /upgrade_step repo-track/);
  // No revision is hard-coded: it comes from apt-cache madison.
  for (const f of files) t.notMatch(f.content, /1\.31\.2-1\.1/, `${f.path} hard-codes no package revision`);
});

t.test('refuses a step that is not a patch or next-minor upgrade', async (t) => {
  const p = profileAtVersion('lab', '1.32.0');
  t.throws(() => planUpgrade({ profile: p, from: '1.30.0', to: '1.32.0', target: 'apt', templates }), /not an upgrade step/);
});

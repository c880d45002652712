// The containerd-config step's check of the effective sandbox image, run in bash with
// stand-in systemctl/containerd: an exact string comparison on containerd 1.x and 2.x
// dumps, and the profile's value stays data even if validation were bypassed.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Profile } from '../../src/profile/types.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const templates = bundledTemplates();
const secrets = fixtureSecrets('lab');

function runCheck(image: string, dump: string): { status: number | null; out: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-sandbox-'));
  const p: Profile = structuredClone(profileAt('profiles/lab.yaml'));
  p.runtime.sandboxImage = image;
  const step = buildClusterPlans(p, secrets, templates, 'cloud-init')[0]!.bootstrap.steps.find((s) => s.name === 'containerd-config')!;
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(dir, 'dump'), dump);
  const stubs: Record<string, string> = {
    systemctl: 'exit 0',
    sleep: 'exit 0',
    containerd: `cat ${JSON.stringify(join(dir, 'dump'))}`,
    touch: `printf '%s\\n' "$*" >>${JSON.stringify(join(dir, 'touched'))}`,
  };
  for (const [name, body] of Object.entries(stubs)) {
    writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const script = `set -Eeuo pipefail\nlog() { printf '%s\\n' "$*"; }\nstep() {\n${step.body}\n}\nstep\n`;
  const r = spawnSync('bash', ['--norc', '-c', script], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` } });
  return { status: r.status, out: r.stdout + r.stderr, dir };
}

const v1 = (image: string): string => `version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "${image}"\n  SystemdCgroup = true\n`;
const v2 = (image: string): string => `version = 3\n[plugins.'io.containerd.cri.v1.images'.pinned_images]\n  sandbox = '${image}'\n  SystemdCgroup = true\n`;

t.test('the configured image must equal the expected one exactly', async (t) => {
  for (const dump of [v1, v2]) {
    const ok = runCheck('registry.k8s.io/pause:3.9', dump('registry.k8s.io/pause:3.9'));
    t.equal(ok.status, 0, ok.out);
    t.match(ok.out, 'sandbox registry.k8s.io/pause:3.9');
    for (const other of ['registry.k8s.io/pause:3.90', 'registry.k8s.io/pause:3', 'registryXk8s.io/pause:3.9']) {
      const bad = runCheck('registry.k8s.io/pause:3.9', dump(other));
      t.not(bad.status, 0, `${other} is not registry.k8s.io/pause:3.9`);
      t.match(bad.out, `containerd sandbox image is ${other}, not registry.k8s.io/pause:3.9`);
    }
  }
});

t.test('a hostile image value is compared and logged as text, never run', async (t) => {
  const hostile = 'registry.k8s.io/pause:3.9$(touch /tmp/pwned)`touch /tmp/pwned`"\'';
  const r = runCheck(hostile, v1('registry.k8s.io/pause:3.9'));
  t.not(r.status, 0);
  t.ok(r.out.includes(`not ${hostile}`), r.out);
  t.notOk(existsSync(join(r.dir, 'touched')), 'touch never ran');
});

// detect_arch (the shared shell library) and the bootstrap's arch step, run in bash
// against stand-in `uname -m` values: each detection branch, and the step's verdict for
// a node with a declared arch and one with arch auto.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMAGE_LIBRARY_PARTS, renderShellLibrary } from '../../src/plan/shell-library.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import type { NodeArch } from '../../src/profile/types.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const templates = bundledTemplates();
const library = renderShellLibrary(templates, IMAGE_LIBRARY_PARTS);

/** Runs `code` after sourcing the library, with `uname` answering `machine` to -m. */
function withMachine(machine: string, code: string): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-arch-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'uname'), `#!/bin/bash\n[ "$1" = -m ] && { echo ${JSON.stringify(machine)}; exit 0; }\nexit 1\n`);
  chmodSync(join(bin, 'uname'), 0o755);
  writeFileSync(join(dir, 'common.sh'), library);
  const r = spawnSync('bash', ['--norc', '-c', `set -Eeuo pipefail\n. ${JSON.stringify(join(dir, 'common.sh'))}\n${code}`], {
    encoding: 'utf8',
    env: { PATH: `${bin}:/usr/bin:/bin` },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

t.test('detect_arch: every uname -m branch', async (t) => {
  const cases: [string, string | undefined][] = [
    ['x86_64', 'amd64'],
    ['amd64', 'amd64'],
    ['aarch64', 'arm64'],
    ['arm64', 'arm64'],
    ['armv7l', undefined],
    ['armv8l', undefined], // a 32-bit userland on a 64-bit CPU: no arm64 binaries run there
    ['riscv64', undefined],
    ['i686', undefined],
  ];
  for (const [machine, want] of cases) {
    const r = withMachine(machine, 'detect_arch');
    if (want === undefined) {
      t.not(r.status, 0, `${machine}: refused`);
      t.match(r.stderr, `unsupported machine type ${machine}`);
      t.equal(r.stdout, '');
    } else {
      t.equal(r.status, 0, `${machine}: ${r.stderr}`);
      t.equal(r.stdout, `${want}\n`, `${machine} is ${want}`);
    }
  }
});

function archStepBody(arch: NodeArch): string {
  const p = structuredClone(profileAt('profiles/lab.yaml'));
  for (const n of p.nodes) n.arch = arch;
  return buildClusterPlans(p, fixtureSecrets('lab'), templates, 'cloud-init')[1]!.bootstrap.steps.find((s) => s.name === 'arch')!.body;
}

t.test('the arch step: a declared arch must match, auto takes what it finds', async (t) => {
  const step = (arch: NodeArch) => `step() {\n${archStepBody(arch)}\n}\nstep`;
  t.equal(withMachine('aarch64', step('arm64')).status, 0, 'arm64 node on aarch64');
  const wrong = withMachine('x86_64', step('arm64'));
  t.not(wrong.status, 0, 'arm64 node booted on x86_64');
  t.match(wrong.stderr, 'this machine is amd64 (uname -m: x86_64), but the profile gives this node arch arm64');
  t.not(withMachine('aarch64', step('amd64')).status, 0, 'amd64 node booted on aarch64');
  for (const m of ['x86_64', 'aarch64']) {
    const r = withMachine(m, step('auto'));
    t.equal(r.status, 0, `auto on ${m}`);
    t.match(r.stderr, /architecture: (amd64|arm64)/);
  }
  t.not(withMachine('armv7l', step('auto')).status, 0, 'auto still refuses an unsupported machine');
});

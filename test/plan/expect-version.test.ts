// expect_version from the shipped shell library, run in bash against what the real
// tools print: the exact version must match (v1.30.1 is not v1.30.14), and the log
// names the version the tool reported.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { IMAGE_LIBRARY_PARTS, renderShellLibrary } from '../../src/plan/shell-library.js';
import { bundledTemplates } from '../helpers/fixtures.js';

const library = renderShellLibrary(bundledTemplates(), IMAGE_LIBRARY_PARTS);

function check(expected: string, output: string): { status: number | null; out: string } {
  const script = `${library}\nset -Eeuo pipefail\nexpect_version tool "$1" "$2"\necho after\n`;
  const r = spawnSync('bash', ['--norc', '-c', script, 'test', expected, output], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
  return { status: r.status, out: r.stdout + r.stderr };
}

const outputs = (v: string): Record<string, string> => ({
  'kubeadm version -o short': `v${v}\n`,
  'kubelet --version': `Kubernetes v${v}\n`,
  'kubectl version --client': `Client Version: v${v}\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\n`,
  'kubectl version --client (before 1.28)': `Client Version: version.Info{Major:"1", Minor:"30", GitVersion:"v${v}", GitCommit:"abc"}\n`,
});

t.test('the exact version passes and is logged as reported', async (t) => {
  for (const [tool, output] of Object.entries(outputs('1.30.1'))) {
    const r = check('v1.30.1', output);
    t.equal(r.status, 0, `${tool}: ${r.out}`);
    t.match(r.out, /tool: v1\.30\.1\n/, tool);
    t.match(r.out, 'after');
  }
});

t.test('a longer patch, a pre-release or another version fails and names what the tool reported', async (t) => {
  for (const version of ['1.30.14', '1.30.10', '1.30.1-rc.0', '1.30.1+build', '1.31.1', '11.30.1']) {
    for (const [tool, output] of Object.entries(outputs(version))) {
      const r = check('v1.30.1', output);
      t.not(r.status, 0, `${tool} printing v${version}`);
      t.match(r.out, `version mismatch for tool: expected v1.30.1, got v${version}`, tool);
      t.notMatch(r.out, 'after');
    }
  }
});

t.test('output without any version fails cleanly', async (t) => {
  const r = check('v1.30.1', 'command not found\n');
  t.not(r.status, 0);
  t.match(r.out, 'got no version from: command not found');
});

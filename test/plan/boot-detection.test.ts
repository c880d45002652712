// The bootstrap's boot-time detection, run in bash from the rendered shell library
// against fixture files in a temporary directory (nothing on this machine is read):
// detect_os on /etc/os-release files of Debian 12, 13 and testing, Ubuntu 22.04 and
// 24.04, Flatcar, Raspbian and Rocky (test/fixtures/os-release; the Debian ones
// from Debian's base-files packages), and write_kubelet_patch with and without
// systemd-resolved's resolv.conf. Plus the bootstrap's guard that refuses a
// non-Debian system, run as rendered.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderShellLibrary } from '../../src/plan/shell-library.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';
import { REPO_ROOT } from '../helpers/vm-image.js';

const templates = bundledTemplates();
const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-detect-'));
const library = join(dir, 'common.sh');
writeFileSync(library, renderShellLibrary(templates, { controlPlane: true, kubeVip: false }));
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'os-release');

/** Runs `script` in bash with the library sourced; stdout+stderr and the exit status. */
function sh(script: string, args: string[] = []): { status: number | null; out: string } {
  const r = spawnSync('bash', ['--norc', '-c', `set -Eeuo pipefail\n. "$LIB"\n${script}`, '_', ...args], {
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin', LIB: library },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function detect(file: string): { status: number | null; out: string } {
  return sh('rc=0; detect_os "$1" || rc=$?; printf "%s|%s|%s|%s" "$OS_ID" "$OS_VERSION_ID" "$OS_FAMILY" "$rc"', [file]);
}

t.test('detect_os reads ID, VERSION_ID and the family from each os-release', async (t) => {
  const cases: [string, string][] = [
    ['debian-12', 'debian|12|debian|0'],
    ['debian-13', 'debian|13|debian|0'],
    ['debian-sid', 'debian||debian|0'],
    ['ubuntu-22.04', 'ubuntu|22.04|debian|0'],
    ['ubuntu-24.04', 'ubuntu|24.04|debian|0'],
    ['raspbian-12', 'raspbian|12|debian|0'],
    ['flatcar', 'flatcar|4230.2.3|flatcar|0'],
    ['rocky-9', 'rocky|9.4|rocky|0'],
  ];
  for (const [fixture, want] of cases) {
    const r = detect(join(FIXTURES, fixture));
    t.equal(r.out, want, fixture);
  }
});

t.test('detect_os: a missing file, a file without ID, no final newline, values never run', async (t) => {
  t.equal(detect(join(dir, 'absent')).out, '|||1', 'missing file: empty values, status 1');
  const noId = join(dir, 'no-id');
  writeFileSync(noId, 'NAME="Something"\nVERSION_ID=1\n');
  t.equal(detect(noId).out, '|1||1', 'no ID: status 1');
  const noNewline = join(dir, 'no-newline');
  writeFileSync(noNewline, 'VERSION_ID="24.04"\nID=ubuntu');
  t.equal(detect(noNewline).out, 'ubuntu|24.04|ubuntu|0', 'the last line counts without a newline (no ID_LIKE: family is the ID)');
  const hostile = join(dir, 'hostile');
  const marker = join(dir, 'pwned');
  writeFileSync(hostile, `ID="$(touch ${marker})"\nID_LIKE=\`touch ${marker}\`\nVERSION_ID=13; touch ${marker}\n`);
  detect(hostile);
  t.notOk(existsSync(marker), 'the file is read, never sourced');
  const like = join(dir, 'like-suffix');
  writeFileSync(like, 'ID=foo\nID_LIKE="notdebian debianish"\n');
  t.equal(detect(like).out, 'foo||foo|0', 'only the whole word debian makes the family');
});

t.test('write_kubelet_patch: resolved upstream list when present, else /etc/resolv.conf', async (t) => {
  const resolved = join(dir, 'run-resolve-resolv.conf');
  writeFileSync(resolved, 'nameserver 192.0.2.53\n');
  const withResolved = join(dir, 'patches-resolved');
  const a = sh('write_kubelet_patch "$1" "$2"', [withResolved, resolved]);
  t.equal(a.status, 0, a.out);
  t.equal(readFileSync(join(withResolved, 'kubeletconfiguration+merge.yaml'), 'utf8'), `resolvConf: ${resolved}\n`);
  t.match(a.out, `kubelet resolvConf: ${resolved}`);

  const without = join(dir, 'patches-plain');
  const b = sh('write_kubelet_patch "$1" "$2"', [without, join(dir, 'no-resolved')]);
  t.equal(b.status, 0, b.out);
  t.equal(readFileSync(join(without, 'kubeletconfiguration+merge.yaml'), 'utf8'), 'resolvConf: /etc/resolv.conf\n');

  // Without the second argument it looks at systemd-resolved's real path.
  const defaultPath = sh('type write_kubelet_patch');
  t.match(defaultPath.out, 'resolved=${2:-/run/systemd/resolve/resolv.conf}');
});

t.test('the bootstrap runs detect_os on /etc/os-release and stops on a non-Debian system (Flatcar\'s on a non-Flatcar one)', async (t) => {
  const plans = buildClusterPlans(profileAt('profiles/lab.yaml'), fixtureSecrets('lab'), templates, 'cloud-init');
  const bootstrap = plans[0]!.files.find((f) => f.path === plans[0]!.bootstrap.scriptPath)!.content;
  const start = bootstrap.indexOf('detect_os /etc/os-release');
  const end = bootstrap.indexOf('\nfi\n', start);
  t.ok(start > 0 && end > start, 'the guard is in the bootstrap, before the steps');
  t.ok(start < bootstrap.indexOf('run_step hostname'), 'before the first step');
  const guard = bootstrap.slice(start, end + 4);
  for (const [fixture, ok] of [['debian-13', true], ['ubuntu-24.04', true], ['raspbian-12', true], ['rocky-9', false], ['flatcar', false]] as const) {
    const failure = join(dir, `failed-${fixture}`);
    const r = sh(`FAILURE_MARKER=$2\n${guard.replace('/etc/os-release', '"$1"')}\necho continued`, [join(FIXTURES, fixture), failure]);
    if (ok) {
      t.equal(r.status, 0, `${fixture}: runs`);
      t.match(r.out, 'continued');
    } else {
      t.equal(r.status, 1, `${fixture}: stops`);
      t.notMatch(r.out, 'continued');
      t.equal(readFileSync(failure, 'utf8'), 'os\n', `${fixture}: the failure marker names os`);
      t.match(r.out, 'for Flatcar use --format ignition');
    }
  }
  const flatcar = buildClusterPlans(profileAt('profiles/lab.yaml'), fixtureSecrets('lab'), templates, 'flatcar')[0]!;
  const flatcarScript = flatcar.files.find((f) => f.path === flatcar.bootstrap.scriptPath)!.content;
  t.match(flatcarScript, 'detect_os /etc/os-release', 'Flatcar logs the OS too');
  t.notMatch(flatcarScript, 'for Flatcar use --format ignition', 'but has no Debian guard');
  // Its own guard: Ignition output booted on something else stops before any step.
  const fStart = flatcarScript.indexOf('detect_os /etc/os-release');
  const fGuard = flatcarScript.slice(fStart, flatcarScript.indexOf('\nfi\n', fStart) + 4);
  t.ok(fStart < flatcarScript.indexOf('run_step '), 'the Flatcar guard comes before the steps');
  for (const [fixture, ok] of [['flatcar', true], ['debian-12', false], ['ubuntu-24.04', false]] as const) {
    const failure = join(dir, `flatcar-failed-${fixture}`);
    const r = sh(`FAILURE_MARKER=$2\n${fGuard.replace('/etc/os-release', '"$1"')}\necho continued`, [join(FIXTURES, fixture), failure]);
    if (ok) {
      t.equal(r.status, 0, `Flatcar bootstrap on ${fixture}: runs`);
    } else {
      t.equal(r.status, 1, `Flatcar bootstrap on ${fixture}: stops`);
      t.equal(readFileSync(failure, 'utf8'), 'os\n');
      t.match(r.out, 'Debian and Ubuntu nodes take --format cloud-init');
    }
  }
});

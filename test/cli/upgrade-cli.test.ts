// `gen-userdata upgrade` end to end: the version step checks, the files it writes,
// and --write-profile, which must change nothing in the profile but the version.
import t from 'tap';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, fileMode, runCli } from '../helpers/fixtures.js';
import { userDataFiles } from '../helpers/cloud-init-files.js';

/** A temp dir with a copy of the bundled lab profile (1.30.0) as ./lab.yaml. */
function labCopy(): { dir: string; profile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-upgrade-cli-'));
  const profile = join(dir, 'lab.yaml');
  copyFileSync(join(ROOT, 'profiles', 'lab.yaml'), profile);
  return { dir, profile };
}

t.test('a minor upgrade writes the scripts, ORDER, README and run-upgrade.sh', async (t) => {
  const { dir, profile } = labCopy();
  const before = readFileSync(profile, 'utf8');
  const r = runCli(['upgrade', '--profile', profile, '--out', join(dir, 'out'), '--to', 'v1.31.2']);
  t.equal(r.status, 0, r.stderr);
  const up = join(dir, 'out', 'lab', 'upgrade', '1.30.0-to-1.31.2');
  t.same(readdirSync(up).sort(), ['ORDER', 'README.md', 'run-upgrade.sh', 'upgrade-control-plane.sh', 'upgrade-worker-1.sh', 'upgrade-worker-2.sh']);
  t.equal(fileMode(join(up, 'upgrade-worker-1.sh')), '755');
  t.equal(fileMode(join(up, 'run-upgrade.sh')), '755');
  t.match(r.stdout, /the profile still says 1\.30\.0/);
  t.equal(readFileSync(profile, 'utf8'), before, 'without --write-profile the profile is untouched');
  // run-upgrade.sh --dry-run walks ORDER: workers drained and uncordoned from the control plane.
  const { spawnSync } = await import('node:child_process');
  const dry = spawnSync('bash', [join(up, 'run-upgrade.sh'), '--dry-run'], { encoding: 'utf8' });
  t.equal(dry.status, 0, dry.stderr);
  t.same(dry.stdout.trim().split('\n'), [
    '==> 192.168.56.101: upgrade-control-plane.sh all',
    '==> 192.168.56.101: upgrade-worker-1.sh drain',
    '==> 192.168.56.102: upgrade-worker-1.sh node',
    '==> 192.168.56.101: upgrade-worker-1.sh uncordon',
    '==> 192.168.56.101: upgrade-worker-2.sh drain',
    '==> 192.168.56.103: upgrade-worker-2.sh node',
    '==> 192.168.56.101: upgrade-worker-2.sh uncordon',
    'cluster lab upgraded to 1.31.2',
  ]);
});

t.test('run-upgrade.sh runs each script over ssh with sudo and stops at the first failure', async (t) => {
  const { dir, profile } = labCopy();
  t.equal(runCli(['upgrade', '--profile', profile, '--out', join(dir, 'out'), '--to', '1.30.6']).status, 0);
  const up = join(dir, 'out', 'lab', 'upgrade', '1.30.0-to-1.30.6');
  // A fake ssh: records its arguments and the script's header line; fails for worker-1's node phase.
  const fake = join(dir, 'fake-ssh');
  writeFileSync(fake, `#!/bin/bash\nprintf '%s | %s\\n' "$*" "$(sed -n 2p)" >>${join(dir, 'ssh.log')}\n[ "$*" != "kube@192.168.56.102 sudo bash -s -- node" ]\n`, { mode: 0o755 });
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync('bash', [join(up, 'run-upgrade.sh')], { encoding: 'utf8', env: { ...process.env, SSH: fake } });
  t.equal(r.status, 1, 'stops with an error');
  const calls = readFileSync(join(dir, 'ssh.log'), 'utf8').trim().split('\n');
  t.equal(calls.length, 3, calls.join('\n'));
  t.match(calls[0], /^kube@192\.168\.56\.101 sudo bash -s -- all \| # gen-userdata upgrade of control-plane/);
  t.match(calls[1], /^kube@192\.168\.56\.101 sudo bash -s -- drain \| # gen-userdata upgrade of worker-1/);
  t.match(calls[2], /^kube@192\.168\.56\.102 sudo bash -s -- node \| # gen-userdata upgrade of worker-1/);
});

t.test('refused steps: exit 1, both versions named, nothing written', async (t) => {
  const cases: [string, RegExp][] = [
    ['1.29.9', /1\.30\.0 → 1\.29\.9 is a downgrade/],
    ['1.32.0', /1\.30\.0 → 1\.32\.0 skips a minor version/],
    ['1.30.0', /already at 1\.30\.0/],
    ['2.0.0', /1\.30\.0 → 2\.0\.0 changes the major version/],
    ['1.31', /--to 1\.31: not a Kubernetes version x\.y\.z \(the profile has 1\.30\.0\)/],
  ];
  for (const [to, message] of cases) {
    const { dir, profile } = labCopy();
    const r = runCli(['upgrade', '--profile', profile, '--out', join(dir, 'out'), '--to', to]);
    t.equal(r.status, 1, `--to ${to}`);
    t.match(r.stderr, message);
    t.match(r.stderr, /lab\.yaml:20:22: error\[[a-z-]+\] \/cluster\/kubernetesVersion/, 'points at the version in the profile');
    t.notOk(existsSync(join(dir, 'out')), 'nothing written');
  }
});

t.test('an unknown target minor is refused; an unknown current version only warns', async (t) => {
  const { dir, profile } = labCopy();
  writeFileSync(profile, readFileSync(profile, 'utf8').replace('kubernetesVersion: 1.30.0', 'kubernetesVersion: 1.34.1'));
  const r = runCli(['upgrade', '--profile', profile, '--out', join(dir, 'out'), '--to', '1.35.0']);
  t.equal(r.status, 1);
  t.match(r.stderr, /does not support Kubernetes 1\.35\.0/);
  writeFileSync(profile, readFileSync(profile, 'utf8').replace('kubernetesVersion: 1.34.1', 'kubernetesVersion: 1.26.3'));
  const old = runCli(['upgrade', '--profile', profile, '--out', join(dir, 'out'), '--to', '1.27.16']);
  t.equal(old.status, 0, old.stderr);
  t.match(old.stderr, /warning\[unknown-kubernetes-version\] \/cluster\/kubernetesVersion: the profile's Kubernetes 1\.26\.3 is unknown to the generator/);
  t.ok(existsSync(join(dir, 'out', 'lab', 'upgrade', '1.26.3-to-1.27.16', 'ORDER')));
});

t.test('--write-profile changes only the version: comments, layout and quoting stay', async (t) => {
  const { dir, profile } = labCopy();
  // Quoted value and a trailing comment on the same line.
  const original = readFileSync(profile, 'utf8').replace('kubernetesVersion: 1.30.0', 'kubernetesVersion: "1.30.0"   # pinned; see the upgrade notes');
  writeFileSync(profile, original);
  const r = runCli(['upgrade', '--profile', profile, '--out', join(dir, 'out'), '--to', '1.31.2', '--write-profile']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /cluster\.kubernetesVersion 1\.30\.0 -> 1\.31\.2/);
  const updated = readFileSync(profile, 'utf8');
  const at = original.indexOf('"1.30.0"');
  t.equal(updated.slice(0, at), original.slice(0, at), 'every byte before the version is the same');
  t.equal(updated.slice(at, at + 8), '"1.31.2"');
  t.equal(updated.slice(at + 8), original.slice(at + 8), 'every byte after the version is the same');
  // Generating from it now gives kubeadm's v1beta4 API (1.31) and the v1.31 package track.
  const gen = runCli(['--profile', profile, '--out', join(dir, 'out'), '--allow-version-skew']);
  t.equal(gen.status, 0, gen.stderr);
  const ud = userDataFiles(readFileSync(join(dir, 'out', 'lab', 'nodes', 'worker-1', 'user-data'), 'utf8'));
  const kubeadmConfig = ud.get('/etc/kubernetes/gen-userdata/kubeadm-config.yaml') ?? '';
  t.match(kubeadmConfig, /apiVersion: kubeadm\.k8s\.io\/v1beta4/);
  t.notMatch(kubeadmConfig, /v1beta3/);
  t.match(ud.get('/usr/local/sbin/gen-userdata-bootstrap'), /stable:\/v1\.31\/deb/);
});

t.test('--write-profile refuses a bundled profile (it would edit the installed package)', async (t) => {
  const r = runCli(['upgrade', '--profile', 'lab', '--out', mkdtempSync(join(tmpdir(), 'gen-userdata-upgrade-cli-')), '--to', '1.31.2', '--write-profile']);
  t.equal(r.status, 2);
  t.match(r.stderr, /bundled profile; copy .*lab\.yaml and pass its path/);
});

t.test('the skew guard: a changed version is explained, and a skew new nodes cannot join is refused', async (t) => {
  const { dir, profile } = labCopy();
  const out = join(dir, 'out');
  t.equal(runCli(['--profile', profile, '--out', out]).status, 0);
  t.ok(existsSync(join(out, 'lab', 'manifest.json')));
  t.match(readFileSync(join(out, 'lab', 'manifest.json'), 'utf8'), /"kubernetesVersion": "1\.30\.0"/);
  t.equal(runCli(['upgrade', '--profile', profile, '--out', out, '--to', '1.31.2']).status, 0);
  const text = readFileSync(profile, 'utf8');
  const at = (v: string): void => writeFileSync(profile, text.replace('kubernetesVersion: 1.30.0', `kubernetesVersion: ${v}`));

  at('1.32.0');
  const skipped = runCli(['--profile', profile, '--out', out]);
  t.equal(skipped.status, 1);
  t.match(skipped.stderr, /lab\.yaml:20:22: error\[version-skew\] \/cluster\/kubernetesVersion: Kubernetes version changed: running nodes keep 1\.30\.0; new nodes will join at 1\.32\.0\./);
  t.match(skipped.stderr, /--allow-version-skew/);
  t.match(readFileSync(join(out, 'lab', 'manifest.json'), 'utf8'), /"kubernetesVersion": "1\.30\.0"/, 'nothing written');

  at('1.29.9');
  const down = runCli(['--profile', profile, '--out', out, '--dry-run']);
  t.equal(down.status, 1);
  t.match(down.stderr, /new nodes will join at 1\.29\.9\. .*A downgrade/);

  at('1.31.2');
  const minor = runCli(['--profile', profile, '--out', out]);
  t.equal(minor.status, 0, minor.stderr);
  t.match(minor.stdout, /note: Kubernetes version changed: running nodes keep 1\.30\.0; new nodes will join at 1\.31\.2\./);
  t.match(minor.stdout, /note: Upgrade running nodes with `gen-userdata upgrade --to 1\.31\.2` before adding nodes/);
  t.ok(existsSync(join(out, 'lab', 'upgrade', '1.30.0-to-1.31.2', 'ORDER')), 'generation keeps the upgrade plans');
  t.match(readFileSync(join(out, 'lab', 'manifest.json'), 'utf8'), /"kubernetesVersion": "1\.31\.2"/);

  at('1.29.9');
  const forced = runCli(['--profile', profile, '--out', out, '--allow-version-skew']);
  t.equal(forced.status, 0, forced.stderr);
  t.match(forced.stdout, /note: Kubernetes version changed: running nodes keep 1\.31\.2; new nodes will join at 1\.29\.9\./);
});

t.test('--target flatcar --sysext-sha256: one digest for a one-architecture cluster, one per architecture for a mixed one', async (t) => {
  const { dir, profile } = labCopy();
  const [a, b] = ['a'.repeat(64), 'b'.repeat(64)];
  const out = join(dir, 'out');
  const up = join(out, 'lab', 'upgrade', '1.30.0-to-1.31.2');
  const single = runCli(['upgrade', '--profile', profile, '--out', out, '--to', '1.31.2', '--target', 'flatcar', '--sysext-sha256', a.toUpperCase()]);
  t.equal(single.status, 0, single.stderr);
  t.match(readFileSync(join(up, 'upgrade-worker-1.sh'), 'utf8'), `sum=${a}`, 'the amd64 lab takes the one digest, lowercased');
  // worker-2 becomes arm64: a single digest no longer fits.
  writeFileSync(profile, readFileSync(profile, 'utf8').replace(/(- name: worker-2\n(\s+))/, '$1arch: arm64\n$2'));
  const mixed = runCli(['upgrade', '--profile', profile, '--out', out, '--to', '1.31.2', '--target', 'flatcar', '--sysext-sha256', a]);
  t.equal(mixed.status, 2, 'a single digest for two architectures is a usage error');
  t.match(mixed.stderr, /amd64 and arm64, each with its own image: give amd64=<sha256>,arm64=<sha256>/);
  const both = runCli(['upgrade', '--profile', profile, '--out', out, '--to', '1.31.2', '--target', 'flatcar', '--sysext-sha256', `amd64=${a},arm64=${b}`]);
  t.equal(both.status, 0, both.stderr);
  const w1 = readFileSync(join(up, 'upgrade-worker-1.sh'), 'utf8');
  const w2 = readFileSync(join(up, 'upgrade-worker-2.sh'), 'utf8');
  t.match(w1, `sum=${a}`);
  t.match(w1, 'kubernetes-v1.31.2-x86-64.raw');
  t.match(w2, `sum=${b}`, 'the arm64 node checks the arm64 digest');
  t.match(w2, 'kubernetes-v1.31.2-arm64.raw');
  const bad = runCli(['upgrade', '--profile', profile, '--out', out, '--to', '1.31.2', '--target', 'flatcar', '--sysext-sha256', 'riscv=abc']);
  t.equal(bad.status, 2);
  t.match(bad.stderr, /give 64 hex digits, or amd64=<64 hex>,arm64=<64 hex>/);
});

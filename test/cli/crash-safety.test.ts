// A run killed at any instant (SIGKILL: no cleanup code runs) must leave the
// complete old output and a byte-identical secrets.yaml, the next run must repair
// the leftovers and say so, and two writers of one cluster must never race.
import t, { type Test } from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, snapshotTree } from '../helpers/fixtures.js';
import { syntheticProfile } from '../../src/bench/synthetic-profile.js';
import { parseManifest } from '../../src/output/change-plan.js';

const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const NODES = 200;

function run(args: string[], env: Record<string, string> = {}): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** A 200-node profile; `variant` changes every node's output (the pod subnet is in each kubeadm config). */
function writeProfile(dir: string, variant: 0 | 1): string {
  const file = join(dir, `profile-${variant}.yaml`);
  const text = syntheticProfile(NODES);
  writeFileSync(file, variant === 0 ? text : text.replace('podSubnet: 10.244.0.0/14', 'podSubnet: 10.240.0.0/14'));
  return file;
}

/** Every file of the tree matches manifest.json (sha256) and nothing else is there. */
function assertCompleteTree(t: Test, clusterDir: string, label: string): void {
  const manifest = parseManifest(readFileSync(join(clusterDir, 'manifest.json'), 'utf8'));
  if (manifest === undefined) return void t.fail(`${label}: manifest.json unreadable`);
  const files = snapshotTree(clusterDir);
  files.delete('manifest.json');
  const listed = new Map(manifest.files.map((f) => [f.path, f.sha256]));
  t.same([...files.keys()].sort(), [...listed.keys()].sort(), `${label}: exactly the files of its manifest`);
  const bad = [...files].filter(([path, b64]) => createHash('sha256').update(Buffer.from(b64, 'base64')).digest('hex') !== listed.get(path));
  t.same(bad.map(([p]) => p), [], `${label}: every file has its manifest sha256`);
}

function setup(): { out: string; cluster: string; p0: string; p1: string; secrets: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-crash-'));
  const out = join(dir, 'out');
  const p0 = writeProfile(dir, 0);
  const p1 = writeProfile(dir, 1);
  const first = run(['--profile', p0, '--out', out]);
  if (first.status !== 0) throw new Error(first.stderr);
  const cluster = join(out, 'synthetic');
  return { out, cluster, p0, p1, secrets: readFileSync(join(cluster, 'secrets.yaml'), 'utf8') };
}

t.test('killed between the two renames of the swap: the next run restores the old tree and makes no CA', async (t) => {
  const s = setup();
  const before = snapshotTree(s.cluster);
  const killed = run(['--profile', s.p1, '--out', s.out], { GEN_USERDATA_CRASH_AT: 'between-renames' });
  t.equal(killed.signal, 'SIGKILL', 'the hook killed the run at the second rename');
  t.notOk(existsSync(s.cluster), 'the instant the issue describes: no out/<cluster>/');
  const shown = run(['token', 'show', '--profile', s.p0, '--out', s.out]);
  t.equal(shown.status, 1, 'a read-only command refuses');
  t.match(shown.stderr, /interrupted run left the cluster's secrets in .*\.synthetic\.old-\d+\/secrets\.yaml/);
  const next = run(['--profile', s.p0, '--out', s.out]);
  t.equal(next.status, 0, next.stderr);
  t.notMatch(next.stderr, /created/, 'no new CA');
  t.match(next.stderr, /restored .*synthetic from .*\.synthetic\.old-\d+/);
  t.match(next.stderr, /removed .*\.synthetic\.tmp-\d+/, 'the half-swapped new tree is cleaned up');
  t.equal(readFileSync(join(s.cluster, 'secrets.yaml'), 'utf8'), s.secrets, 'secrets.yaml byte-identical');
  t.same(snapshotTree(s.cluster), before, 'the same profile gives back the same tree, byte for byte');
  t.same(readdirSync(s.out).sort(), ['synthetic'], 'no leftovers, no lock');
});

t.test('killed right after a first run saved new secrets: the next run keeps them', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-crash-'));
  const out = join(dir, 'out');
  const profile = writeProfile(dir, 0);
  const killed = run(['--profile', profile, '--out', out], { GEN_USERDATA_CRASH_AT: 'secrets-saved' });
  t.equal(killed.signal, 'SIGKILL');
  const saved = readFileSync(join(out, 'synthetic', 'secrets.yaml'), 'utf8');
  const next = run(['--profile', profile, '--out', out]);
  t.equal(next.status, 0, next.stderr);
  t.notMatch(next.stderr, /created/, 'no second CA');
  t.equal(readFileSync(join(out, 'synthetic', 'secrets.yaml'), 'utf8'), saved);
});

t.test('killed at the other points: the old (or complete new) output and the same secrets; leftovers removed next time', async (t) => {
  const s = setup();
  for (const point of ['tree-written', 'before-cleanup']) {
    const killed = run(['--profile', s.p1, '--out', s.out], { GEN_USERDATA_CRASH_AT: point });
    t.equal(killed.signal, 'SIGKILL', `killed at ${point}`);
    assertCompleteTree(t, s.cluster, `after a kill at ${point}`);
    t.equal(readFileSync(join(s.cluster, 'secrets.yaml'), 'utf8'), s.secrets, `${point}: secrets.yaml byte-identical`);
    const leftovers = readdirSync(s.out).filter((n) => n !== 'synthetic');
    t.ok(leftovers.length > 0, `${point}: the kill left ${leftovers.join(', ')}`);
    const next = run(['--profile', s.p0, '--out', s.out]);
    t.equal(next.status, 0, next.stderr);
    t.match(next.stderr, /removed .*\.synthetic\.(tmp|old)-\d+, left by process \d+/, `${point}: the next run says what it removed`);
    t.notMatch(next.stderr, /created/);
    t.same(readdirSync(s.out).sort(), ['synthetic'], `${point}: nothing left behind`);
  }
});

t.test('SIGKILL at several moments of a 200-node run never loses the output or the secrets', async (t) => {
  const s = setup();
  for (const afterMs of [300, 900]) {
    const child = spawn(process.execPath, [CLI, '--profile', s.p1, '--out', s.out, '--format', 'all'], { stdio: 'ignore' });
    // Listening from the start: a run that ends (or fails) before the kill must not hang the test.
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
    await new Promise((r) => setTimeout(r, afterMs));
    child.kill('SIGKILL');
    t.equal(await exited, 'SIGKILL', `${afterMs} ms: the run was killed, not finished or failed`);
    const next = run(['--profile', s.p0, '--out', s.out]);
    t.equal(next.status, 0, `after a kill at ${afterMs} ms: ${next.stderr.split('\n')[0]}`);
    t.notMatch(next.stderr, /created/, `${afterMs} ms: no new CA`);
    assertCompleteTree(t, s.cluster, `${afterMs} ms`);
    t.equal(readFileSync(join(s.cluster, 'secrets.yaml'), 'utf8'), s.secrets, `${afterMs} ms: secrets.yaml byte-identical`);
    t.same(readdirSync(s.out).sort(), ['synthetic'], `${afterMs} ms: nothing left behind`);
  }
});

/** Starts the CLI; resolves with its exit code and output. */
function start(args: string[]): { pid: number; done: Promise<{ status: number | null; stderr: string; stdout: string }> } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => (stdout += d));
  return { pid: child.pid!, done: new Promise((r) => child.once('close', (status) => r({ status, stderr, stdout }))) };
}

t.test('concurrent first runs: one writer, one CA; the others are told the cluster is locked', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-race-'));
  const out = join(dir, 'out');
  const profile = writeProfile(dir, 0);
  const runs = await Promise.all(Array.from({ length: 3 }, () => start(['--profile', profile, '--out', out]).done));
  const ok = runs.filter((r) => r.status === 0);
  const locked = runs.filter((r) => r.status === 1);
  t.equal(ok.length + locked.length, 3, 'every run exits 0 or 1');
  t.ok(ok.length >= 1, 'at least one run wrote');
  for (const r of locked) t.match(r.stderr, /error\[cluster-locked\]: cluster "synthetic" is being written by process \d+/);
  t.equal(runs.filter((r) => /created .*secrets\.yaml/.test(r.stderr)).length, 1, 'exactly one CA was created');
  assertCompleteTree(t, join(out, 'synthetic'), 'after the race');
});

t.test('token rotate racing a generate: the loser is refused, the printed token is the saved one', async (t) => {
  const s = setup();
  const gen = start(['--profile', s.p1, '--out', s.out]);
  const lock = join(s.out, '.synthetic.lock');
  const deadline = Date.now() + 20_000;
  while (!(existsSync(lock) && readFileSync(lock, 'utf8').trim() === String(gen.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const rotate = run(['token', 'rotate', '--profile', s.p1, '--out', s.out]);
  const g = await gen.done;
  t.equal(g.status, 0, g.stderr);
  t.equal(rotate.status, 1, 'token rotate refused while the generate held the lock');
  t.match(rotate.stderr, /cluster-locked/);
  t.equal(readFileSync(join(s.cluster, 'secrets.yaml'), 'utf8'), s.secrets, 'the refused rotate changed nothing');
  const again = run(['token', 'rotate', '--profile', s.p1, '--out', s.out]);
  t.equal(again.status, 0, again.stderr);
  const token = /kubeadm token create (\S+)/.exec(again.stdout)?.[1];
  t.ok(token !== undefined && readFileSync(join(s.cluster, 'secrets.yaml'), 'utf8').includes(token.split('.')[1]!), 'the printed token is in secrets.yaml');
});

t.test('a stale lock of a dead process is taken over, and said so', async (t) => {
  const s = setup();
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  writeFileSync(join(s.out, '.synthetic.lock'), `${dead}\n`);
  const r = run(['--profile', s.p0, '--out', s.out]);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stderr, new RegExp(`took over the lock .*\\.synthetic\\.lock of process ${dead}, which is no longer running`));
  t.notOk(existsSync(join(s.out, '.synthetic.lock')), 'released at the end');
});

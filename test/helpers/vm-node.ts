/**
 * One e2e run of one node: generate the cluster's seeds with the built CLI,
 * boot the node's seed.iso in the test image, and collect what the probe saw.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { parse } from 'yaml';
import { bootVm, type BootResult } from './vm-boot.js';
import { upgradeDir } from '../../src/upgrade/upgrade-plan.js';
import { ensureImage, REPO_ROOT, type VmImage } from './vm-image.js';
import {
  guestFile,
  parseSteps,
  parseStat,
  readCalls,
  readProbe,
  sectionText,
  unpackFiles,
  type GuestStat,
  type Probe,
  type StandinCall,
  type StepOutcome,
} from './vm-probe.js';

const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');

/** Per-boot ceiling; a healthy boot takes 2–5 minutes under TCG on a busy 2-core machine. */
export const BOOT_LIMIT_MS = 9 * 60_000;
/** The e2e cluster profile of scenarios 1, 2, 7 and 8, and its init node and retrying worker. */
export const E2E_PROFILE = join(REPO_ROOT, 'test', 'e2e', 'profiles', 'e2e.yaml');
export const E2E_CP = 'e2e-cp-1';
export const E2E_WORKER = 'e2e-worker-1';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/ with `npm run build` when dist/cli/main.js is missing or older
 * than src/ or templates/. Throws with tsc's output when the build fails.
 */
export function ensureCliBuilt(): void {
  const fresh =
    existsSync(CLI) &&
    statSync(CLI).mtimeMs >= Math.max(newestMtime(join(REPO_ROOT, 'src')), newestMtime(join(REPO_ROOT, 'templates')));
  if (fresh) return;
  const r = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}\n${r.stderr}`);
}

export interface Generated {
  outRoot: string;
  clusterDir: string;
  stdout: string;
  stderr: string;
}

/**
 * Runs `gen-userdata --profile <profile> --out <outRoot> --format iso` (plus
 * `--templates $GEN_USERDATA_E2E_TEMPLATES` when set) and returns where the
 * cluster went. Throws when the CLI exits non-zero.
 */
export function generateSeeds(profile: string, outRoot: string): Generated {
  ensureCliBuilt();
  // GEN_USERDATA_E2E_TEMPLATES: try template changes in the VM without touching templates/.
  const templates = process.env.GEN_USERDATA_E2E_TEMPLATES;
  const args = [CLI, '--profile', profile, '--out', outRoot, '--format', 'iso', ...(templates ? ['--templates', templates] : [])];
  const r = spawnSync(process.execPath, args, {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`gen-userdata exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  const name = profileDoc(profile).cluster.name;
  return { outRoot, clusterDir: join(outRoot, name), stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs `gen-userdata upgrade --profile <profile> --out <outRoot> --to <to>` and
 * returns the directory it wrote (out/<cluster>/upgrade/<from>-to-<to>/). Throws
 * when the CLI exits non-zero.
 */
export function generateUpgrade(profile: string, outRoot: string, to: string): string {
  ensureCliBuilt();
  const r = spawnSync(process.execPath, [CLI, 'upgrade', '--profile', profile, '--out', outRoot, '--to', to], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gen-userdata upgrade exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  const doc = profileDoc(profile);
  return join(outRoot, doc.cluster.name, upgradeDir(doc.cluster.kubernetesVersion, to));
}

/** The parts of a profile YAML the e2e tests read (raw, before defaults). */
export interface RawProfile {
  cluster: { name: string; podSubnet: string; kubernetesVersion: string; controlPlaneEndpoint?: string; joinTimeout?: string };
  nodes: { name: string; role: string; ip: string }[];
  network: { cidr: string };
  access?: { users?: { name: string }[] };
}

/** Parses a profile file. Throws on unreadable YAML (the fixtures are ours). */
export function profileDoc(profile: string): RawProfile {
  return parse(readFileSync(profile, 'utf8')) as RawProfile;
}

/** "host:port" every joining node waits for: the explicit endpoint, else the first control plane on 6443. */
export function apiEndpoint(p: RawProfile): string {
  if (p.cluster.controlPlaneEndpoint) return p.cluster.controlPlaneEndpoint;
  const cp = p.nodes.find((n) => n.role === 'control-plane');
  if (!cp) throw new Error('profile has no control plane');
  return `${cp.ip}:6443`;
}

export interface NodeRun {
  node: string;
  workDir: string;
  image: VmImage;
  boot: BootResult;
  probe: Probe;
  /** Guest files unpacked from the probe (paths without the leading slash). */
  files: string;
  calls: StandinCall[];
  steps: StepOutcome[];
  stat: Map<string, GuestStat>;
  bootstrapLog: string;
  /** Reads a guest file by absolute guest path. */
  file(path: string): string | undefined;
  section(name: string): string | undefined;
  /** The boot's disk overlay, when RunNodeOptions.keepDisk was set. */
  disk?: string;
  /**
   * After the operator actions (gen_userdata_e2e.ops=…), which run once the boot's
   * own state above is dumped: the guest files they left (unpacked "ops-files"),
   * every stand-in call by then (each action's calls carry its `phase`), and a
   * reader for those files. Undefined when the boot ran no actions.
   */
  ops?: { files: string; calls: StandinCall[]; file(path: string): string | undefined };
  /** Removes the work directory (kept when GEN_USERDATA_E2E_KEEP is set). */
  cleanup(): void;
}

/** Removes a boot's work dir if `t` passed; otherwise keeps it (console.log, probe.log, guest files) and says where. */
export function cleanUpUnlessFailed(t: Test, run: NodeRun): void {
  if (t.passing()) run.cleanup();
  else t.comment(`kept ${run.workDir} for inspection`);
}

/** Registers cleanUpUnlessFailed for when `t` ends. */
export function keepOnFailure(t: Test, run: NodeRun): void {
  t.teardown(() => cleanUpUnlessFailed(t, run));
}

export interface RunNodeOptions {
  generated: Generated;
  node: string;
  kernelArgs?: string[];
  timeoutMs: number;
  log?: (msg: string) => void;
  /** Image to boot, default the cached e2e image (ensureImage). A golden image made by an earlier boot goes here. */
  image?: VmImage;
  /** Seed to attach instead of the node's generated seed.iso (e.g. a golden-image build seed). */
  seedIso?: string;
  /** QEMU network arguments (vm-boot's nicArgs); default no NIC. */
  nicArgs?: string[];
  /** Keep the boot's qcow2 overlay (NodeRun.disk) so a later boot can use it as its image; removed by cleanup(). */
  keepDisk?: boolean;
  /** More read-only CD-ROMs (vm-boot's extraIsos), e.g. the operator actions' disk. */
  extraIsos?: string[];
}

/**
 * Boots one node's generated seed and collects the probe's results. Throws
 * when the node has no seed; a guest that misbehaves still resolves, with an
 * incomplete probe, so the caller's asserts say what went wrong.
 */
export async function runNode(o: RunNodeOptions): Promise<NodeRun> {
  const log = o.log ?? (() => {});
  const image = o.image ?? ensureImage(log);
  const seedIso = o.seedIso ?? seedIsoOf(o.generated, o.node);
  if (!existsSync(seedIso)) throw new Error(`no seed for ${o.node}: ${seedIso}`);
  const workDir = mkdtempSync(join(tmpdir(), `gen-userdata-e2e-${o.node}-`));
  log(`booting ${o.node} (work dir ${workDir}, args: ${(o.kernelArgs ?? []).join(' ') || 'none'})`);
  const boot = await bootVm({ image, seedIso, workDir, kernelArgs: o.kernelArgs ?? [], timeoutMs: o.timeoutMs, nicArgs: o.nicArgs, extraIsos: o.extraIsos });
  const disk = join(workDir, 'overlay.qcow2');
  if (!o.keepDisk) rmSync(disk, { force: true });
  log(`${o.node}: qemu exit ${boot.exitCode}${boot.timedOut ? ' (timed out)' : ''} after ${Math.round(boot.elapsedMs / 1000)} s`);
  const probe = readProbe(boot.probeLog);
  const files = join(workDir, 'guest');
  if (probe.sections.has('files')) unpackFiles(probe, files);
  const bootstrapLog = guestFile(files, '/var/log/gen-userdata/bootstrap.log') ?? '';
  const opsDir = join(workDir, 'guest-ops');
  const ops = probe.sections.has('ops-files')
    ? (unpackFiles(probe, opsDir, 'ops-files'), { files: opsDir, calls: readCalls(opsDir), file: (p: string) => guestFile(opsDir, p) })
    : undefined;
  return {
    node: o.node,
    workDir,
    image,
    boot,
    probe,
    files,
    calls: readCalls(files),
    steps: parseSteps(bootstrapLog),
    stat: parseStat(probe),
    bootstrapLog,
    file: (p) => guestFile(files, p),
    section: (n) => sectionText(probe, n),
    ...(o.keepDisk ? { disk } : {}),
    ...(ops ? { ops } : {}),
    cleanup: () => {
      if (!process.env.GEN_USERDATA_E2E_KEEP) rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** Where operator.sh leaves each action's output (NAME.out), exit code (NAME.rc) and state files in the guest. */
export const OPS_RESULTS = '/var/lib/gen-userdata-e2e/ops';

/**
 * The operator actions' results of `run`, with `out(NAME)` reading OPS_RESULTS/NAME
 * ('' when absent); fails `t` and returns undefined when the boot ran no actions.
 */
export function opsResults(t: Pick<Test, 'fail'>, run: NodeRun): (NonNullable<NodeRun['ops']> & { out(name: string): string }) | undefined {
  const ops = run.ops;
  if (!ops) {
    t.fail('the operator actions ran and their files were dumped (ops-files)');
    return undefined;
  }
  return { ...ops, out: (name) => ops.file(`${OPS_RESULTS}/${name}`) ?? '' };
}

/** A scratch directory for generated output, removed by the returned function. */
export function scratchDir(label: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `gen-userdata-e2e-out-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** kubeadm calls whose first positional argument is `sub` (e.g. "join"). */
export function kubeadmCalls(calls: StandinCall[], sub: string): StandinCall[] {
  return calls.filter((c) => c.tool === 'kubeadm' && c.argv.find((a) => !a.startsWith('-')) === sub);
}

/** Content of the n-th copy a stand-in kept of a file passed with `flag`. */
export function copiedInput(run: NodeRun, call: StandinCall, flag: string, n = 0): string | undefined {
  const c = call.copies[flag]?.[n];
  return c ? run.file(c.copy) : undefined;
}

/** Reads one file (e.g. "/user-data") from a seed ISO with isoinfo (Rock Ridge names). Throws when isoinfo fails. */
export function isoFile(iso: string, path: string): string {
  const r = spawnSync('isoinfo', ['-i', iso, '-R', '-x', path], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`isoinfo -x ${path} failed: ${r.stderr}`);
  return r.stdout;
}

/** The seed ISO of one node of a generated cluster. */
export function seedIsoOf(g: Generated, node: string): string {
  return join(g.clusterDir, 'nodes', node, 'seed.iso');
}

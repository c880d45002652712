/**
 * The e2e guest image: built once per machine by test/e2e/image/build-image.sh
 * and cached outside the repo, keyed by a hash of its recipe (the build script
 * and every file under test/e2e/image/overlay), so editing a stand-in or the
 * probe rebuilds it and nothing else does. One image per Debian suite: Debian 12
 * (bookworm, cloud-init 22.4) and Debian 13 (trixie, cloud-init 25.1), from the
 * same recipe.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (two levels above test/helpers). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Directory holding the image recipe. */
export const RECIPE_DIR = join(REPO_ROOT, 'test', 'e2e', 'image');

/** Debian suites the recipe builds a guest of: 12 (the default) and 13. */
export type GuestSuite = 'bookworm' | 'trixie';

export interface VmImage {
  suite: GuestSuite;
  dir: string;
  disk: string;
  kernel: string;
  initrd: string;
  /** How long the build took in this process, or undefined when it came from the cache. */
  builtInMs?: number;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/**
 * Returns a hex digest over the recipe for one suite: the suite, then every
 * file's relative path, executable bit and content, in sorted order. Throws if
 * the recipe directory is missing.
 */
export function recipeHash(recipeDir: string = RECIPE_DIR, suite: GuestSuite = 'bookworm'): string {
  const h = createHash('sha256');
  // bookworm hashes as before this parameter existed, so its cached image stays valid.
  if (suite !== 'bookworm') h.update(`suite\0${suite}\0`);
  for (const f of listFiles(recipeDir).sort()) {
    const rel = relative(recipeDir, f);
    const exec = (statSync(f).mode & 0o111) !== 0;
    h.update(`${rel}\0${exec ? 'x' : '-'}\0`);
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

/**
 * Returns the cache root: $GEN_USERDATA_E2E_CACHE, else
 * ${XDG_CACHE_HOME:-$HOME/.cache}/gen-userdata-e2e.
 */
export function cacheRoot(): string {
  if (process.env.GEN_USERDATA_E2E_CACHE) return process.env.GEN_USERDATA_E2E_CACHE;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'gen-userdata-e2e');
}

/** Returns what is missing to build and boot the image (not root, tools absent), or [] when all is there. */
export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (debootstrap and chroot need it)');
  for (const tool of ['debootstrap', 'qemu-system-x86_64', 'qemu-img', 'mkfs.ext4', 'chroot', 'tar']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8', env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } });
    if (r.status !== 0) missing.push(tool);
  }
  return missing;
}

/**
 * Returns the cached image of `suite` for the current recipe, building it first
 * when the cache has none (takes a few minutes; needs root and Debian's
 * mirror). The first call's image per suite is kept for the rest of the
 * process. Throws with the build log's tail when the build fails.
 */
export function ensureImage(log: (msg: string) => void = () => {}, suite: GuestSuite = 'bookworm'): VmImage {
  // One image per process and suite: a recipe edited while a run's boots are
  // under way must not switch (or rebuild) the image halfway through.
  let image = processImages.get(suite);
  if (!image) {
    image = buildOrReuse(log, suite);
    processImages.set(suite, image);
  }
  return image;
}

const processImages = new Map<GuestSuite, VmImage>();

function buildOrReuse(log: (msg: string) => void, suite: GuestSuite): VmImage {
  const dir = join(cacheRoot(), recipeHash(RECIPE_DIR, suite).slice(0, 16));
  const image: VmImage = {
    suite,
    dir,
    disk: join(dir, 'disk.qcow2'),
    kernel: join(dir, 'vmlinuz'),
    initrd: join(dir, 'initrd.img'),
  };
  if (existsSync(join(dir, 'ready'))) {
    touchUsed(dir);
    return image;
  }

  mkdirSync(dir, { recursive: true });
  const buildLog = join(dir, 'build.log');
  log(`building the ${suite} e2e image in ${dir} (one time; log: ${buildLog})`);
  const started = Date.now();
  // flock serialises concurrent builders of the same recipe; the loser finds "ready" and skips.
  const script = `if [ -e "$2/ready" ]; then exit 0; fi; exec "$1" "$2"`;
  const r = spawnSync('flock', [join(dir, '.lock'), 'bash', '-c', script, '_', join(RECIPE_DIR, 'build-image.sh'), dir], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin`, E2E_SUITE: suite },
    maxBuffer: 64 * 1024 * 1024,
  });
  writeFileSync(buildLog, `${r.stdout ?? ''}${r.stderr ?? ''}`);
  if (r.status !== 0 || !existsSync(join(dir, 'ready'))) {
    const tail = `${r.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(`e2e image build failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${tail}`);
  }
  image.builtInMs = Date.now() - started;
  log(`image built in ${Math.round(image.builtInMs / 1000)} s`);
  touchUsed(dir);
  pruneOldImages();
  return image;
}

/** Records that an image was just used, so pruneOldImages leaves it alone for a while. */
function touchUsed(dir: string): void {
  writeFileSync(join(dir, 'last-used'), `${new Date().toISOString()}\n`);
}

const SUITES: readonly GuestSuite[] = ['bookworm', 'trixie'];

/** Images of other recipes unused for this long are deleted. */
const PRUNE_AFTER_MS = 24 * 3600_000;

/**
 * Removes cached images of other recipes that no run used for a day (old
 * recipes pile up otherwise). Recently used ones stay: a concurrent run may be
 * booting from one, as the backing file of its overlays.
 */
export function pruneOldImages(now: number = Date.now()): void {
  const root = cacheRoot();
  if (!existsSync(root)) return;
  const keep = new Set(SUITES.map((suite) => recipeHash(RECIPE_DIR, suite).slice(0, 16)));
  for (const e of readdirSync(root)) {
    if (keep.has(e) || !/^[0-9a-f]{16}$/.test(e)) continue;
    const stamp = join(root, e, 'last-used');
    const used = existsSync(stamp) ? statSync(stamp).mtimeMs : statSync(join(root, e)).mtimeMs;
    if (now - used > PRUNE_AFTER_MS) rmSync(join(root, e), { recursive: true, force: true });
  }
}

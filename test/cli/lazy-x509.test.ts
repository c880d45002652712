// A run that reuses its secrets must not load the X.509 library: the CLI bundle
// keeps it in chunks of their own (scripts/bundle-cli.mjs). Shown by running a
// copy of the built CLI whose X.509 chunks are gone: reusing secrets still
// works, creating them does not (so the check can fail).
import t from 'tap';
import { copyFileSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, outWithFixtureSecrets } from '../helpers/fixtures.js';

const built = join(ROOT, 'dist', 'cli');

t.test('reusing secrets never loads @peculiar/x509 or reflect-metadata', async (t) => {
  const pkg = t.testdir({});
  mkdirSync(join(pkg, 'dist', 'cli', 'chunks'), { recursive: true });
  copyFileSync(join(built, 'main.js'), join(pkg, 'dist', 'cli', 'main.js'));
  const chunks = readdirSync(join(built, 'chunks'));
  const x509Chunks = chunks.filter((c) => /^(x509|Reflect)/.test(c));
  t.equal(x509Chunks.length, 2, 'the X.509 library and its polyfill are chunks of their own', { chunks });
  for (const c of chunks.filter((c) => !x509Chunks.includes(c))) copyFileSync(join(built, 'chunks', c), join(pkg, 'dist', 'cli', 'chunks', c));
  for (const d of ['profiles', 'templates']) symlinkSync(join(ROOT, d), join(pkg, d));
  const cli = (out: string) => spawnSync(process.execPath, [join(pkg, 'dist', 'cli', 'main.js'), '--profile', 'lab', '--out', out], { encoding: 'utf8' });

  const reuse = cli(outWithFixtureSecrets('lab-ecdsa'));
  t.equal(reuse.status, 0, reuse.stderr);
  const fresh = cli(join(pkg, 'fresh'));
  t.not(fresh.status, 0, 'creating secrets needs the missing chunks');
  t.match(fresh.stderr, /Cannot find module|ERR_MODULE_NOT_FOUND/);
});

// OutputTree: the new tree replaces the old one whole; unchanged files are hard
// links to the old ones, changed files and changed modes are written anew.
import t from 'tap';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputTree, replaceDirectory } from '../../src/cli/output-tree.js';
import { ManifestBuilder } from '../../src/output/manifest.js';
import { readPreviousManifestIndex } from '../../src/cli/output-plan.js';
import { utf8, type OutputFile } from '../../src/output/output-file.js';

const file = (path: string, text: string, mode = 0o644): OutputFile => ({ format: 'cloud-init', path, content: utf8(text), mode });

function write(target: string, files: OutputFile[], preserve: string[] = []): ReturnType<OutputTree['commit']> {
  const previous = readPreviousManifestIndex(target);
  const tree = new OutputTree(target, { ...(previous !== undefined ? { previous } : {}), keep: ['image'], preserve });
  const manifest = new ManifestBuilder('c');
  try {
    for (const f of files) {
      tree.add(f);
      manifest.add(f);
    }
    tree.add(file('manifest.json', manifest.toJson()));
  } catch (err) {
    tree.abort();
    throw err;
  }
  return tree.commit();
}

t.test('unchanged files are hard links to the previous ones; changed content or mode is written', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'gen-userdata-tree-'));
  const target = join(root, 'c');
  const first = write(target, [file('nodes/a/user-data', 'a1', 0o600), file('nodes/b/user-data', 'b1'), file('nodes/c/meta-data', 'c1')]);
  t.same(first, { written: 4, linked: 0 });
  const ino = (p: string): number => statSync(join(target, p)).ino;
  const before = { a: ino('nodes/a/user-data'), b: ino('nodes/b/user-data'), c: ino('nodes/c/meta-data') };
  const second = write(target, [file('nodes/a/user-data', 'a1', 0o600), file('nodes/b/user-data', 'b2'), file('nodes/c/meta-data', 'c1', 0o600)]);
  t.same(second, { written: 3, linked: 1 }, 'one unchanged file linked (the manifest changed too)');
  t.equal(ino('nodes/a/user-data'), before.a, 'unchanged: the same inode');
  t.not(ino('nodes/b/user-data'), before.b, 'changed content: a new file');
  t.not(ino('nodes/c/meta-data'), before.c, 'changed mode: a new file');
  t.equal(statSync(join(target, 'nodes/c/meta-data')).mode & 0o777, 0o600);
  t.equal(readFileSync(join(target, 'nodes/b/user-data'), 'utf8'), 'b2');
  t.same(readdirSync(root), ['c'], 'no temp or old tree left');
});

t.test('a file changed on disk since the manifest (other size or mode) is written, not linked', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'gen-userdata-tree-'));
  const target = join(root, 'c');
  write(target, [file('x', 'same')]);
  writeFileSync(join(target, 'x'), 'edited by hand');
  write(target, [file('x', 'same')]);
  t.equal(readFileSync(join(target, 'x'), 'utf8'), 'same', 'the generated content is back');
  chmodSync(join(target, 'x'), 0o666);
  t.same(write(target, [file('x', 'same')]).written, 2, 'mode differs on disk: rewritten');
});

t.test('preserved files (secrets.yaml) must already be there with the same bytes, and are linked', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'gen-userdata-tree-'));
  const target = join(root, 'c');
  mkdirSync(target);
  writeFileSync(join(target, 'secrets.yaml'), 'k', { mode: 0o600 });
  const ino = statSync(join(target, 'secrets.yaml')).ino;
  write(target, [file('secrets.yaml', 'k', 0o600)], ['secrets.yaml']);
  t.equal(statSync(join(target, 'secrets.yaml')).ino, ino, 'never rewritten');
  t.throws(() => write(target, [file('secrets.yaml', 'other', 0o600)], ['secrets.yaml']), /must be saved before the output tree is built/);
  t.equal(readFileSync(join(target, 'secrets.yaml'), 'utf8'), 'k', 'a refused tree leaves the old one');
  t.same(readdirSync(root), ['c'], 'and no temp tree');
});

t.test('entries to keep (image/) come over from the old tree', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'gen-userdata-tree-'));
  const target = join(root, 'c');
  write(target, [file('a', '1')]);
  replaceDirectory(join(target, 'image'), [file('provision.sh', '#!/bin/sh\n', 0o755)]);
  write(target, [file('a', '2')]);
  t.equal(readFileSync(join(target, 'image', 'provision.sh'), 'utf8'), '#!/bin/sh\n');
  t.equal(statSync(join(target, 'image', 'provision.sh')).mode & 0o777, 0o755);
});

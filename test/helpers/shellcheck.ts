// bash -n and shellcheck for generated scripts, checked together with the shell
// library they source: each node's files are laid out under a root directory as
// on the node, and shellcheck follows `. /usr/local/lib/gen-userdata/common.sh`
// (or Flatcar's /opt/lib path) into that root's copy (-x, --source-path).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Test } from 'tap';

/** The files of one node (or one image), as absolute node paths and text. */
export interface NodeFileSet {
  label: string;
  files: readonly { path: string; content: string }[];
}

type Tap = Pick<Test, 'equal'>;

const isLibrary = (path: string): boolean => path.endsWith('/gen-userdata/common.sh');

/**
 * Checks every distinct script (a file starting with #!) and every distinct shell
 * library in `sets` with bash -n and shellcheck -x. Returns how many distinct
 * scripts it checked.
 */
export function lintNodeScripts(t: Tap, sets: readonly NodeFileSet[]): number {
  const roots = new Map<string, { root: string; libraries: string[]; scripts: Map<string, string> }>();
  for (const set of sets) {
    const libraries = set.files.filter((f) => isLibrary(f.path));
    const key = libraries.map((f) => `${f.path}\0${f.content}`).join('\0');
    let entry = roots.get(key);
    if (entry === undefined) {
      const root = mkdtempSync(join(tmpdir(), 'gen-userdata-lint-'));
      for (const f of libraries) {
        mkdirSync(join(root, dirname(f.path)), { recursive: true });
        writeFileSync(join(root, f.path), f.content);
      }
      entry = { root, libraries: libraries.map((f) => join(root, f.path)), scripts: new Map() };
      roots.set(key, entry);
    }
    for (const f of set.files.filter((x) => x.content.startsWith('#!'))) {
      if (!entry.scripts.has(f.content)) entry.scripts.set(f.content, `${set.label}${f.path}`.replace(/\//g, '_'));
    }
  }
  let count = 0;
  for (const { root, libraries, scripts } of roots.values()) {
    const paths = [...libraries];
    for (const [content, label] of scripts) {
      const file = join(root, label);
      writeFileSync(file, content);
      paths.push(file);
      count++;
    }
    for (const file of paths) {
      const syntax = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
      t.equal(syntax.status, 0, `bash -n ${file}: ${syntax.stderr}`);
    }
    const lint = spawnSync('shellcheck', ['--shell=bash', '--severity=style', '--external-sources', `--source-path=${root}`, ...paths], { encoding: 'utf8', cwd: root });
    t.equal(lint.status, 0, `shellcheck:\n${lint.stdout}`);
  }
  return count;
}

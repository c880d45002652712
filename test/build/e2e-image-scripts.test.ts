// The VM suite's guest scripts (test/e2e/image: the image build, the probe, the
// operator actions, the apt-install preparation) are shell too: bash -n and
// shellcheck here, in the unit suite, so a broken one fails before any VM boots.
// The stand-in (standin.py) must at least compile.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../helpers/fixtures.js';

const IMAGE = join(ROOT, 'test', 'e2e', 'image');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

const all = files(IMAGE);
const scripts = all.filter((f) => f.endsWith('.sh'));
t.ok(scripts.length >= 4, 'build-image.sh, probe.sh, operator.sh, apt-install-prep.sh at least', { scripts });
for (const script of scripts) {
  const name = relative(IMAGE, script);
  t.equal(spawnSync('bash', ['-n', script], { encoding: 'utf8' }).status, 0, `bash -n ${name}`);
  const lint = spawnSync('shellcheck', ['--severity=style', script], { encoding: 'utf8' });
  t.equal(lint.status, 0, `shellcheck ${name}:\n${lint.stdout}`);
}
for (const py of all.filter((f) => f.endsWith('.py'))) {
  const r = spawnSync('python3', ['-B', '-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])', py], { encoding: 'utf8' });
  t.equal(r.status, 0, `${relative(IMAGE, py)} parses:\n${r.stderr}`);
}

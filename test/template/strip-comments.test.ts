// Comment stripping for node files: full-line comments go, code, data and the
// lines shellcheck and the kernel need stay.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { stripConfComments, stripShellComments, stripTemplateComments } from '../../src/template/strip-comments.js';

const H = '# header';

t.test('shell: drops full-line comments, keeps #!, shellcheck directives and trailing comments', async (t) => {
  const script = [
    '#!/bin/bash',
    '# what this does',
    'set -e',
    '  # indented comment',
    '# shellcheck disable=SC2034 # why',
    'x=1 # trailing comment stays',
    'echo "${x#prefix}" $# done',
    '',
  ].join('\n');
  t.equal(stripShellComments(script, H), ['#!/bin/bash', H, 'set -e', '# shellcheck disable=SC2034 # why', 'x=1 # trailing comment stays', 'echo "${x#prefix}" $# done', ''].join('\n'));
});

t.test('shell: heredoc bodies are data, whatever they hold', async (t) => {
  const script = [
    '#!/bin/bash',
    "cat >/etc/a.conf <<'EOF'",
    '# kept: part of the file',
    'EOF',
    '# dropped',
    'cat <<-END >b; cat <<"X" >c',
    '\t# kept too',
    '\tEND',
    '# kept in X',
    'X',
    'grep -q x <<<"# not a heredoc"',
    '# dropped again',
  ].join('\n');
  t.same(stripShellComments(script, H).split('\n'), [
    '#!/bin/bash', H, "cat >/etc/a.conf <<'EOF'", '# kept: part of the file', 'EOF',
    'cat <<-END >b; cat <<"X" >c', '\t# kept too', '\tEND', '# kept in X', 'X', 'grep -q x <<<"# not a heredoc"',
  ]);
});

t.test('shell: lines inside a multi-line quoted string are data', async (t) => {
  const script = ["printf '%s\\n' 'first", '# kept: inside the string', "last' # don't stop here", '# dropped', 'echo "a', '# kept', 'b"'].join('\n');
  t.same(stripShellComments(script, H).split('\n'), [H, "printf '%s\\n' 'first", '# kept: inside the string', "last' # don't stop here", 'echo "a', '# kept', 'b"']);
});

t.test('shell: the stripped script behaves the same', async (t) => {
  const script = ['#!/bin/bash', '# c', "v='a", '# b', "c'", 'cat <<EOF', '# $v', 'EOF', '  # x', 'echo "$v" # done'].join('\n');
  const run = (s: string) => spawnSync('bash', ['-c', s], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).stdout;
  t.equal(run(stripShellComments(script, H)), run(script));
  t.equal(run(script), '# a\n# b\nc\na\n# b\nc\n');
});

t.test('conf: drops # lines, header first', async (t) => {
  t.equal(stripConfComments('# Written by\nversion = 2\n\n[a]\n  # why\n  b = "#x"\n', H), `${H}\nversion = 2\n\n[a]\n  b = "#x"\n`);
});

t.test('by template name: .sh and .conf/.toml are stripped, YAML and units are not', async (t) => {
  t.equal(stripTemplateComments('steps/x.sh', '# c\ntrue\n'), '# gen-userdata source: templates/steps/x.sh\ntrue\n');
  t.equal(stripTemplateComments('files/sysctl.conf', '# c\na = 1\n'), '# gen-userdata source: templates/files/sysctl.conf\na = 1\n');
  t.equal(stripTemplateComments('files/containerd-config.toml', '# c\n'), '# gen-userdata source: templates/files/containerd-config.toml\n');
  for (const name of ['files/crictl.yaml', 'units/a.service', 'files/hosts']) t.equal(stripTemplateComments(name, '# c\nx\n'), '# c\nx\n', name);
});

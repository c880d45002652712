// Schema errors through the whole loader: codes, paths, positions and the
// hints in their messages.
import t, { type Test } from 'tap';
import type { Diagnostic } from '../../src/diagnostics.js';
import { loadProfile } from '../../src/profile/load-profile.js';

const BASE = ['cluster:', '  name: x', '  kubernetesVersion: 1.30.0', 'network:', '  cidr: 10.0.0.0/24', 'nodes:', '  - {name: a, role: control-plane, ip: 10.0.0.2}'];

/** Loads BASE plus extra top-level lines; returns the diagnostics (fails the test if it loads). */
function errorsOf(t: Test, extra: string[], replace?: [RegExp, string]): Diagnostic[] {
  let text = [...BASE, ...extra].join('\n');
  if (replace) text = text.replace(replace[0], replace[1]);
  const r = loadProfile(text, 'p.yaml');
  if (r.ok) {
    t.fail('unexpectedly valid');
    return [];
  }
  return r.diagnostics;
}

t.test('the base profile is valid', async (t) => {
  t.ok(loadProfile(BASE.join('\n'), 'p.yaml').ok);
});

t.test('a YAML number for kubernetesVersion says to quote the full version', async (t) => {
  const [d] = errorsOf(t, [], [/1\.30\.0/, '1.30']);
  t.match(d, { code: 'wrong-type', path: '/cluster/kubernetesVersion', line: 3, col: 22 });
  t.match(d?.message, /got number \(1\.30\).*"1\.30\.0"/);
});

t.test('a version with a leading v', async (t) => {
  const [d] = errorsOf(t, [], [/1\.30\.0/, 'v1.30.0']);
  t.match(d, { code: 'invalid-format', path: '/cluster/kubernetesVersion' });
  t.match(d?.message, /without a leading "v"/);
});

t.test('an unknown key deep inside, with a suggestion', async (t) => {
  const [d] = errorsOf(t, ['kubelet:', '  systemReserved:', '    cpu: 100m', '    memroy: 1Gi']);
  t.match(d, { code: 'unknown-key', path: '/kubelet/systemReserved/memroy', line: 11, col: 5 });
  t.match(d?.message, /did you mean "memory"/);
});

t.test('an unknown top-level key lists the known ones when nothing is close', async (t) => {
  const [d] = errorsOf(t, ['zzz: 1']);
  t.match(d, { code: 'unknown-key', path: '/zzz', line: 8, col: 1 });
  t.match(d?.message, /expected one of: cluster, runtime/);
});

t.test('missing required field inside a node points at the node', async (t) => {
  const [d] = errorsOf(t, ['  - name: b', '    role: worker']);
  t.match(d, { code: 'missing-field', path: '/nodes/1/ip', line: 8, col: 5 });
});

t.test('IPv6 and host bits get specific CIDR messages', async (t) => {
  const [v6] = errorsOf(t, [], [/cidr: 10\.0\.0\.0\/24/, 'cidr: "fd00::/64"']);
  t.match(v6, { code: 'invalid-cidr', path: '/network/cidr' });
  t.match(v6?.message, /IPv6/);
  const [hb] = errorsOf(t, [], [/cidr: 10\.0\.0\.0\/24/, 'cidr: 10.0.0.7/24']);
  t.match(hb?.message, /network address is 10\.0\.0\.0\/24/);
});

t.test('token ttl: integers other than 0 are invalid durations', async (t) => {
  const [d] = errorsOf(t, [], [/  name: x/, '  name: x\n  token: {ttl: 24}']);
  t.match(d, { code: 'invalid-duration', path: '/cluster/token/ttl', line: 3 });
  t.equal(
    loadProfile([...BASE].join('\n').replace('  name: x', '  name: x\n  token: {ttl: 0}'), 'p.yaml').ok,
    true,
    'ttl: 0 is fine',
  );
});

t.test('quantities, ssh keys, shells, urls, sha256, enum suggestions', async (t) => {
  const ds = errorsOf(t, [
    'kubelet: {kubeReserved: {cpu: lots}}', // 8
    'access:',
    '  users:',
    '    - name: ops',
    '      sshAuthorizedKeys: ["AAAA not a key"]', // 12
    '      shell: bash', // 13
    'addons: {metricsServer: {manifestUrl: "ftp://x/y.yaml"}}', // 14
    'flatcar: {sysextSha256: abc}', // 15
    'firewall: {mode: port}', // 16
  ]);
  t.strictSame(
    ds.map((d) => [d.code, d.path, d.line]),
    [
      ['invalid-quantity', '/kubelet/kubeReserved/cpu', 8],
      ['invalid-ssh-key', '/access/users/0/sshAuthorizedKeys/0', 12],
      ['invalid-format', '/access/users/0/shell', 13],
      ['invalid-url', '/addons/metricsServer/manifestUrl', 14],
      ['invalid-format', '/flatcar/sysextSha256', 15],
      ['invalid-value', '/firewall/mode', 16],
    ],
  );
  t.match(ds[5]?.message, /did you mean "ports"/);
});

t.test('wrong-type for sections and the whole document', async (t) => {
  const [d] = errorsOf(t, ['addons: [metricsServer]']);
  t.match(d, { code: 'wrong-type', path: '/addons', line: 8 });
  t.match(d?.message, /must be a mapping, got a list/);
  const empty = loadProfile('', 'e.yaml');
  t.match(empty, { ok: false, diagnostics: [{ code: 'wrong-type', path: '', line: 1, col: 1, message: 'the profile is empty' }] });
  const list = loadProfile('- a\n', 'l.yaml');
  t.match(list, { ok: false, diagnostics: [{ code: 'wrong-type', message: /must be a YAML mapping, got a list/ }] });
});

t.test('the unquoted pkgs.k8s.io URL gets a quoting hint', async (t) => {
  const [d] = errorsOf(t, ['packages:', '  aptRepository:', '    url: https://pkgs.k8s.io/core:/stable:']);
  t.match(d, { code: 'yaml-syntax', line: 10 });
  t.match(d?.message, /must be quoted/);
  const ok = loadProfile([...BASE, 'packages:', '  aptRepository:', '    url: "https://pkgs.k8s.io/core:/stable:"'].join('\n'), 'p.yaml');
  t.ok(ok.ok);
});

t.test('duplicate keys point at the second occurrence, also inside lists', async (t) => {
  const ds = errorsOf(t, ['  - name: b', '    role: worker', '    ip: 10.0.0.3', '    ip: 10.0.0.4']);
  t.strictSame(
    ds.map((d) => [d.code, d.path, d.line, d.col]),
    [['duplicate-key', '/nodes/1/ip', 11, 5]],
  );
});

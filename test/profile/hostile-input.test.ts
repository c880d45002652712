// Hostile and runaway profiles end in one clear diagnostic with a JSON path and a
// position, within limits (limits.ts): size, node count, nesting, aliases, control
// characters, long strings, URLs and authorized keys.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Diagnostic } from '../../src/diagnostics.js';
import { loadProfile } from '../../src/profile/load-profile.js';
import { PROFILE_LIMITS } from '../../src/profile/limits.js';
import { isAuthorizedKey, isHttpUrl } from '../../src/profile/formats.js';
import { ROOT } from '../helpers/fixtures.js';

const lab = readFileSync(join(ROOT, 'profiles/lab.yaml'), 'utf8');
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGVuLXVzZXJkYXRhLWxhYi1leGFtcGxlLWtleQAAAAAA lab@example';

function errors(text: string): Diagnostic[] {
  const started = process.hrtime.bigint();
  const r = loadProfile(text, 'hostile.yaml');
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (ms > 5000) throw new Error(`took ${ms} ms`);
  return r.ok ? [] : r.diagnostics.filter((d) => d.severity === 'error');
}

function minimal(extra: Record<string, unknown> = {}, nodes = 1): string {
  return stringify({
    cluster: { name: 'demo', kubernetesVersion: '1.30.0', controlPlaneEndpoint: 'api.example:6443' },
    network: { cidr: '172.16.0.0/12' },
    nodes: Array.from({ length: nodes }, (_, i) => ({ name: `n${i}`, role: i === 0 ? 'control-plane' : 'worker', ip: `172.${16 + ((i + 1) >> 16)}.${((i + 1) >> 8) & 255}.${(i + 1) & 255}` })),
    ...extra,
  });
}

t.test('a profile over 1 MiB is refused before parsing', async (t) => {
  const padded = lab + `# ${'x'.repeat(PROFILE_LIMITS.maxBytes)}\n`;
  const [e, ...rest] = errors(padded);
  t.equal(rest.length, 0);
  t.equal(e?.code, 'too-large');
  t.match(e?.message, `limited to ${PROFILE_LIMITS.maxBytes} bytes`);
});

t.test('more than 10,000 nodes are refused with the /nodes path', async (t) => {
  t.same(errors(minimal({}, PROFILE_LIMITS.maxNodes)).slice(0, 3), [], '10,000 nodes are fine');
  const [e] = errors(minimal({}, PROFILE_LIMITS.maxNodes + 1));
  t.equal(e?.code, 'too-many-nodes');
  t.equal(e?.path, '/nodes');
  t.ok((e?.line ?? 0) > 0);
});

t.test('deep nesting is a diagnostic, not a RangeError', async (t) => {
  for (const text of [
    `cluster: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    `cluster: ${'{a: '.repeat(200)}1${'}'.repeat(200)}\n`,
    `cluster:\n${Array.from({ length: 200 }, (_, i) => `${' '.repeat(i + 1)}- `).join('\n')}x\n`,
    `cluster:\n  a:\n${Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i + 2)}k${i}:`).join('\n')} 1\n`,
  ]) {
    const [e, ...rest] = errors(text);
    t.equal(e?.code, 'too-deep', text.slice(0, 40));
    t.equal(rest.length, 0);
  }
  t.same(errors(minimal({ packages: { aptRepository: { keyFile: `${'['.repeat(100)}.asc` } } })).map((d) => d.code), [], 'brackets inside strings do not count');
});

t.test('merge keys on every one of many nodes are fine; an alias bomb is not', async (t) => {
  const lines = ['cluster: {name: demo, kubernetesVersion: "1.30.0", controlPlaneEndpoint: "api.example:6443"}', 'network: {cidr: 172.16.0.0/12}', 'x-worker: &w {role: worker}', 'nodes:'];
  lines.push('  - {name: cp, role: control-plane, ip: 172.16.0.1}');
  for (let i = 0; i < 5000; i++) lines.push(`  - {<<: *w, name: w${i}, ip: 172.17.${i >> 7}.${(i & 127) + 1}}`);
  const codes = errors(lines.join('\n')).map((d) => `${d.code} ${d.path}`);
  t.same(codes, ['unknown-key /x-worker'], 'only the x-worker key is unknown: 5,000 merges resolve');
  const bomb = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++) bomb.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  t.same(errors(bomb.join('\n')).map((d) => d.code), ['too-many-aliases']);
});

t.test('control characters in any string are refused, with the path', async (t) => {
  for (const c of ['\u0000', '\u0007', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029', '\ufffe']) {
    const text = minimal({ packages: { aptRepository: { keyFile: `key${c}.asc` } } });
    const [e, ...rest] = errors(text);
    const name = `U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`;
    t.equal(e?.code, 'control-character', name);
    t.equal(e?.path, '/packages/aptRepository/keyFile');
    t.equal(rest.length, 0, name);
  }
  const [url] = errors(minimal({ packages: { aptRepository: { url: 'https://pkgs.k8s.io/core:/stable:\ndeb http://evil.example/ ./' } } }));
  t.equal(url?.code, 'control-character');
  t.equal(url?.path, '/packages/aptRepository/url');
  const [key] = errors(minimal({ access: { users: [{ name: 'ops', sshAuthorizedKeys: [`${KEY}\n${KEY.replace('lab@', 'evil@')}`] }] } }));
  t.equal(key?.path, '/access/users/0/sshAuthorizedKeys/0');
  const armored = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQENBGN\n=abcd\n-----END PGP PUBLIC KEY BLOCK-----\n';
  t.same(errors(minimal({ packages: { aptRepository: { key: armored } } })), [], 'an armored key keeps its newlines');
  t.equal(errors(minimal({ packages: { aptRepository: { key: armored.replace('\n\n', '\n\u0000\n') } } }))[0]?.code, 'control-character');
});

t.test('a long value is cut in the diagnostic', async (t) => {
  const huge = 'x'.repeat(5 * 1024 * 1024 - 4096);
  const [e, ...rest] = errors(minimal({ access: { users: [{ name: 'ops', shell: huge }] } }).replace(huge, huge.slice(0, 900_000)));
  t.ok(e);
  const all = [e, ...rest].map((d) => d!.message).join('\n');
  t.ok(all.length < 2000, `${all.length} characters of diagnostics`);
  t.match(all, '(900000 characters)');
  const [bad] = errors(minimal({ cluster: { name: `A${'a'.repeat(5000)}`, kubernetesVersion: '1.30.0' } }));
  t.ok(bad && bad.message.length < 400, bad?.message);
});

t.test('URLs: RFC 3986 characters, a host, parseable', async (t) => {
  for (const ok of ['https://pkgs.k8s.io/core:/stable:', 'http://10.0.0.1:8080/a/b?c=d&e=%2F#f', 'https://mirror.example/$(not-run)']) t.ok(isHttpUrl(ok), ok);
  for (const bad of ['https://a b/', 'https://x/"', 'https://x/`id`', 'https://x/{a}', 'https://x/%zz', 'https:///path', 'ftp://x/', 'https://x/\nb', 'https://x/\u00e9', 'https://x/<a>']) {
    t.notOk(isHttpUrl(bad), JSON.stringify(bad));
  }
  const [e] = errors(minimal({ flatcar: { sysextUrl: 'https://x/a b;reboot' } }));
  t.equal(e?.code, 'invalid-url');
  t.equal(e?.path, '/flatcar/sysextUrl');
});

t.test('authorized keys: one OpenSSH line whose body decodes to a key of its type', async (t) => {
  for (const ok of [
    KEY,
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGVuLXVzZXJkYXRhLWxhYi1leGFtcGxlLWtleQAAAAAA',
    `from="10.0.0.0/8",no-pty,command="echo \\"hi there\\"" ${KEY}`,
    `restrict ${KEY} comment with spaces`,
  ]) {
    t.ok(isAuthorizedKey(ok), ok);
  }
  for (const bad of [
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGVuLXVzZXJkYXRhLWxhYi1leGFtcGxlLWtleQ lab@example', // truncated blob
    'ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIGVuLXVzZXJkYXRhLWxhYi1leGFtcGxlLWtleQAAAAAA x', // body of another type
    'ssh-ed25519 AAAA!!!! x',
    'ssh-foo AAAAC3NzaC1lZDI1NTE5AAAAIGVuLXVzZXJkYXRhLWxhYi1leGFtcGxlLWtleQAAAAAA',
    `no pty ${KEY}`,
    'AAAAC3NzaC1lZDI1NTE5AAAAIGVuLXVzZXJkYXRhLWxhYi1leGFtcGxlLWtleQAAAAAA',
    '',
  ]) {
    t.notOk(isAuthorizedKey(bad), bad);
  }
});

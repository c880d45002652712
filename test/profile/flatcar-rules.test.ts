// The rules that apply only to Ignition (Flatcar) output: the sysext must be verifiable
// (a digest per architecture, or an explicit allowUnverifiedSysext that warns), arch auto
// is refused, and a version older than what the sysext-bakery publishes warns. Each
// diagnostic names its JSON path and line.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProfile } from '../../src/profile/load-profile.js';
import { FLATCAR_RULES } from '../../src/profile/rules/flatcar-rules.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { ROOT } from '../helpers/fixtures.js';

const DIGEST = 'AB'.repeat(32);
const base = (extra: string, nodes = '  - {name: cp-1, role: control-plane, ip: 10.0.0.10}\n') =>
  `cluster:\n  name: c\n  kubernetesVersion: 1.32.2\nnetwork:\n  cidr: 10.0.0.0/24\n${extra}nodes:\n${nodes}`;

function flatcar(text: string): { ok: boolean; diagnostics: Diagnostic[] } {
  const r = loadProfile(text, 'p.yaml', FLATCAR_RULES);
  return r.ok ? { ok: true, diagnostics: r.warnings } : { ok: false, diagnostics: r.diagnostics };
}
const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);

t.test('without a digest: an error at /flatcar/sysextSha256, only for Ignition output', async (t) => {
  const text = base('');
  const r = flatcar(text);
  t.notOk(r.ok);
  const d = r.diagnostics.find((x) => x.code === 'sysext-sha256-required');
  t.equal(d?.path, '/flatcar/sysextSha256');
  t.match(d?.message, /amd64 Kubernetes sysext of 1\.32\.2/);
  t.ok(loadProfile(text, 'p.yaml').ok, 'cloud-init output does not need it');
});

t.test('a digest verifies; allowUnverifiedSysext turns the error into a warning at its line', async (t) => {
  t.same(codes(flatcar(base(`flatcar:\n  sysextSha256: ${DIGEST}\n`)).diagnostics), []);
  const allowed = flatcar(base('flatcar:\n  allowUnverifiedSysext: true\n'));
  t.ok(allowed.ok);
  const w = allowed.diagnostics.find((x) => x.code === 'unverified-sysext');
  t.equal(w?.severity, 'warning');
  t.equal(w?.path, '/flatcar/allowUnverifiedSysext');
  t.equal(w?.line, 7);
});

t.test('mixed architectures need one digest each', async (t) => {
  const nodes = '  - {name: cp-1, role: control-plane, ip: 10.0.0.10}\n  - {name: pi-1, role: worker, ip: 10.0.0.20, arch: arm64}\n';
  const single = flatcar(base(`flatcar:\n  sysextSha256: ${DIGEST}\n`, nodes));
  t.same(codes(single.diagnostics), ['sysext-sha256-per-arch']);
  const onlyAmd = flatcar(base(`flatcar:\n  sysextSha256: {amd64: ${DIGEST}}\n`, nodes));
  t.match(onlyAmd.diagnostics.find((d) => d.code === 'sysext-sha256-required')?.message, /no sha256 for the arm64 Kubernetes sysext/);
  const both = flatcar(base(`flatcar:\n  sysextSha256: {amd64: ${DIGEST}, arm64: ${'cd'.repeat(32)}}\n`, nodes));
  t.ok(both.ok);
  t.same(codes(both.diagnostics), []);
});

t.test('the digest format is checked in both forms', async (t) => {
  for (const [yaml, path] of [
    ['sysextSha256: abc', '/flatcar/sysextSha256'],
    [`sysextSha256: {arm64: ${'g'.repeat(64)}}`, '/flatcar/sysextSha256/arm64'],
    [`sysextSha256: {amd64: ${DIGEST}1}`, '/flatcar/sysextSha256/amd64'],
  ] as const) {
    const r = loadProfile(base(`flatcar:\n  ${yaml}\n`), 'p.yaml');
    t.notOk(r.ok, yaml);
    if (!r.ok) t.equal(r.diagnostics[0]?.path, path, yaml);
  }
  const typo = loadProfile(base(`flatcar:\n  sysextSha256: {x86_64: ${DIGEST}}\n`), 'p.yaml');
  t.notOk(typo.ok, 'only amd64 and arm64 keys');
});

t.test('arch auto: fine for cloud-init, refused for Ignition at the node', async (t) => {
  const text = base('flatcar:\n  allowUnverifiedSysext: true\n', '  - {name: cp-1, role: control-plane, ip: 10.0.0.10, arch: auto}\n');
  t.ok(loadProfile(text, 'p.yaml').ok);
  const r = flatcar(text);
  const d = r.diagnostics.find((x) => x.code === 'arch-auto-flatcar');
  t.equal(d?.path, '/nodes/0/arch');
  t.equal(d?.line, 9);
  const bad = loadProfile(base('', '  - {name: cp-1, role: control-plane, ip: 10.0.0.10, arch: armhf}\n'), 'p.yaml');
  t.notOk(bad.ok, 'arch is amd64, arm64 or auto');
});

t.test('a version the bakery no longer publishes warns, unless a mirror URL is set', async (t) => {
  const old = base(`flatcar:\n  sysextSha256: ${DIGEST}\n`).replace('1.32.2', '1.30.0');
  const w = flatcar(old).diagnostics.find((d) => d.code === 'sysext-not-published');
  t.equal(w?.severity, 'warning');
  t.equal(w?.path, '/cluster/kubernetesVersion');
  t.match(w?.message, /from 1\.31 on; kubernetes-v1\.30\.0/);
  const mirrored = flatcar(old.replace('flatcar:\n', 'flatcar:\n  sysextUrl: https://mirror.example/k.raw\n'));
  t.same(codes(mirrored.diagnostics), []);
  t.same(codes(flatcar(base(`flatcar:\n  sysextSha256: ${DIGEST}\n`)).diagnostics), [], '1.32.2 is published');
});

t.test('the bundled profiles: lab warns twice, ha once, neither fails', async (t) => {
  const lab = flatcar(readFileSync(join(ROOT, 'profiles/lab.yaml'), 'utf8'));
  t.ok(lab.ok);
  t.same(codes(lab.diagnostics).sort(), ['sysext-not-published', 'unverified-sysext']);
  const ha = flatcar(readFileSync(join(ROOT, 'profiles/ha.yaml'), 'utf8'));
  t.ok(ha.ok);
  t.same(codes(ha.diagnostics), ['unverified-sysext'], 'ha pins a version the bakery publishes');
});

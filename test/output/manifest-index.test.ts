// The compact index of the previous manifest.json, read row by row, must answer
// every question the change plan and the hard-link decision ask exactly as the
// whole-file JSON.parse did: on a real manifest of a run with changed, added and
// removed files, and on manifests laid out otherwise (which are parsed whole).
import t, { type Test } from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Profile } from '../../src/profile/types.js';
import { ChangePlanBuilder, diffManifests, parseManifest } from '../../src/output/change-plan.js';
import { ManifestIndex, ManifestRowReader } from '../../src/output/manifest-index.js';
import { ManifestBuilder, type Manifest, type ManifestEntry } from '../../src/output/manifest.js';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import type { OutputFormat } from '../../src/output/output-file.js';
import { utf8 } from '../../src/output/output-file.js';
import { readPreviousManifestIndex } from '../../src/cli/output-plan.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const lab = profileAt('profiles/lab.yaml');
const secrets = fixtureSecrets('lab');
const templates = bundledTemplates();

function manifestText(profile: Profile, formats: OutputFormat[], s = secrets): string {
  const m = generateClusterFiles({ profile, secrets: s, templates, formats }).find((f) => f.path === 'manifest.json')!;
  return Buffer.from(m.content).toString('utf8');
}

/** The reader fed `text` in pieces of `size` characters; undefined when it gave up on the layout. */
function readRows(text: string, size: number): ManifestIndex | undefined {
  const reader = new ManifestRowReader();
  for (let i = 0; i < text.length; i += size) if (!reader.push(text.slice(i, i + size))) return undefined;
  return reader.end();
}

/** What the old code answered from the whole parse: a Map by path (last row wins), without manifest.json. */
function oracle(m: Manifest) {
  const byPath = new Map<string, ManifestEntry>();
  for (const e of m.files) if (e.path !== 'manifest.json') byPath.set(e.path, e);
  const rows = m.files.filter((e) => e.path !== 'manifest.json');
  return {
    byPath,
    nodes: new Set(rows.filter((e) => e.node !== undefined).map((e) => e.node)),
    nodeFormats: new Set(rows.map((e) => `${e.node ?? ''}\0${e.format}`)),
  };
}

/** Every answer of `index` equals the whole parse's, for the paths, nodes and formats of both runs. */
function sameAnswers(t: Test, index: ManifestIndex, whole: Manifest, next: Manifest, label: string): void {
  const o = oracle(whole);
  t.equal(index.cluster, whole.cluster, `${label}: cluster`);
  t.equal(index.kubernetesVersion, whole.kubernetesVersion, `${label}: kubernetesVersion`);
  t.same([...index.paths()], [...o.byPath.keys()], `${label}: the same paths in the same order`);
  const paths = new Set([...o.byPath.keys(), ...next.files.map((e) => e.path), 'nodes/nowhere/user-data']);
  for (const path of paths) {
    const e = o.byPath.get(path);
    const expected = e === undefined ? undefined : (({ role: _role, parts: _parts, ...rest }: ManifestEntry) => rest)(e);
    t.strictSame(index.get(path), expected, `${label}: ${path}`);
    t.strictSame(index.partsOf(path), e?.parts, `${label}: ${path} parts`);
  }
  t.same(new Set(index.nodes()), o.nodes, `${label}: nodes`);
  const nodes = [...new Set([...whole.files, ...next.files].map((e) => e.node)), 'nowhere'];
  const formats = [...new Set([...whole.files, ...next.files].map((e) => e.format)), 'nocloud-net'];
  for (const node of nodes) {
    if (node !== undefined) t.equal(index.hadNode(node), o.nodes.has(node), `${label}: had node ${node}`);
    for (const format of formats) t.equal(index.hadNodeFormat(node, format), o.nodeFormats.has(`${node ?? ''}\0${format}`), `${label}: ${node} had ${format}`);
  }
}

const planFrom = (index: ManifestIndex, next: Manifest) => {
  const b = new ChangePlanBuilder(index);
  for (const e of next.files) b.add(e);
  return b.result();
};

t.test('a real manifest read row by row answers as the whole parse, for a run with changes, additions and removals', async (t) => {
  const before: Profile = structuredClone(lab);
  before.nodes.push({ name: 'worker-3', role: 'worker', ip: '192.168.56.104', arch: 'amd64' });
  const after: Profile = { ...structuredClone(lab), nodes: [...lab.nodes.filter((n) => n.name !== 'worker-2'), { name: 'worker-4', role: 'worker', ip: '192.168.56.105', arch: 'amd64' }] };
  const rotated = structuredClone(secrets);
  rotated.bootstrapToken = { ...rotated.bootstrapToken, id: 'abcdef', secret: '0123456789abcdef' };
  const text = manifestText(before, ['cloud-init', 'iso']);
  const whole = parseManifest(text)!;
  const next = parseManifest(manifestText(after, ['cloud-init', 'ignition'], rotated))!;
  t.ok(whole.files.some((e) => e.parts !== undefined), 'the manifest has parts');

  for (const size of [text.length, 1 << 12, 97, 7]) {
    const index = readRows(text, size);
    t.ok(index, `read row by row in pieces of ${size} characters`);
    sameAnswers(t, index!, whole, next, `pieces of ${size}`);
  }
  const index = readRows(text, 4096)!;
  const plan = planFrom(index, next);
  t.same(plan, diffManifests(whole, next), 'the plan equals the one from the whole parse');
  const statuses = new Set(plan.nodes.flatMap((n) => n.files.map((f) => f.status)));
  t.same([...statuses].sort(), ['added', 'changed', 'removed', 'unchanged'], 'the plan has every kind of change');
  t.ok(plan.nodes.flatMap((n) => n.files).some((f) => f.status === 'changed' && f.reason.startsWith('changed: /')), 'reasons name embedded files');
});

t.test('a manifest laid out otherwise is not read row by row, and readPreviousManifestIndex parses it whole', async (t) => {
  const text = manifestText(lab, ['cloud-init']);
  const whole = parseManifest(text)!;
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-index-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const variants: [string, string][] = [
    ['compact JSON', JSON.stringify(whole)],
    ['CRLF line ends', text.replace(/\n/g, '\r\n')],
    ['a key after files', text.replace(/\n {2}\]\n\}\n$/, '\n  ],\n  "cluster": "other"\n}\n')],
    ['no final newline', text.slice(0, -1)],
  ];
  for (const [label, variant] of variants) {
    t.equal(readRows(variant, 1000), undefined, `${label}: not the row layout`);
    writeFileSync(join(dir, 'manifest.json'), variant);
    const reparsed = parseManifest(variant)!;
    sameAnswers(t, readPreviousManifestIndex(dir)!, reparsed, whole, label);
  }
  t.equal(readPreviousManifestIndex(dir)?.cluster, lab.cluster.name, 'the last variant is read');
  for (const garbage of ['not json', '[]', '{"cluster": 1, "files": []}', text.slice(0, text.length / 2)]) {
    writeFileSync(join(dir, 'manifest.json'), garbage);
    t.equal(readPreviousManifestIndex(dir), undefined, `unreadable: ${garbage.slice(0, 20)}`);
  }
  t.equal(readPreviousManifestIndex(join(dir, 'missing')), undefined, 'no manifest.json');
});

t.test('odd rows (hand-edited) and rows past 1 MiB chunk boundaries are kept exactly', async (t) => {
  const builder = new ManifestBuilder('clüster', '1.31.0');
  const hash = (i: number): string => i.toString(16).padStart(64, '0');
  for (let i = 0; i < 4000; i++) {
    const node = `nöde-${i}`;
    builder.add({ format: 'cloud-init', path: `nodes/${node}/user-data`, node, role: 'worker', content: utf8(`é${i}`), mode: 0o600, sha256: hash(i), parts: { '/etc/é': hash(i + 1), '/etc/b': hash(7), '1': hash(2) } });
    builder.add({ format: 'cloud-init', path: `nodes/${node}/meta-data`, node, content: utf8(`m${i}`), mode: 0o644 });
  }
  const text = builder.toJson();
  t.ok(Buffer.byteLength(text) > 2 << 20, 'more than two 1 MiB chunks');
  const odd = text
    .replace(`"sha256": "${hash(5)}"`, '"sha256": "NOT-HEX"')
    .replace(`"/etc/é": "${hash(11)}"`, '"/etc/é": 11')
    .replace(/"bytes": 3,/, '"bytes": "3",')
    .replace(`"parts": {\n        "1": "${hash(2)}"`, `"parts": {\n        "__proto__": "${hash(2)}",\n        "1": "${hash(2)}"`);
  t.equal(odd.match(/NOT-HEX|"\/etc\/é": 11|"bytes": "3"|"__proto__"/g)?.length, 4, 'four rows edited');
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-index-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'manifest.json'), odd);
  t.ok(readRows(odd, 1 << 16), 'still the row layout');
  const whole = parseManifest(odd)!;
  const next: Manifest = { cluster: 'clüster', files: [] };
  sameAnswers(t, readPreviousManifestIndex(dir)!, whole, next, 'odd rows');
  t.equal(readPreviousManifestIndex(dir)!.get('nodes/nöde-5/user-data')!.sha256, 'NOT-HEX');
});

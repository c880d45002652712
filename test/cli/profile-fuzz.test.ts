// Property test: mutated copies of the bundled profiles (fixed seed) run through the
// CLI's own entry, in-process. Every case must end in exactly one of:
//  - exit 1, at least one diagnostic that names a position (and a JSON path unless it
//    is about the whole document), and nothing written;
//  - exit 0, and every user-data loads with cloud-init's own YAML loader, passes
//    cloud-init's schema (one batched Python process) and carries kubeadm documents
//    that parse.
// No exception escapes, no other exit code, no hang (each case is timed).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { main } from '../../src/cli/cli.js';
import { isRfc1123Hostname } from '../../src/profile/formats.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { serializeSecrets } from '../../src/pki/serialize-secrets.js';
import { ROOT, fixtureSecrets } from '../helpers/fixtures.js';

const CASES = Number(process.env['GEN_USERDATA_FUZZ_CASES'] ?? 2000);
const SEED = 0x5eed15;
/** Longest a single case may take before it counts as a hang. */
const CASE_LIMIT_MS = 5000;

const BASES = ['profiles/lab.yaml', 'profiles/ha.yaml', 'test/fixtures/profiles/full.yaml', 'test/fixtures/profiles/flannel.yaml'].map((rel) => ({
  rel,
  data: parse(readFileSync(join(ROOT, rel), 'utf8')) as unknown,
}));
const FIXTURE_SECRETS = fixtureSecrets('lab');
/** The fixture bundle as the secrets store itself would write it for another cluster name. */
const secretsFor = (clusterName: string): string => serializeSecrets({ ...FIXTURE_SECRETS, clusterName });

/** mulberry32: a small seeded PRNG, so every run mutates the same way. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

type Path = (string | number)[];
type Rng = () => number;
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** Every path to a value in the data (maps and lists walked, depth-first). */
function paths(data: unknown, at: Path = []): Path[] {
  const out: Path[] = at.length > 0 ? [at] : [];
  if (Array.isArray(data)) data.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (data !== null && typeof data === 'object') for (const [k, v] of Object.entries(data)) out.push(...paths(v, [...at, k]));
  return out;
}

function setAt(data: unknown, path: Path, value: unknown | typeof DELETE): void {
  let node = data as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === DELETE) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else {
    node[last] = value;
  }
}
function getAt(data: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, seg) => (node as Record<string | number, unknown>)[seg], data);
}
const DELETE = Symbol('delete');

const PAYLOADS = [
  '$(touch /tmp/pwned)',
  '`touch /tmp/pwned`',
  '"',
  "'",
  '\nruncmd:\n  - touch /tmp/pwned',
  '{{ payload }}',
  ': ',
  ' #',
  '---',
  '- x',
  '&a',
  '*a',
  '!!binary',
  '%TAG',
  '@',
  '\u0000',
  '\u007f',
  '\t',
  '\r\n',
  '\u0085',
  '\u2028',
  'ünïcödé',
  '名前',
  '🚀',
  'a\u200bb',
  '\u202eevil',
];
const ODD_VALUES: unknown[] = [42, -1, 0, 1e308, -1e308, 2 ** 53 + 2, 0.5, true, false, null, [], {}, ['x'], { a: 1 }, '', 'x'.repeat(300), 'x'.repeat(70_000)];

/** One mutation of the data; returns a short label. */
function mutateData(r: Rng, data: unknown): string {
  const all = paths(data);
  const path = pick(r, all);
  const value = getAt(data, path);
  const op = Math.floor(r() * 6);
  switch (op) {
    case 0:
      setAt(data, path, DELETE);
      return `delete ${path.join('.')}`;
    case 1: {
      const v = pick(r, ODD_VALUES);
      setAt(data, path, structuredClone(v));
      return `set ${path.join('.')} to ${JSON.stringify(v)?.slice(0, 20)}`;
    }
    case 2: {
      const p = pick(r, PAYLOADS);
      setAt(data, path, typeof value === 'string' ? `${value}${p}` : p);
      return `append ${JSON.stringify(p)} to ${path.join('.')}`;
    }
    case 3: {
      const p = pick(r, PAYLOADS);
      setAt(data, path, typeof value === 'string' ? `${p}${value}` : p);
      return `prepend ${JSON.stringify(p)} to ${path.join('.')}`;
    }
    case 4: {
      // A list grows a copy of one of its items (duplicate node, user, key …).
      const parent = getAt(data, path.slice(0, -1));
      if (Array.isArray(parent)) {
        parent.push(structuredClone(value));
        return `duplicate ${path.join('.')}`;
      }
      setAt(data, path, String(value));
      return `stringify ${path.join('.')}`;
    }
    default: {
      const parent = getAt(data, path.slice(0, -1));
      if (parent !== null && typeof parent === 'object' && !Array.isArray(parent)) {
        (parent as Record<string, unknown>)[pick(r, ['extra', 'name', 'Name', 'role', 'ip', '<<'])] = pick(r, ODD_VALUES);
        return `add a key under ${path.slice(0, -1).join('.')}`;
      }
      setAt(data, path, pick(r, ['x', 1]));
      return `replace ${path.join('.')}`;
    }
  }
}

/** One mutation of the YAML text; returns the new text and a label. */
function mutateText(r: Rng, text: string): [string, string] {
  const lines = text.split('\n');
  const at = Math.floor(r() * lines.length);
  const keyLines = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*(- )?[\w<-]+: \S/.test(l));
  switch (Math.floor(r() * 10)) {
    case 0:
      lines.splice(at, 0, lines[at] ?? '');
      return [lines.join('\n'), `duplicate line ${at + 1}`];
    case 1: {
      // An anchor on one value and an alias to it in another place.
      if (keyLines.length < 2) return [text, 'no-op'];
      const [a, b] = [pick(r, keyLines), pick(r, keyLines)].sort((x, y) => x[1] - y[1]) as [readonly [string, number], readonly [string, number]];
      lines[a[1]] = a[0].replace(/: /, ': &fuzz ');
      if (b[1] !== a[1]) lines[b[1]] = b[0].replace(/: .*/, ': *fuzz');
      return [lines.join('\n'), `anchor line ${a[1] + 1}, alias line ${b[1] + 1}`];
    }
    case 2: {
      const bomb = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < 10; i++) bomb.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
      return [`${bomb.join('\n')}\n${text}`, 'alias bomb'];
    }
    case 3:
      lines.splice(at, 0, '---');
      return [lines.join('\n'), `document separator at line ${at + 1}`];
    case 4:
      return [text.slice(0, Math.floor(r() * text.length)), 'truncated'];
    case 5: {
      const pos = Math.floor(r() * text.length);
      const insert = pick(r, [' # x', '\u0001', '\t', '"', "'", '[', '{', ': ', '- ', '&', '*x', '!', '|', '\u0000', '\ufeff']);
      return [text.slice(0, pos) + insert + text.slice(pos), `insert ${JSON.stringify(insert)} at ${pos}`];
    }
    case 6:
      lines[at] = (lines[at] ?? '').replace(/^ +/, '\t');
      return [lines.join('\n'), `tab indent line ${at + 1}`];
    case 7:
      return [`${text}\ndeep: ${'['.repeat(2000)}${']'.repeat(2000)}\n`, 'deep nesting'];
    case 8:
      return r() < 0.2 ? [`${text}\n# ${'x'.repeat(1024 * 1024)}\n`, 'over 1 MiB'] : [`${text}\n${'  '.repeat(Math.floor(r() * 40))}stray: 1\n`, 'stray key'];
    default: {
      if (keyLines.length === 0) return [text, 'no-op'];
      const [l, i] = pick(r, keyLines);
      lines[i] = l.replace(/: .*/, `: ${pick(r, ['1e999', '-0x1F', '.nan', '~', 'yes', '0o777', '2001-01-01', '!!str 1', '"\\u0000"', '"\\x7f"', '>-\n  folded'])}`);
      return [lines.join('\n'), `odd scalar on line ${i + 1}`];
    }
  }
}

/** A mutated profile text and what was done to it. */
function mutant(r: Rng): { text: string; base: string; ops: string[] } {
  const base = pick(r, BASES);
  const ops: string[] = [];
  const data = structuredClone(base.data);
  const textual = r() < 0.4;
  for (let n = textual ? Math.floor(r() * 2) : r() < 0.75 ? 1 : 2; n > 0; n--) ops.push(mutateData(r, data));
  let text = stringify(data, { lineWidth: 0 });
  if (textual) {
    const [next, label] = mutateText(r, text);
    text = next;
    ops.push(label);
  }
  return { text, base: base.rel, ops };
}

/**
 * The cluster name a run would use, if the mutant has a valid one (its secrets are
 * seeded so no case pays for new CAs), and the name of one of its nodes.
 */
function namesOf(text: string, which: number): { cluster?: string; node?: string } {
  try {
    const data = parse(text, { maxAliasCount: 100, merge: true }) as { cluster?: { name?: unknown }; nodes?: { name?: unknown }[] } | null;
    const name = data?.cluster?.name;
    const nodes = Array.isArray(data?.nodes) ? data.nodes : [];
    const node = nodes.length > 0 ? nodes[which % nodes.length]?.name : undefined;
    return {
      ...(typeof name === 'string' && isRfc1123Hostname(name) ? { cluster: name } : {}),
      ...(typeof node === 'string' ? { node } : {}),
    };
  } catch {
    return {};
  }
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Runs the CLI entry in-process with stdout/stderr captured. */
async function runInProcess(args: string[]): Promise<{ code: number | undefined; out: string; err: string; thrown?: unknown }> {
  let out = '';
  let err = '';
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  const text = (chunk: string | Uint8Array): string => (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += text(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((err += text(chunk)), true)) as typeof process.stderr.write;
  try {
    return { code: await main(args), out, err };
  } catch (thrown) {
    return { code: undefined, out, err, thrown };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
}

// Diagnostics that are about the document as a whole carry the empty path.
const DOCUMENT_CODES = new Set(['yaml-syntax', 'duplicate-key', 'too-large', 'too-deep', 'too-many-aliases', 'wrong-type', 'missing-field']);
// Diagnostics about the profile file itself (too large to read) name only the file.
const FILE_CODES = new Set(['profile-unreadable']);
const DIAGNOSTIC_LINE = /^(?<where>\S.*?)(?::(?<line>\d+):(?<col>\d+))?: error\[(?<code>[a-z0-9-]+)\](?: (?<path>\/[^\n]*?))?: /m;

/** cloud-init's own loader and schema over many files in one Python process. */
const CLOUD_INIT_CHECK = `
import json, sys, os
from cloudinit import safeyaml
from cloudinit.config.schema import get_schema, validate_cloudconfig_schema
schema = get_schema()
results = {}
for name in sorted(os.listdir(sys.argv[1])):
    with open(os.path.join(sys.argv[1], name), 'rb') as f:
        blob = f.read()
    try:
        config = safeyaml.load(blob)
        if not isinstance(config, dict):
            raise ValueError('not a mapping: %r' % type(config))
        validate_cloudconfig_schema(config, schema, strict=True, log_details=False)
        results[name] = 'ok'
    except Exception as e:
        results[name] = '%s: %s' % (type(e).__name__, str(e)[:300])
print(json.dumps(results))
`;

t.test(`${CASES} mutated profiles end in a diagnostic or in output cloud-init accepts`, async (t) => {
  const r = prng(SEED);
  const work = mkdtempSync(join(tmpdir(), 'gen-userdata-fuzz-'));
  const userDataDir = join(work, 'user-data');
  mkdirSync(userDataDir);
  const outcomes = { refused: 0, generated: 0 };
  const codes = new Map<string, number>();
  const problems: string[] = [];
  const userDataOrigin = new Map<string, string>();
  const started = Date.now();
  let slowest = 0;

  for (let i = 0; i < CASES; i++) {
    const { text, base, ops } = mutant(r);
    const label = `case ${i} (${base}: ${ops.join('; ')})`;
    const dir = join(work, `case-${i}`);
    mkdirSync(dir);
    const profile = join(dir, 'profile.yaml');
    writeFileSync(profile, text);
    const out = join(dir, 'out');
    const { cluster: name, node } = namesOf(text, i);
    // Most cases print one node's user-data (--stdout, as for pasting); every eighth
    // writes the whole output tree, the path that must leave nothing behind on failure.
    const stdoutNode = i % 8 !== 0 ? node : undefined;
    if (name !== undefined) {
      mkdirSync(join(out, name), { recursive: true, mode: 0o700 });
      writeFileSync(join(out, name, 'secrets.yaml'), secretsFor(name), { mode: 0o600 });
    }
    const before = listFiles(out);
    const caseStart = Date.now();
    const run = await runInProcess(['--profile', profile, '--out', out, ...(stdoutNode !== undefined ? ['--stdout', '--node', stdoutNode] : [])]);
    const ms = Date.now() - caseStart;
    slowest = Math.max(slowest, ms);
    if (ms > CASE_LIMIT_MS) problems.push(`${label}: took ${ms} ms`);
    if (run.thrown !== undefined) {
      problems.push(`${label}: threw ${run.thrown instanceof Error ? run.thrown.stack : String(run.thrown)}`);
    } else if (/internal error|\n\s+at .+:\d+:\d+\)?\n/.test(run.err)) {
      problems.push(`${label}: stack trace on stderr: ${run.err.slice(0, 500)}`);
    } else if (run.code === 1) {
      outcomes.refused++;
      const m = DIAGNOSTIC_LINE.exec(run.err);
      if (!m?.groups) {
        problems.push(`${label}: exit 1 without a positioned diagnostic: ${run.err.slice(0, 300)}`);
      } else {
        const code = m.groups['code'] as string;
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (m.groups['path'] === undefined && !DOCUMENT_CODES.has(code) && !FILE_CODES.has(code)) problems.push(`${label}: ${code} names no JSON path: ${run.err.slice(0, 300)}`);
        if (m.groups['line'] === undefined && m.groups['path'] === undefined && !FILE_CODES.has(code)) problems.push(`${label}: ${code} has neither a line nor a path`);
      }
      if (run.err.length > 20_000) problems.push(`${label}: ${run.err.length} characters of diagnostics`);
      const after = listFiles(out);
      if (after.join('\n') !== before.join('\n')) problems.push(`${label}: exit 1 but wrote ${after.filter((f) => !before.includes(f)).slice(0, 3).join(', ')}`);
    } else if (run.code === 0) {
      outcomes.generated++;
      const userData =
        stdoutNode !== undefined
          ? [{ file: `--stdout --node ${stdoutNode}`, content: run.out }]
          : listFiles(join(out, name ?? ''))
              .filter((f) => f.endsWith('/user-data'))
              .map((file) => ({ file, content: readFileSync(file, 'utf8') }));
      if (name === undefined || userData.length === 0) problems.push(`${label}: exit 0 without user-data`);
      for (const { file, content } of userData) {
        const hash = createHash('sha256').update(content).digest('hex').slice(0, 16);
        if (!userDataOrigin.has(hash)) {
          userDataOrigin.set(hash, `${label} ${file}`);
          writeFileSync(join(userDataDir, hash), content);
        }
        const kubeadm = (parse(content) as { write_files?: { path: string; content: string }[] }).write_files?.find((f) => f.path === NODE_PATHS.kubeadmConfig);
        const docs = kubeadm ? parseAllDocuments(kubeadm.content) : [];
        const kinds = Array.isArray(docs) ? docs.map((d) => (d.errors.length > 0 ? 'error' : (d.toJS() as { kind?: string })?.kind)) : ['error'];
        if (kinds.length === 0 || kinds.some((k) => k === 'error' || typeof k !== 'string')) problems.push(`${label}: kubeadm documents do not parse (${kinds.join(', ')}) in ${file}`);
      }
    } else {
      problems.push(`${label}: exit code ${run.code}: ${run.err.slice(0, 300)}`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const generationMs = Date.now() - started;

  const check = spawnSync('/usr/bin/python3', ['-c', CLOUD_INIT_CHECK, userDataDir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  t.equal(check.status, 0, check.stderr);
  const verdicts = JSON.parse(check.stdout || '{}') as Record<string, string>;
  t.equal(Object.keys(verdicts).length, userDataOrigin.size, 'cloud-init checked every distinct user-data');
  for (const [hash, verdict] of Object.entries(verdicts)) {
    if (verdict !== 'ok') problems.push(`${userDataOrigin.get(hash)}: cloud-init: ${verdict}`);
  }
  rmSync(work, { recursive: true, force: true });

  t.comment(
    `${CASES} cases in ${generationMs} ms (slowest ${slowest} ms): ${outcomes.refused} refused with a diagnostic, ${outcomes.generated} generated; ` +
      `${userDataOrigin.size} distinct user-data checked by cloud-init in one process; first diagnostic codes: ` +
      [...codes.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', '),
  );
  t.same(problems.slice(0, 20), [], `${problems.length} cases went wrong`);
  t.equal(outcomes.refused + outcomes.generated, CASES);
  t.ok(outcomes.generated > CASES / 25, 'a fair share of mutants still generate (the test exercises both outcomes)');
  t.ok(outcomes.refused > CASES / 5, 'and a fair share are refused');
});

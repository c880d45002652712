/**
 * The profile pipeline: YAML text → syntax check → schema → defaults →
 * semantic rules → Profile. Pure: the caller reads the file.
 */
import { LineCounter, parseDocument } from 'yaml';
import type { Diagnostic, Result } from '../diagnostics.js';
import { applyDefaults } from './defaults.js';
import type { RawProfile } from './raw-profile.js';
import { runRules, type Rule } from './rules/index.js';
import { schemaDiagnostics } from './schema-diagnostics.js';
import type { Profile } from './types.js';
import { findDuplicateKeys, SourceLocator, type Position } from './yaml-positions.js';
import { PROFILE_LIMITS } from './limits.js';
import { documentDepth, flowDepth } from './yaml-depth.js';

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.col - b.col;
}

/**
 * A hint for the YAML mistake people make most in this profile: a plain value
 * ending in ":" (the pkgs.k8s.io URL "https://pkgs.k8s.io/core:/stable:") is
 * read as a nested key unless quoted.
 */
function syntaxHint(text: string, line: number): string {
  const lines = text.split(/\r?\n/);
  const suspects = [lines[line - 2], lines[line - 1]].filter((l): l is string => l !== undefined);
  return suspects.some((l) => /^\s*(- )?[\w.-]+:\s+[^'"#\s][^#]*:\s*$/.test(l))
    ? '; a value that ends with ":" must be quoted, e.g. url: "https://pkgs.k8s.io/core:/stable:"'
    : '';
}

function failed(diagnostics: Diagnostic[]): Result<Profile> {
  return { ok: false, diagnostics: [...diagnostics].sort(byPosition) };
}

/**
 * Parses, validates and defaults a profile. `file` is only used to label
 * diagnostics. Each stage's errors stop the pipeline: the result is then
 * ok:false with every error of that stage (plus any warnings so far). On
 * success the Profile comes with the warnings (e.g. etcd-quorum). Every
 * diagnostic has a JSON pointer into the YAML and a 1-based line:col.
 * `extraRules` run after the profile rules (e.g. FLATCAR_RULES for Ignition output).
 * Never throws on user input.
 */
export function loadProfile(text: string, file: string, extraRules: readonly Rule[] = []): Result<Profile> {
  const limit = (code: string, path: string, message: string, pos: Position = { line: 1, col: 1 }): Result<Profile> =>
    failed([{ severity: 'error', code, path, message, line: pos.line, col: pos.col, file }]);
  // 0. Limits that must hold before parsing (see limits.ts).
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > PROFILE_LIMITS.maxBytes) {
    return limit('too-large', '', `the profile is ${bytes} bytes; profiles are limited to ${PROFILE_LIMITS.maxBytes} bytes (1 MiB)`);
  }
  if (flowDepth(text) > PROFILE_LIMITS.maxDepth) {
    return limit('too-deep', '', `the profile nests "[" or "{" more than ${PROFILE_LIMITS.maxDepth} levels deep`);
  }
  const lineCounter = new LineCounter();
  // uniqueKeys off: duplicate keys are reported by findDuplicateKeys with a better position.
  // merge on: `<<: *defaults` is a common way to share node settings.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, merge: true });
  const loc = new SourceLocator(doc, lineCounter, text);
  const diag = (severity: Diagnostic['severity'], code: string, path: string, message: string, pos: Position): Diagnostic => ({
    severity,
    code,
    path,
    message,
    line: pos.line,
    col: pos.col,
    file,
  });

  // Every later walk (duplicate keys, conversion, schema) recurses; bound the depth first.
  const deepest = documentDepth(doc);
  const overflow = doc.errors.find((e) => /call stack/i.test(e.message));
  if (deepest.depth > PROFILE_LIMITS.maxDepth || overflow) {
    const pos = overflow ? lineCounter.linePos(overflow.pos[0]) : loc.positionOf(deepest.node);
    return limit('too-deep', '', `the profile nests mappings and lists more than ${PROFILE_LIMITS.maxDepth} levels deep`, pos);
  }

  // 1. YAML syntax.
  const warnings = doc.warnings.map((w) => diag('warning', 'yaml-warning', '', w.message, lineCounter.linePos(w.pos[0])));
  const syntax = [
    ...doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return diag('error', 'yaml-syntax', '', e.message + syntaxHint(text, pos.line), pos);
    }),
    ...findDuplicateKeys(doc).map((d) =>
      diag('error', 'duplicate-key', d.pointer, `key "${d.name}" appears twice in the same mapping`, loc.positionOf(d.key)),
    ),
  ];
  if (syntax.length > 0) return failed([...syntax, ...warnings]);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: PROFILE_LIMITS.maxAliasCount });
  } catch (e) {
    // Raised for alias bombs ("billion laughs"): the yaml library counts resolved aliases.
    return failed([...warnings, diag('error', 'too-many-aliases', '', `${(e as Error).message}: more than ${PROFILE_LIMITS.maxAliasCount} aliases resolved`, { line: 1, col: 1 })]);
  }
  const nodes = (data as { nodes?: unknown } | null)?.nodes;
  if (Array.isArray(nodes) && nodes.length > PROFILE_LIMITS.maxNodes) {
    return limit('too-many-nodes', '/nodes', `${nodes.length} nodes; a profile may list at most ${PROFILE_LIMITS.maxNodes}`, loc.locate('/nodes'));
  }

  // 2. Schema.
  const schemaErrors = schemaDiagnostics(data, loc).map((d) => ({ ...d, file }));
  if (schemaErrors.length > 0) return failed([...schemaErrors, ...warnings]);

  // 3. Defaults. 4. Semantic rules.
  const profile = applyDefaults(data as RawProfile);
  const findings = [...runRules(profile), ...extraRules.flatMap((rule) => rule(profile))].map((f) => diag(f.severity, f.code, f.path, f.message, loc.locate(f.path)));
  const all = [...warnings, ...findings].sort(byPosition);
  if (all.some((d) => d.severity === 'error')) return failed(all);
  return { ok: true, value: profile, warnings: all };
}

/**
 * Line and column of the JSON pointer in a profile's YAML text, for diagnostics
 * raised after loading (e.g. a profile that disagrees with its secrets bundle).
 * A pointer that is not in the text resolves to its deepest existing ancestor.
 */
export function locateInProfile(text: string, pointer: string): Position {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, merge: true });
  return new SourceLocator(doc, lineCounter, text).locate(pointer);
}

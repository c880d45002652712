/** One problem found in user input; the CLI prints these, only bugs throw. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable machine-readable code, e.g. "unknown-key", "duplicate-ip". */
  code: string;
  /** JSON pointer into the input document, e.g. "/nodes/1/ip"; "" for the whole document. */
  path: string;
  message: string;
  /** 1-based line and column in the source file; 0 when unknown (e.g. file missing). */
  line: number;
  col: number;
  /** The file the diagnostic refers to, when known. */
  file?: string;
}

/** Either a value or the diagnostics that prevented it. Warnings may accompany a value. */
export type Result<T> =
  | { ok: true; value: T; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

/**
 * Formats a diagnostic as "file:line:col: error[code] /path: message"; the position
 * and path are left out when unknown, and "gen-userdata" stands in for a missing file.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file === undefined ? 'gen-userdata' : d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
  return `${where}: ${d.severity}[${d.code}]${d.path ? ` ${visible(d.path, false)}` : ''}: ${visible(d.message, true)}`;
}

/**
 * Control characters as \uXXXX escapes, so a hostile key or value in a profile cannot
 * break a diagnostic's line or send escape sequences to the terminal. Messages keep
 * their newlines (a YAML syntax error quotes the offending line below it).
 */
function visible(text: string, keepNewlines: boolean): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/g, (c) =>
    keepNewlines && c === '\n' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

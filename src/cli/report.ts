import type { Diagnostic } from '../diagnostics.js';
import { formatDiagnostic } from '../diagnostics.js';

/** Exit codes: 0 ok, 1 invalid input or failed generation, 2 usage error. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** Prints diagnostics to stderr, one per line. */
export function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
}

/** Prints diagnostics and returns exit code 1 (for `return fail(...)`). */
export function fail(diagnostics: readonly Diagnostic[]): number {
  printDiagnostics(diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  process.stderr.write(`gen-userdata: ${errors} error(s); nothing was written\n`);
  return EXIT.invalid;
}

/**
 * Go `time.ParseDuration` syntax, as kubeadm uses for token TTLs and timeouts:
 * one or more `<number><unit>` terms ("1h30m", "1.5h", "90m", "500ms"), units
 * ns, us/µs/μs, ms, s, m, h; the bare string "0" is the only unit-less value.
 */

const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  'µs': 1e-6, // U+00B5 micro sign
  'μs': 1e-6, // U+03BC Greek mu; Go accepts both
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

// Longest unit first so "ms" is not read as "m" followed by garbage.
const TERM = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Go's limit: a Duration is an int64 count of nanoseconds. */
const MAX_SECONDS = 9223372036.854775807;

/**
 * Parses a Go duration string into seconds (possibly fractional).
 * Returns undefined when the text is not a valid Go duration, when it is negative
 * (nothing in a cluster profile accepts a negative duration, so callers need not
 * re-check), or when it overflows Go's int64 nanoseconds.
 */
export function parseDuration(s: string): number | undefined {
  let text = s;
  if (text.startsWith('+')) text = text.slice(1);
  if (text === '0') return 0;
  if (text === '') return undefined;
  let total = 0;
  TERM.lastIndex = 0;
  while (TERM.lastIndex < text.length) {
    const m = TERM.exec(text);
    if (m === null) return undefined;
    total += Number(m[1]) * UNIT_SECONDS[m[2] as string]!;
  }
  return total > MAX_SECONDS ? undefined : total;
}

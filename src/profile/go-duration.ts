/**
 * Go's time.ParseDuration syntax, which kubeadm uses for token TTLs and
 * timeouts: a sequence of decimal numbers with units, e.g. "24h", "1h30m",
 * "1.5h", "300ms". "0" is the only unitless value. Negative durations are not
 * accepted here because no profile field has a use for them.
 */

const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  'µs': 1e-6, // U+00B5 micro sign
  'μs': 1e-6, // U+03BC Greek mu, also accepted by Go
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

const WHOLE_RE = /^\+?(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const PART_RE = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/** Returns the duration in seconds, or undefined when `s` is not a (non-negative) Go duration. */
export function parseGoDuration(s: string): number | undefined {
  if (s === '0' || s === '+0') return 0;
  if (!WHOLE_RE.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(PART_RE)) {
    total += Number(m[1]) * (UNIT_SECONDS[m[2] as string] as number);
  }
  return total;
}

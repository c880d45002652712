/**
 * Quotes a value for POSIX shells: the result is one word with no expansion.
 * This is the only way values reach generated shell scripts.
 */
export function shellQuote(value: string | number): string {
  const s = String(value);
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Quotes every element and joins them with spaces (a shell word list). */
export function shellWords(values: readonly (string | number)[]): string {
  return values.map(shellQuote).join(' ');
}

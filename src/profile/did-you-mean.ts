/**
 * Typo suggestions for unknown keys and enum values ("podSubnett" → "podSubnet").
 */

function editDistance(a: string, b: string): number {
  // Single-row Levenshtein; inputs are short keys, so O(n·m) is fine.
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j] as number;
      row[j] = Math.min(up + 1, (row[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length] as number;
}

/**
 * Returns the candidate closest to `input` when it is plausibly a typo of it
 * (same text ignoring case and separators, or at most a third of its length
 * in edits, and never more than 3), else undefined.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');
  const exact = candidates.find((c) => norm(c) === norm(input));
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(input.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  const limit = Math.min(3, Math.max(1, Math.floor(input.length / 3)));
  return bestDist <= limit ? best : undefined;
}

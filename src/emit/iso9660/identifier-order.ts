/**
 * ECMA-119 9.3 "Order of Directory Records": records after "." and ".." are
 * ordered by file name, then by extension, each compared character by
 * character after padding the shorter one with (20); then by version,
 * descending (all our versions are 1, so that step never decides).
 * The Joliet specification ("Sort Ordering") applies the same rule to UCS-2
 * code units, which for our ASCII names are the JavaScript char codes.
 */

function splitIdentifier(identifier: string): [name: string, extension: string] {
  const bare = identifier.replace(/;\d+$/, '');
  const dot = bare.lastIndexOf('.');
  return dot < 0 ? [bare, ''] : [bare.slice(0, dot), bare.slice(dot + 1)];
}

function comparePadded(a: string, b: string): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const ca = i < a.length ? a.charCodeAt(i) : 0x20;
    const cb = i < b.length ? b.charCodeAt(i) : 0x20;
    if (ca !== cb) return ca - cb;
  }
  return 0;
}

/**
 * Compares two file identifiers (e.g. "USER_DAT.;1", or Joliet "user-data")
 * in ECMA-119 9.3 order; negative when `a` sorts first. Never throws.
 */
export function compareIdentifiers(a: string, b: string): number {
  const [nameA, extA] = splitIdentifier(a);
  const [nameB, extB] = splitIdentifier(b);
  return comparePadded(nameA, nameB) || comparePadded(extA, extB);
}

/**
 * ISO 9660 interchange level 1 file identifiers (ECMA-119 7.5 and 10.1):
 * up to 8 d-characters, ".", up to 3 d-characters, ";1". The real names
 * ("user-data") travel in Rock Ridge NM and in the Joliet tree; these short
 * names only have to be valid and unique, the way genisoimage makes
 * USER_DAT.;1 from user-data.
 */

const D_CHARACTER = /[A-Z0-9_]/; // ECMA-119 7.4.1 d-characters

function toDCharacters(text: string): string {
  let out = '';
  for (const ch of text.toUpperCase()) out += D_CHARACTER.test(ch) ? ch : '_';
  return out;
}

function shortName(name: string): [base: string, extension: string] {
  const dot = name.lastIndexOf('.');
  const base = dot < 0 ? name : name.slice(0, dot);
  const extension = dot < 0 ? '' : name.slice(dot + 1);
  return [toDCharacters(base).slice(0, 8) || '_', toDCharacters(extension).slice(0, 3)];
}

/**
 * Returns one unique level-1 identifier ("BASE.EXT;1") per input name, in the
 * same order. Inputs are assumed distinct; names that shorten to the same
 * identifier get a numeric suffix in the base (USER_DAT, USER_DA1, …), assigned
 * in input order, so callers must pass names in a fixed order for
 * deterministic output. Throws only if more than 10^7 names collide.
 */
export function level1Identifiers(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const [base, extension] = shortName(name);
    let candidate = `${base}.${extension};1`;
    for (let n = 1; taken.has(candidate); n++) {
      const suffix = String(n);
      if (suffix.length >= 8) throw new Error(`cannot make a unique level-1 name for ${name}`);
      candidate = `${base.slice(0, 8 - suffix.length)}${suffix}.${extension};1`;
    }
    taken.add(candidate);
    return candidate;
  });
}

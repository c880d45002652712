/**
 * Keeps only the library functions a node's scripts call. The library is one file
 * for every role, but a worker's user-data should carry only what a worker runs:
 * every byte counts against user-data limits. A function stays when its name
 * appears as a shell word in one of the calling scripts, or in a function that
 * stays (a word: after a blank, ; | & ( { ` or !, so `--retry 5` is not a call).
 */

interface Chunk {
  /** Function name, or undefined for top-level lines that always stay. */
  name?: string;
  lines: string[];
}

const FUNCTION_START = /^([A-Za-z_][A-Za-z0-9_]*)\(\) \{/;

/** Splits a library into top-level function definitions (with the directives just above them) and other lines. */
function chunks(library: string): Chunk[] {
  const lines = library.split('\n');
  const out: Chunk[] = [];
  let pending: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const start = FUNCTION_START.exec(line);
    if (start === null) {
      // A shellcheck directive belongs to the definition right below it.
      if (/^# shellcheck /.test(line)) pending.push(line);
      else {
        if (pending.length > 0) out.push({ lines: pending });
        pending = [];
        out.push({ lines: [line] });
      }
      continue;
    }
    const body = [...pending, line];
    pending = [];
    if (!/\}\s*$/.test(line)) {
      while (i + 1 < lines.length && lines[i] !== '}') body.push(lines[++i]!);
    }
    // The blank line after a definition goes with it.
    if (lines[i + 1] === '') body.push(lines[++i]!);
    out.push({ name: start[1]!, lines: body });
  }
  if (pending.length > 0) out.push({ lines: pending });
  return out;
}

/** Whether `name` appears as a shell word (not inside another word or an option like --retry). */
function mentions(text: string, name: string): boolean {
  return new RegExp(`(^|[\\s;|&({\`!])${name}([\\s;|&)}\`]|$)`, 'm').test(text);
}

/**
 * The library with only the functions that `callers` (the scripts that source it)
 * use, directly or through other kept functions. Everything that is not a function
 * definition stays. Pure; never throws.
 */
export function trimShellLibrary(library: string, callers: readonly string[]): string {
  const parts = chunks(library);
  const kept = new Set<string>();
  let frontier = callers.join('\n');
  for (;;) {
    const added = parts.filter((c) => c.name !== undefined && !kept.has(c.name) && mentions(frontier, c.name));
    if (added.length === 0) break;
    for (const c of added) kept.add(c.name!);
    frontier = added.map((c) => c.lines.join('\n')).join('\n');
  }
  return parts.filter((c) => c.name === undefined || kept.has(c.name)).map((c) => c.lines.join('\n')).join('\n');
}

/**
 * Full-line comments cost bytes on every node (user-data has hard size limits) and
 * help only developers, who read them in templates/. These functions drop them from
 * rendered scripts and config files, and put one header line in their place that
 * says where the commented source lives.
 */

/** How a template's comments look: shell scripts, or `#` config files (TOML, .conf). */
export type CommentSyntax = 'shell' | 'conf';

/** The comment syntax of a template by its file name; undefined when its comments stay (YAML, units, hosts, docs). */
export function commentSyntax(templateName: string): CommentSyntax | undefined {
  if (templateName.endsWith('.sh')) return 'shell';
  if (templateName.endsWith('.conf') || templateName.endsWith('.toml')) return 'conf';
  return undefined;
}

/** The header line that replaces a file's comments. */
export function sourceHeader(templateName: string): string {
  return `# gen-userdata source: templates/${templateName}`;
}

const SHELLCHECK_DIRECTIVE = /^\s*#\s*shellcheck\s/;
const HEREDOC = /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

interface Heredoc {
  delimiter: string;
  stripTabs: boolean;
}

/** Where one line of shell leaves the lexer: inside a quoted string or not, and the heredocs it opened. */
function scanShellLine(line: string, startQuote: string | undefined): { quote: string | undefined; heredocs: Heredoc[] } {
  let quote = startQuote;
  let end = line.length;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (c === '\\') {
      i++;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      // A word that starts with # is a comment to the end of the line.
      end = i;
      break;
    }
  }
  const code = line.slice(0, end);
  const heredocs: Heredoc[] = [];
  for (const m of code.replace(/<<</g, '').matchAll(HEREDOC)) heredocs.push({ delimiter: m[3]!, stripTabs: m[1] === '-' });
  return { quote, heredocs };
}

/**
 * Drops full-line `#` comments from a bash script, keeping the `#!` line, shellcheck
 * directives, and every line inside a heredoc or a multi-line quoted string (those
 * are data). Inserts `header` after the `#!` line (or first, without one).
 */
export function stripShellComments(script: string, header: string): string {
  const lines = script.split('\n');
  const out: string[] = [];
  let quote: string | undefined;
  const pending: Heredoc[] = [];
  lines.forEach((line, index) => {
    const current = pending[0];
    if (current !== undefined) {
      out.push(line);
      if ((current.stripTabs ? line.replace(/^\t+/, '') : line) === current.delimiter) pending.shift();
      return;
    }
    if (quote === undefined) {
      if (index === 0 && line.startsWith('#!')) {
        out.push(line, header);
        return;
      }
      if (/^\s*#/.test(line) && !SHELLCHECK_DIRECTIVE.test(line)) return;
    }
    const scanned = scanShellLine(line, quote);
    quote = scanned.quote;
    pending.push(...scanned.heredocs);
    out.push(line);
  });
  if (!lines[0]?.startsWith('#!')) out.unshift(header);
  return out.join('\n');
}

/** Drops full-line `#` comments from a TOML or .conf file and puts `header` first. */
export function stripConfComments(text: string, header: string): string {
  return [header, ...text.split('\n').filter((line) => !/^\s*#/.test(line))].join('\n');
}

/** Strips the comments of a rendered template by its file name's syntax; other templates come back unchanged. */
export function stripTemplateComments(templateName: string, text: string): string {
  const syntax = commentSyntax(templateName);
  if (syntax === undefined) return text;
  const header = sourceHeader(templateName);
  return syntax === 'shell' ? stripShellComments(text, header) : stripConfComments(text, header);
}

/**
 * The per-node seed URL that cloud-init's NoCloud datasource reads from `s=` on the
 * kernel command line.
 */

/**
 * Checks a `--base-url` value; returns what is wrong with it, or undefined when it is
 * usable. The URL ends up inside one kernel command-line token, `ds=nocloud-net;s=URL`,
 * which three parsers read, so it must survive all of them unchanged:
 * - cloud-init 22.4 (DataSourceNoCloud.parse_cmdline_data) splits the command line on
 *   whitespace and the token's value on `;`, and DataSourceNoCloudNet accepts only
 *   `http://` and `https://` seeds;
 * - iPXE splits script lines on whitespace and expands `${...}` settings in every token;
 * - GRUB's script language treats `{ } | & $ ; < >` as metacharacters, and GRUB and
 *   the kernel give quotes and backslashes a meaning of their own.
 * A query or fragment would end up before the file name (cloud-init appends
 * "meta-data" to the seed URL as a plain string), so those are refused too.
 */
export function checkBaseUrl(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url)) return 'must start with http:// or https:// (cloud-init reads nocloud-net seeds only over HTTP)';
  // Printable ASCII only: anything else would be percent-encoded by one tool and not another.
  const bad = /[^\x21-\x7e]|[;"'\\`${}|&<>]|[?#]/.exec(url);
  if (bad !== null) {
    const shown = /^[\x21-\x7e]+$/.test(bad[0]) ? `"${bad[0]}"` : `character U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return `must not contain ${shown}: the URL is one token of the kernel command line, which cloud-init, iPXE and GRUB each split or expand`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL';
  }
  if (parsed.hostname === '') return 'has no host';
  if (parsed.username !== '' || parsed.password !== '') return 'must not carry credentials (the kernel command line is readable by every user of the node)';
  return undefined;
}

/**
 * `<base>/<node>/`: the seed directory of one node, with the trailing slash that
 * cloud-init needs (util.read_seeded appends "meta-data", "user-data" and
 * "vendor-data" to it as plain strings). Trailing slashes of the base are dropped so
 * `http://h/lab` and `http://h/lab/` give the same URL.
 */
export function nodeSeedUrl(baseUrl: string, node: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(node)}/`;
}

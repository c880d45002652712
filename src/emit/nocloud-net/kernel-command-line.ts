/**
 * The kernel command-line arguments that point cloud-init at a node's HTTP seed.
 *
 * Facts from cloud-init 22.4 (Debian 12), cloudinit/sources/DataSourceNoCloud.py:
 * - load_cmdline_data tries `ds=nocloud` first (dsmode local) and then
 *   `ds=nocloud-net` (dsmode net). parse_cmdline_data takes the whitespace-separated
 *   token that starts with the id and splits its value on `;`; `s=` is short for
 *   `seedfrom`.
 * - `ds=nocloud;s=http://…` marks the datasource local, and the local DataSourceNoCloud
 *   refuses seeds that are not files ("Seed from … not supported"). Only the
 *   nocloud-net spelling hands an HTTP seed to DataSourceNoCloudNet.
 * - util.read_seeded fetches only meta-data, user-data and vendor-data from the seed
 *   URL, never network-config (upstream issue canonical/cloud-init#3305). So the
 *   node's network-config travels on the command line instead, as
 *   `network-config=<base64>`, which cloudinit/net/cmdline.py decodes and which wins
 *   over every other network source. Without it the node would come up on cloud-init's
 *   DHCP fallback instead of its profile address, the one kubelet and kubeadm use.
 */

/** The datasource id cloud-init 22.4 needs for an HTTP seed. */
export const NOCLOUD_NET_DS = 'nocloud-net';

/**
 * x86 kernels keep at most 2048 bytes of command line (COMMAND_LINE_SIZE) and drop the
 * rest, so a longer line would silently lose arguments.
 */
export const KERNEL_COMMAND_LINE_MAX = 2047;

/** What the node's command line carries. */
export interface NocloudNetCommandLineInput {
  /** The node's seed URL, ending in "/" (see nodeSeedUrl). */
  seedUrl: string;
  /** The node's network-config document (version 2 YAML). */
  networkConfig: string;
  /** The user's extra arguments (checked with checkKernelArgs), appended last. */
  extraArgs?: string;
}

/** The `ds=nocloud-net;s=<seedUrl>` argument. */
export function dsArgument(seedUrl: string): string {
  return `ds=${NOCLOUD_NET_DS};s=${seedUrl}`;
}

/**
 * The arguments, space-separated: `ds=nocloud-net;s=<seed URL>`,
 * `network-config=<base64 of the network-config>`, then the user's extra arguments.
 * Throws only on a seed URL without its trailing slash, which is a bug.
 */
export function nocloudNetCommandLine(input: NocloudNetCommandLineInput): string {
  if (!input.seedUrl.endsWith('/')) throw new Error(`seed URL must end in "/": ${input.seedUrl}`);
  const args = [dsArgument(input.seedUrl), `network-config=${Buffer.from(input.networkConfig, 'utf8').toString('base64')}`];
  const extra = splitArgs(input.extraArgs ?? '');
  return [...args, ...extra].join(' ');
}

function splitArgs(text: string): string[] {
  return text.split(/\s+/).filter((a) => a !== '');
}

// Arguments gen-userdata sets itself; a second copy would override or confuse them
// (cloud-init takes the last ds= token, iPXE's EFI loader the initrd= name).
const OWN_ARGUMENTS = /^(ds|network-config|initrd)=/;

/**
 * Checks `--kernel-args`; returns what is wrong, or undefined. The arguments go
 * verbatim onto the iPXE `kernel` line, where a newline would start a new command and
 * iPXE treats a lone `;`, `&&` or `||` as a command separator and a token starting
 * with `#` as a comment (src/core/exec.c). `${...}` is allowed: iPXE expands it
 * (e.g. `ip=${ip}`), which is the point of writing it in an iPXE script.
 */
export function checkKernelArgs(text: string): string | undefined {
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(text)) return 'must be on one line, without control characters';
  for (const arg of splitArgs(text)) {
    if (arg === ';' || arg === '&&' || arg === '||') return `"${arg}" would end the iPXE kernel command`;
    if (arg.startsWith('#')) return `"${arg}" would start an iPXE comment`;
    const own = OWN_ARGUMENTS.exec(arg);
    if (own !== null) return `${arg}: gen-userdata sets ${own[1]}= itself`;
  }
  return undefined;
}

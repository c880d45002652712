/**
 * iPXE boot scripts for nocloud-net seeds.
 *
 * How iPXE reads a script line (src/core/exec.c): it splits the line on whitespace,
 * with no quoting of any kind; a token that is exactly `;`, `&&` or `||` separates
 * commands and a token starting with `#` starts a comment; every other token has its
 * `${...}` settings expanded and is passed on unchanged. So `ds=nocloud-net;s=URL`
 * needs no quoting in iPXE (the `;` is inside a token), and must not be quoted: iPXE
 * would hand the quotes to the kernel, and cloud-init would no longer see a token that
 * starts with `ds=`. The `kernel` command joins the tokens after the image with single
 * spaces to make the kernel command line.
 */

/** Kernel used when --kernel is not given: resolved by iPXE against the script's own URL. */
export const DEFAULT_KERNEL = 'vmlinuz';
/** Initrd used when --initrd is not given: resolved by iPXE against the script's own URL. */
export const DEFAULT_INITRD = 'initrd.img';

/**
 * The name the script gives the initrd image, and the `initrd=` argument that names it:
 * UEFI kernels without the LoadFile2 initrd protocol load their initrd themselves
 * from iPXE's virtual file system by this name; BIOS boots ignore it.
 */
export const IPXE_INITRD_NAME = 'initrd';

/** What one node's script boots. */
export interface IpxeScriptInput {
  node: string;
  /** Seed URL, for the header comment. */
  seedUrl: string;
  /** Kernel URI or path as iPXE should fetch it (relative = against the script's URL). */
  kernel: string;
  /** Initrd URI or path, same rules as the kernel. */
  initrd: string;
  /** The kernel command line (see nocloudNetCommandLine). */
  commandLine: string;
}

/**
 * Checks a --kernel or --initrd value; returns what is wrong, or undefined. It becomes
 * one token of an iPXE command, so it cannot contain whitespace, and it cannot start
 * with `-` (iPXE would read it as an option) or `#` (a comment).
 */
export function checkImageRef(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (/[\x00-\x20\x7f]/.test(value)) return 'must not contain whitespace or control characters (iPXE splits its command lines on whitespace and has no quoting)';
  if (value.startsWith('-')) return 'must not start with "-" (iPXE would read it as an option)';
  if (value.startsWith('#')) return 'must not start with "#" (iPXE would read it as a comment)';
  return undefined;
}

/**
 * The `#!ipxe` script that boots `kernel` and `initrd` with `commandLine`.
 * `imgfree` first drops images left over from a menu or an earlier attempt, which
 * iPXE would otherwise hand to the kernel as extra initrds. The script stops at the
 * first command that fails, as iPXE scripts do.
 */
export function ipxeScript(input: IpxeScriptInput): string {
  return [
    '#!ipxe',
    `# gen-userdata: boot ${input.node}; cloud-init fetches its NoCloud seed from`,
    `# ${input.seedUrl}{meta-data,user-data,vendor-data}`,
    '# and reads its network-config from the base64 network-config= argument.',
    'imgfree',
    `kernel ${input.kernel} initrd=${IPXE_INITRD_NAME} ${input.commandLine}`,
    `initrd --name ${IPXE_INITRD_NAME} ${input.initrd}`,
    'boot',
    '',
  ].join('\n');
}

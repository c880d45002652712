/**
 * The nocloud-net HTTP tree of one node, relative to out/<cluster>/http/:
 *   <node>/user-data       0600  same bytes as nodes/<node>/user-data
 *   <node>/meta-data       0644
 *   <node>/network-config  0644  published for completeness; cloud-init 22.4 does not fetch it
 *   <node>/vendor-data     0644  empty
 *   <node>.ipxe            0644  boots the kernel with ds=nocloud-net;s=<base>/<node>/
 * vendor-data is empty but present because cloud-init asks for it, and a 404 costs
 * ten retries one second apart (util.read_seeded calls readurl with retries=10).
 */
import { checkBaseUrl, nodeSeedUrl } from './seed-url.js';
import { checkKernelArgs, nocloudNetCommandLine } from './kernel-command-line.js';
import { DEFAULT_INITRD, DEFAULT_KERNEL, checkImageRef, ipxeScript } from './ipxe-script.js';

/** The user's choices for the HTTP tree (the --base-url, --kernel, --initrd, --kernel-args options). */
export interface NocloudNetOptions {
  /** Where out/<cluster>/http/ is served, e.g. "http://10.0.0.1/lab". */
  baseUrl: string;
  /** Kernel URI or path for iPXE; default DEFAULT_KERNEL. */
  kernel?: string;
  /** Initrd URI or path for iPXE; default DEFAULT_INITRD. */
  initrd?: string;
  /** Extra kernel arguments, e.g. "root=/dev/sda1 console=ttyS0". */
  kernelArgs?: string;
}

/** A node's NoCloud documents, as the cloud-init emitters render them. */
export interface NocloudDocuments {
  'user-data': string;
  'meta-data': string;
  'network-config': string;
}

/** One file of the HTTP tree. */
export interface HttpTreeFile {
  /** Relative to the http/ directory, forward slashes. */
  path: string;
  content: string;
  mode: number;
}

/**
 * Checks the options; returns one message per problem, each naming its option
 * (empty when all are usable).
 */
export function checkNocloudNetOptions(opts: NocloudNetOptions): string[] {
  const problems: string[] = [];
  const add = (option: string, value: string, problem: string | undefined): void => {
    if (problem !== undefined) problems.push(`${option} ${JSON.stringify(value)}: ${problem}`);
  };
  add('--base-url', opts.baseUrl, checkBaseUrl(opts.baseUrl));
  if (opts.kernel !== undefined) add('--kernel', opts.kernel, checkImageRef(opts.kernel));
  if (opts.initrd !== undefined) add('--initrd', opts.initrd, checkImageRef(opts.initrd));
  if (opts.kernelArgs !== undefined) add('--kernel-args', opts.kernelArgs, checkKernelArgs(opts.kernelArgs));
  return problems;
}

/**
 * The HTTP tree files of one node, in a fixed order. Expects options that passed
 * checkNocloudNetOptions; throws only on a bug.
 */
export function nocloudNetFiles(node: string, docs: NocloudDocuments, opts: NocloudNetOptions): HttpTreeFile[] {
  const seedUrl = nodeSeedUrl(opts.baseUrl, node);
  const commandLine = nocloudNetCommandLine({
    seedUrl,
    networkConfig: docs['network-config'],
    ...(opts.kernelArgs !== undefined ? { extraArgs: opts.kernelArgs } : {}),
  });
  const script = ipxeScript({ node, seedUrl, kernel: opts.kernel ?? DEFAULT_KERNEL, initrd: opts.initrd ?? DEFAULT_INITRD, commandLine });
  return [
    { path: `${node}/user-data`, content: docs['user-data'], mode: 0o600 },
    { path: `${node}/meta-data`, content: docs['meta-data'], mode: 0o644 },
    { path: `${node}/network-config`, content: docs['network-config'], mode: 0o644 },
    { path: `${node}/vendor-data`, content: '', mode: 0o644 },
    { path: `${node}.ipxe`, content: script, mode: 0o644 },
  ];
}

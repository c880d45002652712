import type { Diagnostic } from '../diagnostics.js';
import type { OutputFile, OutputFormat } from '../output/output-file.js';
import { checkNocloudNetOptions, type NocloudNetOptions } from '../emit/nocloud-net/emit-nocloud-net.js';
import { KERNEL_COMMAND_LINE_MAX } from '../emit/nocloud-net/kernel-command-line.js';
import { UsageError } from './load-templates.js';

/** The generate command's nocloud-net options as given on the command line. */
export interface NocloudNetArgs {
  format: OutputFormat | 'all';
  baseUrl?: string;
  kernel?: string;
  initrd?: string;
  kernelArgs?: string;
}

/**
 * The nocloud-net options for this run, or undefined when it writes no HTTP tree.
 * `--format nocloud-net` needs --base-url; `--format all` includes nocloud-net exactly
 * when --base-url is given (there is no sensible default URL). Throws UsageError
 * (exit 2) for a missing --base-url, for boot options without --base-url or with a
 * format that ignores them, and for values the kernel line cannot carry.
 */
export function nocloudNetOptions(args: NocloudNetArgs): NocloudNetOptions | undefined {
  const bootOptions = (['kernel', 'initrd', 'kernelArgs'] as const).filter((k) => args[k] !== undefined).map(optionName);
  if (args.baseUrl === undefined) {
    if (args.format === 'nocloud-net') throw new UsageError('--format nocloud-net needs --base-url URL (where out/<cluster>/http/ will be served)');
    if (bootOptions.length > 0) throw new UsageError(`${bootOptions.join(', ')} only apply to the nocloud-net HTTP tree: add --base-url URL`);
    return undefined;
  }
  if (args.format !== 'nocloud-net' && args.format !== 'all') {
    throw new UsageError(`--base-url only applies to --format nocloud-net or all (not ${args.format})`);
  }
  const opts: NocloudNetOptions = {
    baseUrl: args.baseUrl,
    ...(args.kernel !== undefined ? { kernel: args.kernel } : {}),
    ...(args.initrd !== undefined ? { initrd: args.initrd } : {}),
    ...(args.kernelArgs !== undefined ? { kernelArgs: args.kernelArgs } : {}),
  };
  const problems = checkNocloudNetOptions(opts);
  // main prints "gen-userdata: " before the message; repeat it so each problem reads alike.
  if (problems.length > 0) throw new UsageError(problems.join('\ngen-userdata: '));
  return opts;
}

function optionName(key: 'kernel' | 'initrd' | 'kernelArgs'): string {
  return key === 'kernelArgs' ? '--kernel-args' : `--${key}`;
}

/**
 * A warning when `f` is a generated iPXE script whose kernel command line is longer
 * than the kernel keeps (it would drop the tail silently); undefined otherwise. The command line is what iPXE
 * passes: the tokens after the image on the `kernel` line, joined by single spaces.
 */
export function kernelCommandLineWarning(f: OutputFile): Diagnostic | undefined {
  if (f.format !== 'nocloud-net' || !f.path.endsWith('.ipxe')) return undefined;
  const line = Buffer.from(f.content).toString('utf8').split('\n').find((l) => l.startsWith('kernel '));
  if (line === undefined) return undefined;
  const bytes = Buffer.byteLength(line.trim().split(/\s+/).slice(2).join(' '));
  if (bytes <= KERNEL_COMMAND_LINE_MAX) return undefined;
  return {
    severity: 'warning',
    code: 'kernel-command-line-too-long',
    path: '',
    line: 0,
    col: 0,
    file: f.path,
    message: `the kernel command line is ${bytes} bytes; x86 kernels keep only ${KERNEL_COMMAND_LINE_MAX} and drop the rest (shorten --kernel-args or --base-url)`,
  };
}

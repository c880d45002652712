import type { Diagnostic } from '../diagnostics.js';
import type { OutputFile } from './output-file.js';
import { gunzipUserData, gzipUserData, isGzip, type StrongGzip } from '../emit/cloud-init/gzip-user-data.js';

/** Where user-data size limits bite (raw bytes unless noted). */
export const PROVIDER_LIMITS = [
  { name: 'AWS EC2', bytes: 16 * 1024 },
  { name: 'Azure custom data', bytes: 65535 },
  { name: 'VMware guestinfo', bytes: 64 * 1024 },
] as const;

/** OpenStack limits user_data to 65,535 characters of base64. */
export const OPENSTACK_BASE64_LIMIT = 65535;

function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

/** Above this many nodes the report prints one line per role and format instead of one per file. */
export const PER_NODE_REPORT_LIMIT = 25;

/** Size of the file gzip'd: its own size when it is written gzip'd already, else what --compress gzip would write. */
function gzipLength(f: OutputFile, strong: StrongGzip | undefined): number {
  return isGzip(f.content) ? f.content.byteLength : gzipUserData(f.content, strong).byteLength;
}

function sizeLine(label: string, f: OutputFile, strong: StrongGzip | undefined): string {
  const gz = gzipLength(f, strong);
  if (isGzip(f.content)) {
    return `  ${label}: ${gz} B gzip as written (${gunzipUserData(f.content).byteLength} B raw), ${base64Length(gz)} B gzip+base64`;
  }
  return `  ${label}: ${f.content.byteLength} B raw, ${gz} B gzip, ${base64Length(gz)} B gzip+base64`;
}

/** A file over a limit: its path, and per role the largest such file (for the gzip hint). */
interface OverLimit {
  gzipBytes?: number;
  paths: string[];
  largestByRole: Map<string, OutputFile>;
}

/**
 * What to do about files over a provider limit, the smallest way that fits:
 * --compress gzip, or another way in for a role whose user-data gzip does not save
 * (files written gzip'd already count as their own gzip size). Per role, only the largest file is
 * compressed: the others are the same documents with shorter lists, and
 * compressing every file of a 1000-node cluster would double the run time.
 */
function providerHint(largest: ReadonlyMap<string, OutputFile>, limitBytes: number, strong: StrongGzip | undefined): string {
  const gzip = "; write it gzip'd with --compress gzip (cloud-init detects gzip'd user-data)";
  const tooBig = [...largest].map(([role, f]) => ({ role, gz: gzipLength(f, strong) })).filter((r) => r.gz > limitBytes);
  if (tooBig.length === 0) return gzip;
  const named = tooBig.map((r) => `${r.role} user-data (${r.gz} B gzipped)`).join(', ');
  const via = "a seed ISO (--format iso), an HTTP seed (--format nocloud-net) or cloud-init's #include";
  return `${tooBig.length < largest.size ? gzip : ''}; over it even gzipped: ${named}; deliver ${tooBig.length === 1 ? 'it' : 'those'} as ${via}`;
}

function isSized(f: OutputFile): boolean {
  // http/ (nocloud-net) repeats nodes/ byte for byte and has no provider limits.
  return f.format !== 'nocloud-net' && (f.path.endsWith('/user-data') || f.path.endsWith('/config.ign'));
}

/**
 * Builds the size report while files stream past: it keeps the bytes of at most
 * PER_NODE_REPORT_LIMIT nodes' files (dropped once the cluster is larger) and of the
 * largest file per role and kind, never the whole output.
 */
export class SizeReportBuilder {
  private readonly perFile: OutputFile[] = [];
  private readonly nodes = new Set<string | undefined>();
  private readonly largest = new Map<string, { file: OutputFile; count: number }>();
  // One warning per limit, naming the offending files (a few, then a count).
  // gzipBytes: what the gzipped file must fit in for gzip to be the advice; none for --max-bytes.
  private readonly over = new Map<string, OverLimit>();

  /** `strong`: the encoder --compress gzip uses beyond zlib (zopfli), so the gzip sizes are what it would write. */
  constructor(
    private readonly maxBytes?: number,
    private readonly strong?: StrongGzip,
  ) {}

  /** Takes note of one generated file (files other than user-data and config.ign are ignored). */
  add(f: OutputFile): void {
    if (!isSized(f)) return;
    this.nodes.add(f.node);
    if (this.nodes.size <= PER_NODE_REPORT_LIMIT) this.perFile.push(f);
    else this.perFile.length = 0;
    const key = `${f.role} ${f.path.slice(f.path.lastIndexOf('/') + 1)}`;
    const seen = this.largest.get(key);
    if (seen === undefined) this.largest.set(key, { file: f, count: 1 });
    else this.largest.set(key, { file: f.content.byteLength > seen.file.content.byteLength ? f : seen.file, count: seen.count + 1 });
    const raw = f.content.byteLength;
    if (this.maxBytes !== undefined && raw > this.maxBytes) this.note(`--max-bytes ${this.maxBytes}`, f);
    if (f.path.endsWith('/user-data')) {
      for (const limit of PROVIDER_LIMITS) {
        if (raw > limit.bytes) this.note(`the ${limit.name} limit of ${limit.bytes} B`, f, limit.bytes);
      }
      // base64 of the gzip must fit: 3 bytes become 4 characters.
      if (base64Length(raw) > OPENSTACK_BASE64_LIMIT) this.note(`OpenStack's ${OPENSTACK_BASE64_LIMIT} base64 characters`, f, Math.floor((OPENSTACK_BASE64_LIMIT / 4) * 3));
    }
  }

  /**
   * Size lines for user-data and config.ign (raw, gzip, gzip+base64): per node for small
   * clusters, else the largest file per role and format. Warnings for every file above
   * `maxBytes` or above a provider limit.
   */
  result(): { lines: string[]; warnings: Diagnostic[] } {
    const lines =
      this.nodes.size <= PER_NODE_REPORT_LIMIT
        ? this.perFile.map((f) => sizeLine(f.path, f, this.strong))
        : [...this.largest].map(([key, { file, count }]) => sizeLine(`${key} (${count} nodes, largest)`, file, this.strong));
    const warnings: Diagnostic[] = [];
    for (const [limit, { gzipBytes, paths, largestByRole }] of this.over) {
      const shown = paths.slice(0, 3).join(', ') + (paths.length > 3 ? ` and ${paths.length - 3} more` : '');
      const hint = gzipBytes === undefined ? '' : providerHint(largestByRole, gzipBytes, this.strong);
      warnings.push({ severity: 'warning', code: 'size-limit', path: '', message: `${shown} exceed${paths.length === 1 ? 's' : ''} ${limit}${hint}`, line: 0, col: 0 });
    }
    return { lines, warnings };
  }

  private note(limit: string, f: OutputFile, gzipBytes?: number): void {
    const entry = this.over.get(limit) ?? { ...(gzipBytes !== undefined ? { gzipBytes } : {}), paths: [], largestByRole: new Map<string, OutputFile>() };
    entry.paths.push(f.path);
    const role = f.role ?? f.path;
    const seen = entry.largestByRole.get(role);
    if (seen === undefined || f.content.byteLength > seen.content.byteLength) entry.largestByRole.set(role, f);
    this.over.set(limit, entry);
  }
}

/** The size report of a list of files (see SizeReportBuilder). */
export function sizeReport(files: Iterable<OutputFile>, maxBytes?: number): { lines: string[]; warnings: Diagnostic[] } {
  const builder = new SizeReportBuilder(maxBytes);
  for (const f of files) builder.add(f);
  return builder.result();
}

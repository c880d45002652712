import { gzipSync } from 'node:zlib';
import type { Diagnostic } from '../diagnostics.js';
import type { OutputFile } from './output-file.js';
import { gunzipUserData, isGzip } from '../emit/cloud-init/gzip-user-data.js';

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

// The same control plane is measured for its size line and again for each limit it
// is over (up to five gzip -9 runs of the largest file); measured once, by its bytes.
const gzipLengths = new WeakMap<Uint8Array, number>();

/** Size of the file gzip'd: its own size when it is written gzip'd already (--compress gzip). */
function gzipLength(f: OutputFile): number {
  if (isGzip(f.content)) return f.content.byteLength;
  let length = gzipLengths.get(f.content);
  if (length === undefined) {
    length = gzipSync(f.content, { level: 9 }).byteLength;
    gzipLengths.set(f.content, length);
  }
  return length;
}

function sizeLine(label: string, f: OutputFile): string {
  const gz = gzipLength(f);
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
 * How close to the limit zlib's gzip -9 may be for --compress gzip to still fit: it
 * uses zopfli for documents over the limit, about 4-5 % smaller on our control planes.
 * The plain run does not run zopfli itself (~0.1 s per file); a --compress gzip run
 * reports what it wrote.
 */
const ZOPFLI_REACH = 0.95;

/**
 * What to do about files over a provider limit, the smallest way that fits:
 * --compress gzip, or another way in for a role whose user-data gzip does not save
 * (files written gzip'd already count as their own gzip size). Per role, only the largest file is
 * compressed: the others are the same documents with shorter lists, and
 * compressing every file of a 1000-node cluster would double the run time.
 */
function providerHint(largest: ReadonlyMap<string, OutputFile>, limitBytes: number): string {
  const gzip = "; write it gzip'd with --compress gzip (cloud-init detects gzip'd user-data)";
  const rows = [...largest].map(([role, f]) => ({ role, gz: gzipLength(f), raw: f.content.byteLength, written: isGzip(f.content) }));
  // Only text that gzip compresses well (at least by half) leaves zopfli anything to gain.
  const close = rows.filter((r) => r.gz > limitBytes && !r.written && r.gz * 2 <= r.raw && r.gz * ZOPFLI_REACH <= limitBytes);
  const tooBig = rows.filter((r) => r.gz > limitBytes && !close.includes(r));
  const mayFit = close.map((r) => `${r.role} user-data is ${r.gz} B at gzip -9, which --compress gzip shrinks further with zopfli (about 4 %): the run then says whether it fits`).join('; ');
  const first = tooBig.length < rows.length ? `${gzip}${mayFit === '' ? '' : `; ${mayFit}`}` : '';
  if (tooBig.length === 0) return first;
  const named = tooBig.map((r) => `${r.role} user-data (${r.gz} B gzipped)`).join(', ');
  const via = "a seed ISO (--format iso), an HTTP seed (--format nocloud-net) or cloud-init's #include";
  return `${first}; over it even gzipped: ${named}; deliver ${tooBig.length === 1 ? 'it' : 'those'} as ${via}`;
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

  constructor(private readonly maxBytes?: number) {}

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
        ? this.perFile.map((f) => sizeLine(f.path, f))
        : [...this.largest].map(([key, { file, count }]) => sizeLine(`${key} (${count} nodes, largest)`, file));
    const warnings: Diagnostic[] = [];
    for (const [limit, { gzipBytes, paths, largestByRole }] of this.over) {
      const shown = paths.slice(0, 3).join(', ') + (paths.length > 3 ? ` and ${paths.length - 3} more` : '');
      const hint = gzipBytes === undefined ? '' : providerHint(largestByRole, gzipBytes);
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

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

/** Size of the file gzip'd: its own size when it is written gzip'd already (--compress gzip). */
function gzipLength(f: OutputFile): number {
  return isGzip(f.content) ? f.content.byteLength : gzipSync(f.content, { level: 9 }).byteLength;
}

function sizeLine(label: string, f: OutputFile): string {
  const gz = gzipLength(f);
  if (isGzip(f.content)) {
    return `  ${label}: ${gz} B gzip as written (${gunzipUserData(f.content).byteLength} B raw), ${base64Length(gz)} B gzip+base64`;
  }
  return `  ${label}: ${f.content.byteLength} B raw, ${gz} B gzip, ${base64Length(gz)} B gzip+base64`;
}

/**
 * What to do about files over a provider limit, the smallest way that fits:
 * --compress gzip, or another way in for a role whose user-data gzip does not save
 * (files written gzip'd already count as their own gzip size). Per role, only the largest file is
 * compressed: the others are the same documents with shorter lists, and
 * compressing every file of a 1000-node cluster would double the run time.
 */
function providerHint(files: readonly OutputFile[], limitBytes: number): string {
  const gzip = "; write it gzip'd with --compress gzip (cloud-init detects gzip'd user-data)";
  const largest = new Map<string, OutputFile>();
  for (const f of files) {
    const role = f.role ?? f.path;
    const seen = largest.get(role);
    if (seen === undefined || f.content.byteLength > seen.content.byteLength) largest.set(role, f);
  }
  const tooBig = [...largest].map(([role, f]) => ({ role, gz: gzipLength(f) })).filter((r) => r.gz > limitBytes);
  if (tooBig.length === 0) return gzip;
  const named = tooBig.map((r) => `${r.role} user-data (${r.gz} B gzipped)`).join(', ');
  const via = "a seed ISO (--format iso), an HTTP seed (--format nocloud-net) or cloud-init's #include";
  return `${tooBig.length < largest.size ? gzip : ''}; over it even gzipped: ${named}; deliver ${tooBig.length === 1 ? 'it' : 'those'} as ${via}`;
}

/**
 * Size lines for user-data and config.ign (raw, gzip, gzip+base64): per node for small
 * clusters, else the largest file per role and format. Warnings for every file above
 * `maxBytes` or above a provider limit.
 */
export function sizeReport(files: readonly OutputFile[], maxBytes?: number): { lines: string[]; warnings: Diagnostic[] } {
  const lines: string[] = [];
  const warnings: Diagnostic[] = [];
  // http/ (nocloud-net) repeats nodes/ byte for byte and has no provider limits.
  const sized = files.filter((f) => f.format !== 'nocloud-net' && (f.path.endsWith('/user-data') || f.path.endsWith('/config.ign')));
  const nodeCount = new Set(sized.map((f) => f.node)).size;
  if (nodeCount <= PER_NODE_REPORT_LIMIT) {
    for (const f of sized) lines.push(sizeLine(f.path, f));
  } else {
    const largest = new Map<string, { file: OutputFile; count: number }>();
    for (const f of sized) {
      const key = `${f.role} ${f.path.slice(f.path.lastIndexOf('/') + 1)}`;
      const seen = largest.get(key);
      if (seen === undefined) largest.set(key, { file: f, count: 1 });
      else largest.set(key, { file: f.content.byteLength > seen.file.content.byteLength ? f : seen.file, count: seen.count + 1 });
    }
    for (const [key, { file, count }] of largest) lines.push(sizeLine(`${key} (${count} nodes, largest)`, file));
  }
  // One warning per limit, naming the offending files (a few, then a count).
  // gzipBytes: what the gzipped file must fit in for gzip to be the advice; none for --max-bytes.
  const over = new Map<string, { gzipBytes?: number; files: OutputFile[] }>();
  const note = (limit: string, f: OutputFile, gzipBytes?: number): void => {
    const entry = over.get(limit) ?? { ...(gzipBytes !== undefined ? { gzipBytes } : {}), files: [] };
    entry.files.push(f);
    over.set(limit, entry);
  };
  for (const f of sized) {
    const raw = f.content.byteLength;
    if (maxBytes !== undefined && raw > maxBytes) note(`--max-bytes ${maxBytes}`, f);
    if (f.path.endsWith('/user-data')) {
      for (const limit of PROVIDER_LIMITS) {
        if (raw > limit.bytes) note(`the ${limit.name} limit of ${limit.bytes} B`, f, limit.bytes);
      }
      // base64 of the gzip must fit: 3 bytes become 4 characters.
      if (base64Length(raw) > OPENSTACK_BASE64_LIMIT) note(`OpenStack's ${OPENSTACK_BASE64_LIMIT} base64 characters`, f, Math.floor((OPENSTACK_BASE64_LIMIT / 4) * 3));
    }
  }
  for (const [limit, { gzipBytes, files }] of over) {
    const paths = files.map((f) => f.path);
    const shown = paths.slice(0, 3).join(', ') + (paths.length > 3 ? ` and ${paths.length - 3} more` : '');
    warnings.push({ severity: 'warning', code: 'size-limit', path: '', message: `${shown} exceed${paths.length === 1 ? 's' : ''} ${limit}${gzipBytes === undefined ? '' : providerHint(files, gzipBytes)}`, line: 0, col: 0 });
  }
  return { lines, warnings };
}

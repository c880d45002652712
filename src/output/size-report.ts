import { gzipSync } from 'node:zlib';
import type { Diagnostic } from '../diagnostics.js';
import type { OutputFile } from './output-file.js';

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

/**
 * Per-node size lines for user-data and config.ign (raw, gzip, gzip+base64), and
 * warnings for files above `maxBytes` or above a provider limit.
 */
export function sizeReport(files: readonly OutputFile[], maxBytes?: number): { lines: string[]; warnings: Diagnostic[] } {
  const lines: string[] = [];
  const warnings: Diagnostic[] = [];
  const sized = files.filter((f) => f.path.endsWith('/user-data') || f.path.endsWith('/config.ign'));
  for (const f of sized) {
    const raw = f.content.byteLength;
    const gz = gzipSync(f.content, { level: 9 }).byteLength;
    lines.push(`  ${f.path}: ${raw} B raw, ${gz} B gzip, ${base64Length(gz)} B gzip+base64`);
    const warn = (message: string): void => {
      warnings.push({ severity: 'warning', code: 'size-limit', path: '', message: `${f.path}: ${message}`, line: 0, col: 0 });
    };
    if (maxBytes !== undefined && raw > maxBytes) warn(`${raw} B exceeds --max-bytes ${maxBytes} (gzip: ${gz} B)`);
    if (f.path.endsWith('/user-data')) {
      for (const limit of PROVIDER_LIMITS) {
        if (raw > limit.bytes) warn(`${raw} B exceeds the ${limit.name} limit of ${limit.bytes} B; gzip it (cloud-init accepts gzip user-data): ${gz} B`);
      }
      if (base64Length(raw) > OPENSTACK_BASE64_LIMIT) warn(`exceeds OpenStack's ${OPENSTACK_BASE64_LIMIT} base64 characters; gzip it`);
    }
  }
  return { lines, warnings };
}

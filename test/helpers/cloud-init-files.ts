// Reading #cloud-config write_files entries the way cloud-init does: content decoded
// per its `encoding` (b64, gz+b64 and their spellings).
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';

/** One write_files entry as it appears in the YAML. */
export interface WriteFileEntry {
  path: string;
  content?: string;
  encoding?: string;
}

/** The bytes cloud-init writes for `entry`, as UTF-8 text. */
export function writeFileText(entry: WriteFileEntry): string {
  const raw = entry.content ?? '';
  switch (entry.encoding ?? 'text/plain') {
    case 'b64':
    case 'base64':
      return Buffer.from(raw, 'base64').toString('utf8');
    case 'gz+b64':
    case 'gzip+base64':
    case 'gz+base64':
    case 'gzip+b64':
      return gunzipSync(Buffer.from(raw, 'base64')).toString('utf8');
    default:
      return raw;
  }
}

/** Returns the decoded content of a write_files entry of a #cloud-config file, or undefined. */
export function writeFile(userData: string, path: string): string | undefined {
  const doc = parse(userData) as { write_files?: WriteFileEntry[] };
  const f = doc.write_files?.find((w) => w.path === path);
  return f === undefined ? undefined : writeFileText(f);
}

/** Path → decoded text of every write_files entry of a #cloud-config file. */
export function userDataFiles(userData: string): Map<string, string> {
  const doc = parse(userData) as { write_files?: WriteFileEntry[] };
  return new Map((doc.write_files ?? []).map((f) => [f.path, writeFileText(f)]));
}

// The files a #cloud-config writes, as cloud-init will write them: gz+b64 entries
// (the node tools, and scripts packed to fit EC2's limit) decoded.
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';

/** One write_files entry as emitted. */
export interface WriteFile {
  path: string;
  content: string;
  encoding?: string;
  permissions?: string;
}

/** Path → decoded text of every write_files entry of a user-data document. Throws on an unknown encoding. */
export function userDataFiles(userData: string): Map<string, string> {
  const doc = parse(userData) as { write_files?: WriteFile[] };
  return new Map((doc.write_files ?? []).map((f) => [f.path, decodeWriteFile(f)]));
}

/** The text cloud-init writes for one entry. */
export function decodeWriteFile(f: WriteFile): string {
  if (f.encoding === undefined) return f.content;
  if (f.encoding === 'gz+b64') return gunzipSync(Buffer.from(f.content, 'base64')).toString('utf8');
  throw new Error(`${f.path}: unexpected encoding ${f.encoding}`);
}

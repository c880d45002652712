/**
 * RFC 2397 data URLs for configuration formats that embed file contents as URLs
 * (Ignition's `contents.source`). Two encodings are produced: percent-encoded
 * text (`data:,…`) and gzip + base64 (`data:;base64,…` with compression "gzip");
 * the shorter one wins.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

/** An encoded file body: the data URL and, when gzipped, the compression tag Ignition needs. */
export interface DataUrl {
  source: string;
  compression?: 'gzip';
}

/** gzip level used everywhere; fixed so output only depends on the input (and zlib's implementation). */
const GZIP_LEVEL = 9;
/** RFC 1952 OS byte for "Unix"; forced so the header does not depend on the build platform of zlib. */
const GZIP_OS_UNIX = 0x03;

/**
 * Gzips bytes deterministically: fixed level, no file name, mtime 0 (zlib's default
 * when none is given) and the OS byte forced to Unix. Never fails.
 */
export function deterministicGzip(data: Uint8Array): Buffer {
  const out = gzipSync(data, { level: GZIP_LEVEL });
  out[9] = GZIP_OS_UNIX;
  return out;
}

/** True for RFC 3986's unreserved bytes: A-Z a-z 0-9 - . _ ~ */
function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e
  );
}

/** encodeURIComponent keeps these five, which RFC 3986 reserves as sub-delims. */
const SUB_DELIMS_KEPT = /[!'()*]/g;

/**
 * Percent-encodes every byte outside RFC 3986's unreserved set. Stricter than
 * encodeURIComponent (which keeps !'()*) so any data URL parser accepts it.
 */
export function percentEncode(data: Uint8Array): string {
  const parts: string[] = [];
  for (const byte of data) parts.push(isUnreserved(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`);
  return parts.join('');
}

/**
 * percentEncode of a string's UTF-8 bytes, done by the engine's native
 * encodeURIComponent (same uppercase %XX of UTF-8) plus the five characters it keeps.
 * Falls back to the byte loop for strings that are not well-formed UTF-16.
 */
function percentEncodeText(text: string): string {
  try {
    return encodeURIComponent(text).replace(SUB_DELIMS_KEPT, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  } catch {
    return percentEncode(Buffer.from(text, 'utf8'));
  }
}

/** Shortest gzip member (empty input): 10-byte header + 2-byte empty block + 8-byte trailer. */
const MIN_GZIP_BYTES = 20;
const GZIP_PREFIX = 'data:;base64,';

function encodeUncached(content: string | Uint8Array): DataUrl {
  const plain = `data:,${typeof content === 'string' ? percentEncodeText(content) : percentEncode(content)}`;
  // gzip+base64 can never beat a URL this short: skip the compressor.
  if (plain.length <= GZIP_PREFIX.length + 4 * Math.ceil(MIN_GZIP_BYTES / 3)) return { source: plain };
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const gz = `${GZIP_PREFIX}${deterministicGzip(bytes).toString('base64')}`;
  return gz.length < plain.length ? { source: gz, compression: 'gzip' } : { source: plain };
}

/**
 * Memo of text contents already encoded in this process: most embedded files are
 * the same on every node of a role, and gzip -9 is the expensive part. Bounded by
 * the characters it holds (keys and URLs); when full it starts over.
 */
const textMemo = new Map<string, DataUrl>();
let textMemoChars = 0;
const TEXT_MEMO_MAX_CHARS = 32 * 1024 * 1024;

/**
 * Encodes file contents as the shorter of a percent-encoded data URL and a
 * gzip+base64 data URL (ties go to the uncompressed form, which is readable).
 * Strings are taken as UTF-8; the same text is encoded once per process.
 * Never fails.
 */
export function encodeDataUrl(content: string | Uint8Array): DataUrl {
  if (typeof content !== 'string') return encodeUncached(content);
  const seen = textMemo.get(content);
  if (seen !== undefined) return { ...seen };
  const url = encodeUncached(content);
  const cost = content.length + url.source.length;
  if (textMemoChars + cost > TEXT_MEMO_MAX_CHARS) {
    textMemo.clear();
    textMemoChars = 0;
  }
  textMemo.set(content, url);
  textMemoChars += cost;
  return { ...url };
}

/**
 * Decodes a data URL produced by encodeDataUrl (or any RFC 2397 URL with an optional
 * media type), gunzipping when compression is "gzip". Throws on a malformed URL,
 * invalid base64 or a corrupt gzip stream; callers use it on generated output.
 */
export function decodeDataUrl(source: string, compression?: string | null): Buffer {
  const m = /^data:([^,]*),(.*)$/s.exec(source);
  if (!m) throw new Error(`not a data URL: ${source.slice(0, 40)}`);
  const meta = m[1] ?? '';
  const payload = m[2] ?? '';
  let raw: Buffer;
  if (meta.split(';').includes('base64')) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload) || payload.length % 4 !== 0) {
      throw new Error('invalid base64 payload in data URL');
    }
    raw = Buffer.from(payload, 'base64');
  } else {
    raw = percentDecode(payload);
  }
  if (compression === 'gzip') return gunzipSync(raw);
  if (compression) throw new Error(`unsupported compression ${compression}`);
  return raw;
}

/** Decodes %XX escapes to bytes; literal characters are taken as UTF-8. Throws on a bad escape. */
function percentDecode(text: string): Buffer {
  const parts: Buffer[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '%') {
      literal += text[i];
      continue;
    }
    const hex = text.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Error('invalid percent escape in data URL');
    parts.push(Buffer.from(literal, 'utf8'), Buffer.from([parseInt(hex, 16)]));
    literal = '';
    i += 2;
  }
  parts.push(Buffer.from(literal, 'utf8'));
  return Buffer.concat(parts);
}

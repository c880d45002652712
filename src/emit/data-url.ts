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

/**
 * Percent-encodes every byte outside RFC 3986's unreserved set. Stricter than
 * encodeURIComponent (which keeps !'()*) so any data URL parser accepts it.
 */
export function percentEncode(data: Uint8Array): string {
  let out = '';
  for (const byte of data) {
    const unreserved =
      (byte >= 0x30 && byte <= 0x39) || // 0-9
      (byte >= 0x41 && byte <= 0x5a) || // A-Z
      (byte >= 0x61 && byte <= 0x7a) || // a-z
      byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e; // - . _ ~
    out += unreserved ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Encodes file contents as the shorter of a percent-encoded data URL and a
 * gzip+base64 data URL (ties go to the uncompressed form, which is readable).
 * Strings are taken as UTF-8. Never fails.
 */
export function encodeDataUrl(content: string | Uint8Array): DataUrl {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const plain = `data:,${percentEncode(bytes)}`;
  const gz = `data:;base64,${deterministicGzip(bytes).toString('base64')}`;
  return gz.length < plain.length ? { source: gz, compression: 'gzip' } : { source: plain };
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

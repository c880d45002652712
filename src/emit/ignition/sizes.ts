/**
 * Size figures for an Ignition config, for comparison with platform user-data
 * limits (AWS 16 KB raw, Azure 65,535 bytes, OpenStack 65,535 base64 characters,
 * VMware 64 KiB per guestinfo value).
 */
import { deterministicGzip } from '../data-url.js';

/** Bytes of the config as written, and characters of it gzipped then base64-encoded. */
export interface IgnitionSizes {
  raw: number;
  gzipBase64: number;
}

/** Returns the raw UTF-8 byte length and the gzip+base64 length of a config. Never fails. */
export function ignitionSizes(json: string): IgnitionSizes {
  const bytes = Buffer.from(json, 'utf8');
  return { raw: bytes.length, gzipBase64: deterministicGzip(bytes).toString('base64').length };
}

import { parseDuration } from '../util/duration.js';
import type { RandomBytes } from './random.js';
import type { BootstrapToken } from './types.js';

/** kubeadm's token alphabet (bootstraputil.validBootstrapTokenChars). */
export const TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** The full token must match this (kubeadm's BootstrapTokenRegexp). */
export const TOKEN_PATTERN = /^[a-z0-9]{6}\.[a-z0-9]{16}$/;
/** Length of the public token id (the part before the dot). */
export const TOKEN_ID_LENGTH = 6;
/** Length of the token secret (the part after the dot). */
export const TOKEN_SECRET_LENGTH = 16;

/**
 * Largest multiple of the alphabet size that fits in a byte (252 for 36 chars).
 * Bytes at or above it are rejected: mapping them with `% 36` would make
 * a–d more likely than the other characters (modulo bias).
 */
export const TOKEN_BYTE_LIMIT = 256 - (256 % TOKEN_ALPHABET.length);

/**
 * Draws `length` characters uniformly from TOKEN_ALPHABET by rejection sampling
 * over bytes from `randomBytes`. Throws (a bug in the injected source) if the
 * source keeps returning only rejectable bytes.
 */
export function randomTokenString(length: number, randomBytes: RandomBytes): string {
  let out = '';
  // Enough rounds that an honest source (rejection rate 4/256) never hits it.
  for (let round = 0; round < 64 && out.length < length; round++) {
    for (const b of randomBytes(length - out.length)) {
      if (b < TOKEN_BYTE_LIMIT) out += TOKEN_ALPHABET[b % TOKEN_ALPHABET.length];
    }
  }
  if (out.length < length) throw new Error('randomBytes returned only rejectable bytes');
  return out;
}

/**
 * Generates a kubeadm bootstrap token (id 6 chars, secret 16 chars, [a-z0-9])
 * created at `now` with the given Go-duration ttl ("0" = never expires).
 * Throws (a bug: the profile rules validate ttl) when ttl is not a valid duration.
 */
export function generateBootstrapToken(opts: { randomBytes: RandomBytes; now: Date; ttl: string }): BootstrapToken {
  if (parseDuration(opts.ttl) === undefined) throw new Error(`invalid token ttl ${JSON.stringify(opts.ttl)}`);
  const id = randomTokenString(TOKEN_ID_LENGTH, opts.randomBytes);
  const secret = randomTokenString(TOKEN_SECRET_LENGTH, opts.randomBytes);
  return { id, secret, ttl: opts.ttl, createdAt: opts.now.toISOString() };
}

/** Returns the token as kubeadm expects it on the command line and in configs: "<id>.<secret>". */
export function formatToken(t: BootstrapToken): string {
  return `${t.id}.${t.secret}`;
}

/**
 * Returns when the token expires (createdAt + ttl) as an ISO 8601 UTC string,
 * or undefined when ttl is "0" (never expires). Throws (a bug: parseSecrets and
 * generateBootstrapToken validate both) when ttl or createdAt is invalid.
 */
export function tokenExpiry(t: BootstrapToken): string | undefined {
  const seconds = parseDuration(t.ttl);
  if (seconds === undefined) throw new Error(`invalid token ttl ${JSON.stringify(t.ttl)}`);
  if (seconds === 0) return undefined;
  const created = Date.parse(t.createdAt);
  if (Number.isNaN(created)) throw new Error(`invalid token createdAt ${JSON.stringify(t.createdAt)}`);
  return new Date(created + seconds * 1000).toISOString();
}

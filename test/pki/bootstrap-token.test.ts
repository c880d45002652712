import t from 'tap';
import {
  formatToken,
  generateBootstrapToken,
  randomTokenString,
  TOKEN_ALPHABET,
  TOKEN_BYTE_LIMIT,
  TOKEN_PATTERN,
  tokenExpiry,
} from '../../src/pki/bootstrap-token.js';
import type { BootstrapToken } from '../../src/pki/types.js';
import { seededRandomBytes } from '../fixtures/secrets/seeded-random.js';

const now = new Date('2026-01-01T00:00:00Z');

/** A randomBytes that replays `bytes` in order and records how many were asked for. */
function scripted(bytes: number[]) {
  let i = 0;
  const source = (n: number): Uint8Array => {
    if (i + n > bytes.length) throw new Error(`script exhausted: asked ${n} at ${i}`);
    const out = Uint8Array.from(bytes.slice(i, i + n));
    i += n;
    return out;
  };
  return { source, consumed: () => i };
}

t.test('token has kubeadm format', async (t) => {
  const rnd = seededRandomBytes('token-format');
  for (let k = 0; k < 200; k++) {
    const tok = generateBootstrapToken({ randomBytes: rnd, now, ttl: '24h' });
    t.match(tok.id, /^[a-z0-9]{6}$/);
    t.match(tok.secret, /^[a-z0-9]{16}$/);
    t.match(formatToken(tok), TOKEN_PATTERN);
    t.equal(formatToken(tok), `${tok.id}.${tok.secret}`);
  }
  const tok = generateBootstrapToken({ randomBytes: rnd, now, ttl: '1h30m' });
  t.equal(tok.ttl, '1h30m');
  t.equal(tok.createdAt, '2026-01-01T00:00:00.000Z');
});

t.test('same seed gives the same token', async (t) => {
  const a = generateBootstrapToken({ randomBytes: seededRandomBytes('s'), now, ttl: '24h' });
  const b = generateBootstrapToken({ randomBytes: seededRandomBytes('s'), now, ttl: '24h' });
  t.same(a, b);
});

t.test('the byte limit is the largest multiple of 36 below 256', async (t) => {
  t.equal(TOKEN_ALPHABET.length, 36);
  t.equal(TOKEN_BYTE_LIMIT, 252);
});

t.test('bytes >= 252 are rejected, not folded with modulo', async (t) => {
  // Without rejection 252..255 would become a, b, c, d (252 % 36 = 0).
  // First draw (6 bytes): 252 0 253 254 255 35 -> only 0 ('a') and 35 ('9') survive.
  // Second draw (the 4 still missing): 251 36 71 1 -> '9' 'a' '9' 'b'.
  const s = scripted([252, 0, 253, 254, 255, 35, 251, 36, 71, 1]);
  t.equal(randomTokenString(6, s.source), 'a99a9b');
  t.equal(s.consumed(), 10, 'rejected bytes were replaced by fresh draws');
  // The same bytes without the four high ones give the same string: they were skipped.
  t.equal(randomTokenString(6, scripted([0, 35, 251, 36, 71, 1]).source), 'a99a9b');
  // A source of only high bytes can never produce a character.
  t.throws(() => randomTokenString(6, scripted(Array(64 * 6).fill(255)).source), /rejectable/);
});

t.test('every byte below 252 maps uniformly: each char exactly 7 times', async (t) => {
  // The 4 high bytes come first, so the first draw falls 4 short and a second draw is needed.
  const s = scripted([252, 253, 254, 255, ...Array.from({ length: 252 }, (_, i) => i)]);
  const out = randomTokenString(252, s.source);
  const counts = new Map<string, number>();
  for (const c of out) counts.set(c, (counts.get(c) ?? 0) + 1);
  t.equal(counts.size, 36);
  t.ok([...counts.values()].every((n) => n === 7), 'uniform over the alphabet');
  t.equal(s.consumed(), 256, 'the 4 bytes >= 252 were skipped, not used');
});

t.test('generateBootstrapToken rejects an invalid ttl (bug, throws)', async (t) => {
  t.throws(() => generateBootstrapToken({ randomBytes: seededRandomBytes('x'), now, ttl: '1d' }), /invalid token ttl/);
});

t.test('tokenExpiry', async (t) => {
  const tok = (ttl: string): BootstrapToken => ({ id: 'abcdef', secret: '0123456789abcdef', ttl, createdAt: '2026-01-01T00:00:00.000Z' });
  t.equal(tokenExpiry(tok('24h')), '2026-01-02T00:00:00.000Z');
  t.equal(tokenExpiry(tok('1h30m')), '2026-01-01T01:30:00.000Z');
  t.equal(tokenExpiry(tok('0')), undefined, 'ttl 0 never expires');
  t.throws(() => tokenExpiry(tok('forever')));
});

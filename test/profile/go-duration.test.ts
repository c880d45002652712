import t from 'tap';
import { parseGoDuration } from '../../src/profile/go-duration.js';

t.test('accepts what time.ParseDuration accepts (non-negative)', async (t) => {
  const cases: [string, number][] = [
    ['0', 0],
    ['24h', 86400],
    ['90m', 5400],
    ['1h30m', 5400],
    ['45s', 45],
    ['1.5h', 5400],
    ['.5m', 30],
    ['300ms', 0.3],
    ['1h0m0s', 3600],
    ['2h45m30s', 9930],
    ['10us', 1e-5],
    ['10µs', 1e-5],
  ];
  for (const [s, secs] of cases) t.ok(Math.abs(parseGoDuration(s)! - secs) < 1e-9, `${s} = ${secs}s`);
});

t.test('rejects other text', async (t) => {
  for (const s of ['', '24', '1 hour', '1d', '1w', 'h', '-1h', '1h 30m', '24H', '0x10s', 'forever']) {
    t.equal(parseGoDuration(s), undefined, JSON.stringify(s));
  }
});

import t from 'tap';
import { parseDuration } from '../../src/util/duration.js';

t.test('valid Go durations convert to seconds', async (t) => {
  const cases: [string, number][] = [
    ['0', 0],
    ['+0', 0],
    ['24h', 86400],
    ['1h30m', 5400],
    ['90m', 5400],
    ['45s', 45],
    ['1.5h', 5400],
    ['.5m', 30],
    ['5.s', 5],
    ['0s', 0],
    ['1h0m0s', 3600],
    ['2h45m30s', 9930],
    ['8760h', 31536000],
  ];
  for (const [s, want] of cases) t.equal(parseDuration(s), want, s);
  t.ok(Math.abs(parseDuration('500ms')! - 0.5) < 1e-12, '500ms');
  t.ok(Math.abs(parseDuration('1500us')! - 0.0015) < 1e-12, '1500us');
  t.ok(Math.abs(parseDuration('1500µs')! - 0.0015) < 1e-12, 'micro sign');
  t.ok(Math.abs(parseDuration('1500μs')! - 0.0015) < 1e-12, 'greek mu');
  t.ok(Math.abs(parseDuration('1000000ns')! - 0.001) < 1e-12, 'ns');
});

t.test('invalid or negative durations give undefined', async (t) => {
  for (const s of ['', '24', '00', 'h', '1d', '1 h', ' 1h', '1h ', '-1h', '-0', '1h-30m', '.h', '1.2.3s', 'abc', '1H', '3000000h']) {
    t.equal(parseDuration(s), undefined, JSON.stringify(s));
  }
});

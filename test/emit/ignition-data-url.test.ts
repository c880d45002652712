import t from 'tap';
import { gunzipSync } from 'node:zlib';
import { decodeDataUrl, deterministicGzip, encodeDataUrl, percentEncode } from '../../src/emit/data-url.js';

t.test('gzip header is fixed: no name, mtime 0, level-9 flag, Unix OS byte', async (t) => {
  const a = deterministicGzip(Buffer.from('hello hello hello\n'));
  t.same([...a.subarray(0, 10)], [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0x03]);
  t.same(deterministicGzip(Buffer.from('hello hello hello\n')), a, 'same bytes twice');
  t.equal(gunzipSync(a).toString(), 'hello hello hello\n');
});

t.test('percent-encoding keeps only RFC 3986 unreserved characters', async (t) => {
  t.equal(percentEncode(Buffer.from('aZ09-._~')), 'aZ09-._~');
  t.equal(percentEncode(Buffer.from(" !'()*%\n")), '%20%21%27%28%29%2A%25%0A');
  t.equal(percentEncode(Buffer.from('ü')), '%C3%BC');
});

t.test('short text stays percent-encoded, repetitive text is gzipped', async (t) => {
  const short = encodeDataUrl('overlay\n');
  t.same(short, { source: 'data:,overlay%0A' });
  const long = encodeDataUrl('net.bridge.bridge-nf-call-iptables = 1\n'.repeat(50));
  t.equal(long.compression, 'gzip');
  t.match(long.source, /^data:;base64,[A-Za-z0-9+/]+=*$/);
  // The choice is by length: the chosen form is never longer than the other.
  for (const text of ['', 'x', 'a b c\n', 'é'.repeat(30), '#!/bin/bash\nset -e\n'.repeat(20)]) {
    const enc = encodeDataUrl(text);
    const plain = `data:,${percentEncode(Buffer.from(text))}`;
    const gz = `data:;base64,${deterministicGzip(Buffer.from(text)).toString('base64')}`;
    t.equal(enc.source.length, Math.min(plain.length, gz.length), `shortest form for ${JSON.stringify(text.slice(0, 12))}`);
  }
});

t.test('both forms round-trip through decodeDataUrl, including non-ASCII and binary', async (t) => {
  const samples = ['', 'plain\n', '100% "quoted" & <tagged> ü €\n', 'x'.repeat(5000)];
  for (const s of samples) {
    const enc = encodeDataUrl(s);
    t.equal(decodeDataUrl(enc.source, enc.compression).toString('utf8'), s);
  }
  const bin = Buffer.from([0, 1, 2, 255, 254, 37, 10]);
  const enc = encodeDataUrl(bin);
  t.same(decodeDataUrl(enc.source, enc.compression), bin);
  t.equal(decodeDataUrl('data:text/plain;charset=utf-8;base64,aGk=').toString(), 'hi');
  t.equal(decodeDataUrl('data:,a%20b').toString(), 'a b');
});

t.test('decodeDataUrl rejects malformed input', async (t) => {
  t.throws(() => decodeDataUrl('https://example.org/x'), /not a data URL/);
  t.throws(() => decodeDataUrl('data:,bad%zz'), /percent escape/);
  t.throws(() => decodeDataUrl('data:;base64,@@@@'), /base64/);
  t.throws(() => decodeDataUrl('data:;base64,aGk=', 'gzip'));
  t.throws(() => decodeDataUrl('data:,x', 'bzip2'), /unsupported compression/);
});

t.test('text and its UTF-8 bytes encode alike (native fast path for text, memo for repeats)', async (t) => {
  const samples = ['', 'a', "!'()*~-._ é ☃ 😀 \n\t%", 'x'.repeat(40), "#!/bin/sh\nset -eu\necho 'hi' (*)\n".repeat(50), '\ud800 lone surrogate'];
  for (const s of samples) {
    const bytes = Buffer.from(s, 'utf8');
    t.same(encodeDataUrl(s), encodeDataUrl(new Uint8Array(bytes)), `same URL for ${JSON.stringify(s.slice(0, 20))}`);
    t.same(encodeDataUrl(s), encodeDataUrl(s), 'a repeat (memo hit) gives the same URL');
    t.same(decodeDataUrl(encodeDataUrl(s).source, encodeDataUrl(s).compression), bytes, 'round trip');
  }
});

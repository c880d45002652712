import t from 'tap';
import { createCertificateAuthority } from '../../src/pki/certificate-authority.js';
import { randomSerialNumber } from '../../src/pki/serial-number.js';
import { openssl } from '../fixtures/secrets/openssl.js';

const constant = (byte: number) => (n: number) => new Uint8Array(n).fill(byte);

t.test('always positive and minimally encoded, whatever the bytes', async (t) => {
  t.equal(randomSerialNumber(constant(0x00)), '40' + '00'.repeat(15));
  t.equal(randomSerialNumber(constant(0xff)), '7f' + 'ff'.repeat(15));
  t.equal(randomSerialNumber(constant(0x80)), '40' + '80'.repeat(15));
});

t.test('openssl reads the extreme serials from real certificates', async (t) => {
  const now = new Date('2026-01-01T00:00:00Z');
  for (const b of [0x00, 0xff]) {
    const ca = await createCertificateAuthority({ commonName: 'kubernetes', now, randomBytes: constant(b), keyAlgorithm: 'ecdsa-p256' });
    const r = openssl(['x509', '-noout', '-serial'], { input: ca.cert });
    t.equal(r.status, 0, r.stderr);
    // openssl prints a negative serial with a leading "-", so this shows it is
    // positive; minimal encoding follows from the first byte being 0x40-0x7f (above).
    t.equal(r.stdout.trim(), `serial=${randomSerialNumber(constant(b)).toUpperCase()}`);
  }
});

t.test('a short randomBytes is a bug and throws', async (t) => {
  t.throws(() => randomSerialNumber(() => new Uint8Array(3)));
});

import type { RandomBytes } from './random.js';

/** Bytes of randomness in a serial; RFC 5280 allows up to 20 octets, CA/B asks for >= 64 bits. */
const SERIAL_BYTES = 16;

/**
 * Returns a random, positive certificate serial number as the X.509 library expects it
 * (hex of the DER INTEGER content). Never fails.
 */
export function randomSerialNumber(randomBytes: RandomBytes): string {
  const bytes = Uint8Array.from(randomBytes(SERIAL_BYTES));
  if (bytes.length !== SERIAL_BYTES) throw new Error(`randomBytes(${SERIAL_BYTES}) returned ${bytes.length} bytes`);
  // Written verbatim as the DER INTEGER. Clearing the top bit
  // keeps it positive (Go's crypto/x509, i.e. kubeadm and the apiserver,
  // rejects negative serials); setting the next bit keeps the encoding minimal
  // (Go's asn1 rejects a non-minimal INTEGER such as a leading 0x00).
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return Buffer.from(bytes).toString('hex');
}

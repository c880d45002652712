/**
 * An append-only byte store that doubles when full. Large tables of small records
 * kept here live outside the JS heap: V8 lets its heap grow to a multiple of what is
 * live before it collects, so every MB of long-lived objects costs several of RSS.
 */
export class GrowableBytes {
  buf: Buffer;
  length = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.alloc(initialBytes);
  }

  /** Makes room for `n` more bytes (zeroed) and returns where they start. */
  reserve(n: number): number {
    if (this.length + n > this.buf.length) {
      const bigger = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    this.length += n;
    return this.length - n;
  }

  /** Gives back the room doubling left unused. */
  trim(): void {
    if (this.buf.length > this.length) this.buf = Buffer.from(this.buf.subarray(0, this.length));
  }
}

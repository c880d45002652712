/**
 * Writers for the numeric field encodings of ECMA-119 section 7.
 * Every multi-byte number is written through these so a wrong width or
 * byte order shows up in one place; out-of-range values are bugs and throw.
 */

function assertRange(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${what}: ${value} is not an integer in 0..${max}`);
  }
}

/** ECMA-119 7.1.1: 8-bit unsigned number. Throws RangeError when out of range. */
export function putU8(view: DataView, offset: number, value: number): void {
  assertRange(value, 0xff, 'uint8');
  view.setUint8(offset, value);
}

/** ECMA-119 7.3.1: 32-bit number, least significant byte first (type L path table fields). */
export function putLe32(view: DataView, offset: number, value: number): void {
  assertRange(value, 0xffffffff, 'uint32');
  view.setUint32(offset, value, true);
}

/** ECMA-119 7.3.2: 32-bit number, most significant byte first (type M path table fields). */
export function putBe32(view: DataView, offset: number, value: number): void {
  assertRange(value, 0xffffffff, 'uint32');
  view.setUint32(offset, value, false);
}

/** ECMA-119 7.2.1: 16-bit number, least significant byte first. */
export function putLe16(view: DataView, offset: number, value: number): void {
  assertRange(value, 0xffff, 'uint16');
  view.setUint16(offset, value, true);
}

/** ECMA-119 7.2.2: 16-bit number, most significant byte first. */
export function putBe16(view: DataView, offset: number, value: number): void {
  assertRange(value, 0xffff, 'uint16');
  view.setUint16(offset, value, false);
}

/** ECMA-119 7.2.3: 16-bit number recorded in both byte orders (4 bytes: LE then BE). */
export function putBoth16(view: DataView, offset: number, value: number): void {
  putLe16(view, offset, value);
  putBe16(view, offset + 2, value);
}

/** ECMA-119 7.3.3: 32-bit number recorded in both byte orders (8 bytes: LE then BE). */
export function putBoth32(view: DataView, offset: number, value: number): void {
  putLe32(view, offset, value);
  putBe32(view, offset + 4, value);
}

/**
 * Writes an ASCII identifier left-aligned in a fixed-width field, padded with
 * spaces (ECMA-119 8.4: a- and d-character fields are filled with (20)).
 * Throws when the text does not fit or is not 7-bit ASCII.
 */
export function putPaddedAscii(bytes: Uint8Array, offset: number, width: number, text: string): void {
  if (text.length > width) throw new RangeError(`"${text}" does not fit in ${width} bytes`);
  for (let i = 0; i < width; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0x20;
    if (code > 0x7e || code < 0x20) throw new RangeError(`"${text}" is not printable ASCII`);
    bytes[offset + i] = code;
  }
}

/**
 * Writes text as UCS-2 big-endian (Joliet, "Wide Character Byte Ordering") in a
 * fixed-width field, padded with (00)(20) spaces. An odd trailing byte of the
 * field (the 37-byte file-identifier fields) is left as (00).
 * Throws when the text does not fit or holds characters outside the BMP.
 */
export function putPaddedUcs2(bytes: Uint8Array, offset: number, width: number, text: string): void {
  const chars = Math.floor(width / 2);
  if (text.length > chars) throw new RangeError(`"${text}" does not fit in ${width} bytes of UCS-2`);
  for (let i = 0; i < chars; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0x20;
    if (code >= 0xd800 && code <= 0xdfff) throw new RangeError(`"${text}" is not UCS-2`);
    bytes[offset + 2 * i] = code >> 8;
    bytes[offset + 2 * i + 1] = code & 0xff;
  }
}

/**
 * The two date encodings of ECMA-119. All dates are written in UTC (offset 0)
 * so the image depends only on the instant passed in, not on the host zone.
 */

/** First and last years a directory record can hold (ECMA-119 9.1.5: years since 1900 in one byte). */
export const MIN_RECORDABLE_YEAR = 1900;
export const MAX_RECORDABLE_YEAR = 1900 + 255;

/**
 * Throws when `date` is invalid or outside the years every field can encode
 * (the 7-byte directory date is the narrowest). Callers pass a fixed date, so
 * failing here is a programmer error.
 */
export function assertRecordableDate(date: Date): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new TypeError('ISO image date must be a valid Date');
  }
  const year = date.getUTCFullYear();
  if (year < MIN_RECORDABLE_YEAR || year > MAX_RECORDABLE_YEAR) {
    throw new RangeError(`ISO image date year ${year} outside ${MIN_RECORDABLE_YEAR}..${MAX_RECORDABLE_YEAR}`);
  }
}

/**
 * ECMA-119 9.1.5 "Recording Date and Time" (also used by RRIP TF entries in
 * short form): 7 bytes — years since 1900, month, day, hour, minute, second,
 * offset from GMT in 15-minute units (0 = UTC). Throws via assertRecordableDate.
 */
export function directoryDate(date: Date): Uint8Array {
  assertRecordableDate(date);
  return Uint8Array.of(
    date.getUTCFullYear() - 1900,
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    0,
  );
}

function digits(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * ECMA-119 8.4.26.1 volume descriptor date: 16 ASCII digits
 * "YYYYMMDDhhmmsscc" (cc = hundredths) and a GMT offset byte. `null` gives
 * the "not specified" form: sixteen '0' digits and offset 0.
 */
export function volumeDate(date: Date | null): Uint8Array {
  const out = new Uint8Array(17);
  let text = '0'.repeat(16);
  if (date !== null) {
    assertRecordableDate(date);
    text =
      digits(date.getUTCFullYear(), 4) +
      digits(date.getUTCMonth() + 1, 2) +
      digits(date.getUTCDate(), 2) +
      digits(date.getUTCHours(), 2) +
      digits(date.getUTCMinutes(), 2) +
      digits(date.getUTCSeconds(), 2) +
      digits(Math.floor(date.getUTCMilliseconds() / 10), 2);
  }
  for (let i = 0; i < 16; i++) out[i] = text.charCodeAt(i);
  out[16] = 0; // offset from GMT in 15-minute intervals
  return out;
}

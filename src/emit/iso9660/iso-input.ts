import { assertRecordableDate } from './iso-dates.js';

/** One file placed in the image's (flat) root directory. */
export interface IsoFile {
  /** Real file name as cloud-init sees it through Rock Ridge or Joliet, e.g. "user-data". */
  name: string;
  data: Uint8Array;
}

/** Everything that determines the bytes of a seed image. */
export interface IsoImageInput {
  /** Volume label written to both descriptors, e.g. "cidata" for NoCloud. */
  volumeId: string;
  files: readonly IsoFile[];
  /** Used for every date in the image; callers derive it from fixed data (e.g. secrets creation time). */
  date: Date;
}

/** Longest file name accepted: the Joliet limit of 64 UCS-2 characters ("Relaxation of ISO 9660 Restrictions"). */
export const MAX_NAME_LENGTH = 64;

/**
 * Portable names only: letters, digits, '.', '_' and '-', not starting with
 * '.' (which also rules out "." and ".."). These are valid in Joliet (which
 * forbids * / : ; ? \ and controls) and in Rock Ridge NM.
 */
const NAME_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Volume ids: at most 16 characters because the Joliet volume identifier
 * field holds 16 UCS-2 characters (ECMA-119 8.5 field of 32 bytes). Lowercase is
 * accepted on purpose: NoCloud wants "cidata", which genisoimage also writes
 * verbatim although ECMA-119 8.4.6 asks for d-characters.
 */
const VOLUME_ID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;

/** Largest file: its size must fit the 32-bit Data Length field (ECMA-119 9.1.4) without multi-extent files. */
export const MAX_FILE_SIZE = 0xffffffff;

/**
 * Checks an image request and returns its files sorted by name (UTF-16 code
 * unit order, which is byte order for the allowed ASCII names).
 * Throws TypeError/RangeError on a bad volume id, name, duplicate, size or
 * date: inputs come from our own code, so these are programmer errors.
 */
export function validateIsoInput(input: IsoImageInput): IsoFile[] {
  if (!VOLUME_ID_PATTERN.test(input.volumeId)) {
    throw new RangeError(`invalid ISO volume id "${input.volumeId}" (1-16 of A-Z a-z 0-9 _ -)`);
  }
  assertRecordableDate(input.date);
  const seen = new Set<string>();
  for (const file of input.files) {
    if (!NAME_PATTERN.test(file.name) || file.name.length > MAX_NAME_LENGTH) {
      throw new RangeError(`invalid ISO file name "${file.name}"`);
    }
    if (seen.has(file.name)) throw new RangeError(`duplicate ISO file name "${file.name}"`);
    seen.add(file.name);
    if (!(file.data instanceof Uint8Array)) throw new TypeError(`data of "${file.name}" is not a Uint8Array`);
    if (file.data.length > MAX_FILE_SIZE) throw new RangeError(`"${file.name}" is larger than 4 GiB - 1`);
  }
  return [...input.files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

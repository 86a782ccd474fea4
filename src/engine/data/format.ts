// The binary dataset format that scripts/prepare-data.mjs writes and the page and the CLI read.
// Pure (no node:*, no DOM) so the worker and Node decode the same way. The script keeps its own
// copy of the encoder (it is plain Node, no TS); format.test.ts and scripts/prepare-data.test.ts
// pin the two to the same layout.
//
// Layout, little-endian, one split per file:
//   0  magic     4 bytes  "MNDS"
//   4  version   u16      FORMAT_VERSION
//   6  header    u16      HEADER_BYTES (lets a later version grow the header)
//   8  count     u32      examples
//  12  height    u16
//  14  width     u16
//  16  channels  u16
//  18  classes   u16
//  20  checksum  u32      FNV-1a 32 of every byte after the header
//  24  reserved  8 bytes  zero
//  32  labels    count × u8
//      images    count × height × width × channels × u8, NHWC
// Labels come first so that a file's length alone says whether it was truncated.

export const FORMAT_MAGIC = 'MNDS';
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 32;

/** A file that is missing, truncated or corrupted. The message is one line and names the file. */
export class DataError extends Error {
  override name = 'DataError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

export interface DecodedSplit {
  height: number;
  width: number;
  channels: number;
  classes: number;
  count: number;
  /** Views into the input buffer, not copies. */
  labels: Uint8Array;
  images: Uint8Array;
}

/** FNV-1a, 32 bit: a few lines, fast enough for 50 MB, and catches flipped or shifted bytes. */
export function fnv1a(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Bytes a split of this shape takes on disk, header included. */
export function encodedLength(count: number, height: number, width: number, channels: number): number {
  return HEADER_BYTES + count * (1 + height * width * channels);
}

/** Reads the fixed header only; throws DataError when it is not one of ours. */
export function decodeHeader(file: string, bytes: Uint8Array): Omit<DecodedSplit, 'labels' | 'images'> & { checksum: number } {
  // Magic first: a short HTML error page should say so, not that it is a truncated header.
  const magic = bytes.length >= 4 ? String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!) : '';
  if (bytes.length >= 4 && magic !== FORMAT_MAGIC) {
    // A dev server answers a missing file with its index.html, which starts with '<'.
    const hint = bytes[0] === 0x3c ? ' (got an HTML page: the file is missing)' : '';
    throw new DataError(file, `not a dataset file: bad magic${hint}`);
  }
  if (bytes.length < HEADER_BYTES) {
    throw new DataError(file, `truncated: ${bytes.length} bytes, shorter than the ${HEADER_BYTES}-byte header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const version = view.getUint16(4, true);
  if (version !== FORMAT_VERSION) {
    throw new DataError(file, `format version ${version}, expected ${FORMAT_VERSION}: run npm install to rebuild the data`);
  }
  const header = view.getUint16(6, true);
  if (header !== HEADER_BYTES) throw new DataError(file, `header size ${header}, expected ${HEADER_BYTES}`);
  const count = view.getUint32(8, true);
  const height = view.getUint16(12, true);
  const width = view.getUint16(14, true);
  const channels = view.getUint16(16, true);
  const classes = view.getUint16(18, true);
  const checksum = view.getUint32(20, true);
  if (height === 0 || width === 0 || channels === 0 || classes < 2 || classes > 256) {
    throw new DataError(file, `bad shape ${height}x${width}x${channels}, ${classes} classes`);
  }
  return { count, height, width, channels, classes, checksum };
}

/** Decodes and validates a whole split: length, checksum, labels. Returns views, no copies. */
export function decodeSplit(file: string, bytes: Uint8Array): DecodedSplit {
  const { count, height, width, channels, classes, checksum } = decodeHeader(file, bytes);
  const expected = encodedLength(count, height, width, channels);
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'too long';
    throw new DataError(file, `${what}: ${bytes.length} bytes, expected ${expected} for ${count} examples of ${height}x${width}x${channels}`);
  }
  const actual = fnv1a(bytes, HEADER_BYTES);
  if (actual !== checksum) {
    throw new DataError(file, `checksum mismatch (file says ${hex(checksum)}, contents give ${hex(actual)}): corrupted, run npm install to rebuild`);
  }
  const labels = bytes.subarray(HEADER_BYTES, HEADER_BYTES + count);
  for (let i = 0; i < count; i++) {
    if (labels[i]! >= classes) throw new DataError(file, `label ${labels[i]} at example ${i} is not below ${classes} classes`);
  }
  const images = bytes.subarray(HEADER_BYTES + count, expected);
  return { count, height, width, channels, classes, labels, images };
}

/** The inverse of decodeSplit: for tests and for anything that wants to write a split itself. */
export function encodeSplit(split: Omit<DecodedSplit, 'count'> & { count?: number }): Uint8Array {
  const { height, width, channels, classes, labels, images } = split;
  const count = labels.length;
  if (images.length !== count * height * width * channels) {
    throw new RangeError(`encodeSplit: ${images.length} image bytes for ${count} examples of ${height}x${width}x${channels}`);
  }
  const out = new Uint8Array(encodedLength(count, height, width, channels));
  for (let i = 0; i < 4; i++) out[i] = FORMAT_MAGIC.charCodeAt(i);
  out.set(labels, HEADER_BYTES);
  out.set(images, HEADER_BYTES + count);
  const view = new DataView(out.buffer);
  view.setUint16(4, FORMAT_VERSION, true);
  view.setUint16(6, HEADER_BYTES, true);
  view.setUint32(8, count, true);
  view.setUint16(12, height, true);
  view.setUint16(14, width, true);
  view.setUint16(16, channels, true);
  view.setUint16(18, classes, true);
  view.setUint32(20, fnv1a(out, HEADER_BYTES), true);
  return out;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

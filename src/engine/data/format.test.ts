import { describe, expect, it } from 'vitest';
import { DataError, HEADER_BYTES, decodeSplit, encodeSplit, encodedLength, fnv1a } from './format.ts';

function sample(): Uint8Array {
  // 3 examples of 2x2x1, 4 classes.
  return encodeSplit({
    height: 2,
    width: 2,
    channels: 1,
    classes: 4,
    labels: Uint8Array.of(0, 3, 1),
    images: Uint8Array.from({ length: 12 }, (_, i) => i * 20),
  });
}

function errorOf(fn: () => unknown): DataError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DataError) return err;
    throw err;
  }
  throw new Error('expected a DataError');
}

describe('fnv1a', () => {
  it('matches the published FNV-1a 32 test vectors', () => {
    expect(fnv1a(new Uint8Array(0))).toBe(0x811c9dc5);
    expect(fnv1a(new TextEncoder().encode('a'))).toBe(0xe40c292c);
    expect(fnv1a(new TextEncoder().encode('foobar'))).toBe(0xbf9cf968);
  });
});

describe('encodeSplit / decodeSplit', () => {
  it('round-trips shape, labels and pixels', () => {
    const bytes = sample();
    expect(bytes.length).toBe(encodedLength(3, 2, 2, 1));
    expect(bytes.length).toBe(HEADER_BYTES + 3 + 12);
    const split = decodeSplit('x.bin', bytes);
    expect([split.count, split.height, split.width, split.channels, split.classes]).toEqual([3, 2, 2, 1, 4]);
    expect([...split.labels]).toEqual([0, 3, 1]);
    expect([...split.images]).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220]);
  });

  it('decodes from a view that does not start at offset 0 (a Node Buffer from a pool)', () => {
    const bytes = sample();
    const host = new Uint8Array(bytes.length + 7);
    host.set(bytes, 7);
    const split = decodeSplit('x.bin', host.subarray(7));
    expect([...split.labels]).toEqual([0, 3, 1]);
    expect(split.images[11]).toBe(220);
  });
});

describe('corrupted files throw a one-line DataError naming the file', () => {
  it('truncated by one byte', () => {
    const err = errorOf(() => decodeSplit('mnist-train.bin', sample().subarray(0, HEADER_BYTES + 14)));
    expect(err.file).toBe('mnist-train.bin');
    expect(err.message).toBe('mnist-train.bin: truncated: 46 bytes, expected 47 for 3 examples of 2x2x1');
  });

  it('truncated inside the header', () => {
    expect(errorOf(() => decodeSplit('a.bin', sample().subarray(0, 10))).message).toBe(
      'a.bin: truncated: 10 bytes, shorter than the 32-byte header',
    );
  });

  it('a flipped pixel byte fails the checksum', () => {
    const bytes = sample();
    bytes[bytes.length - 1]! ^= 0x01;
    const err = errorOf(() => decodeSplit('fashion-test.bin', bytes));
    expect(err.message).toMatch(/^fashion-test\.bin: checksum mismatch \(file says 0x[0-9a-f]{8}, contents give 0x[0-9a-f]{8}\)/);
    expect(err.message).not.toContain('\n');
  });

  it('a flipped label byte fails the checksum too', () => {
    const bytes = sample();
    bytes[HEADER_BYTES + 1]! ^= 0x80;
    expect(errorOf(() => decodeSplit('b.bin', bytes)).message).toMatch(/^b\.bin: checksum mismatch/);
  });

  it('bad magic, and the hint when a server sent its HTML page instead', () => {
    const bytes = sample();
    bytes[0] = 0x58;
    expect(errorOf(() => decodeSplit('c.bin', bytes)).message).toBe('c.bin: not a dataset file: bad magic');
    const html = new TextEncoder().encode('<!doctype html><html><body>not here</body></html>');
    expect(errorOf(() => decodeSplit('c.bin', html)).message).toBe(
      'c.bin: not a dataset file: bad magic (got an HTML page: the file is missing)',
    );
  });

  it('a label not below the class count, even with a valid checksum', () => {
    const bytes = encodeSplit({ height: 1, width: 1, channels: 1, classes: 2, labels: Uint8Array.of(1, 2), images: Uint8Array.of(0, 0) });
    expect(errorOf(() => decodeSplit('d.bin', bytes)).message).toBe('d.bin: label 2 at example 1 is not below 2 classes');
  });

  it('a newer format version', () => {
    const bytes = sample();
    bytes[4] = 9;
    expect(errorOf(() => decodeSplit('e.bin', bytes)).message).toBe(
      'e.bin: format version 9, expected 1: run npm install to rebuild the data',
    );
  });

  it('extra bytes at the end', () => {
    const bytes = sample();
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(errorOf(() => decodeSplit('f.bin', longer)).message).toMatch(/^f\.bin: too long: 48 bytes, expected 47/);
  });
});

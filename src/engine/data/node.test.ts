import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeSplit } from './format.ts';
import { defaultDataDir, loadDatasetFromDisk } from './node.ts';

const dir = mkdtempSync(join(tmpdir(), 'data-node-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tiny(count: number): Uint8Array {
  return encodeSplit({ height: 28, width: 28, channels: 1, classes: 10, labels: new Uint8Array(count).fill(4), images: new Uint8Array(count * 784).fill(9) });
}

describe('loadDatasetFromDisk', () => {
  it('reads both files from the directory', async () => {
    writeFileSync(join(dir, 'mnist-train.bin'), tiny(5));
    writeFileSync(join(dir, 'mnist-test.bin'), tiny(2));
    const ds = await loadDatasetFromDisk('mnist', dir);
    expect([ds.train.count, ds.test.count, ds.train.labels[4], ds.test.images[783]]).toEqual([5, 2, 4, 9]);
  });

  it('says how to make a missing file', async () => {
    await expect(loadDatasetFromDisk('fashion', dir)).rejects.toThrow(
      `fashion-train.bin: missing from ${dir}: run npm install (it prepares the data)`,
    );
  });

  it('finds public/data of this package by default', () => {
    expect(defaultDataDir()).toBe(join(import.meta.dirname, '..', '..', '..', 'public', 'data'));
  });

  // The real prepared files, where `npm install` has made them (it has, in CI and after a clone).
  const real = defaultDataDir();
  it.skipIf(!existsSync(join(real, 'fashion-test.bin')) || !existsSync(join(real, 'mnist-test.bin')))(
    'loads the prepared MNIST and Fashion-MNIST: 60,000 + 10,000, every class present',
    async () => {
      for (const name of ['mnist', 'fashion'] as const) {
        const ds = await loadDatasetFromDisk(name);
        expect([ds.train.count, ds.test.count]).toEqual([60000, 10000]);
        const counts = new Array<number>(10).fill(0);
        for (const l of ds.test.labels) counts[l]!++;
        if (name === 'fashion') expect(counts).toEqual(new Array(10).fill(1000));
        else expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
        // Pixels span the full range, as the originals do.
        expect(Math.max(...ds.test.images.subarray(0, 784 * 10))).toBe(255);
      }
    },
  );
});

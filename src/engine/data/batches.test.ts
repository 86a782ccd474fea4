import { describe, expect, it } from 'vitest';
import type { Dataset } from '../types.ts';
import { evalBatches, gatherBatch, makeBatchBuffers, makeBatchSampler } from './batches.ts';

function draw(sampler: ReturnType<typeof makeBatchSampler>, n: number): number[][] {
  return Array.from({ length: n }, () => [...sampler.next()]);
}

describe('makeBatchSampler', () => {
  it('is the same sequence for the same seed, another for another seed', () => {
    const a = draw(makeBatchSampler({ count: 50, batchSize: 8, seed: 3 }), 20);
    const b = draw(makeBatchSampler({ count: 50, batchSize: 8, seed: 3 }), 20);
    const c = draw(makeBatchSampler({ count: 50, batchSize: 8, seed: 4 }), 20);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('uses every example at most once per epoch, drops the partial batch, reshuffles each epoch', () => {
    const s = makeBatchSampler({ count: 50, batchSize: 8, seed: 1 });
    expect(s.batchesPerEpoch).toBe(6); // 48 of 50; 2 left out, a different 2 each epoch
    const epochs: number[][] = [];
    for (let e = 0; e < 3; e++) {
      expect(s.epoch).toBe(e);
      const seen = draw(s, 6).flat();
      expect(seen).toHaveLength(48);
      expect(new Set(seen).size).toBe(48);
      expect(seen.every((i) => Number.isInteger(i) && i >= 0 && i < 50)).toBe(true);
      epochs.push(seen);
    }
    expect(s.step).toBe(18);
    expect(epochs[1]).not.toEqual(epochs[0]);
  });

  it('uses every example exactly once per epoch when the batch divides the count', () => {
    const s = makeBatchSampler({ count: 12, batchSize: 4, seed: 9 });
    for (let e = 0; e < 2; e++) expect(draw(s, 3).flat().sort((x, y) => x - y)).toEqual([...Array(12).keys()]);
    const first = s.next();
    const copy = [...first];
    draw(s, 5); // crossing into the next epoch does not change a batch already handed out
    expect([...first]).toEqual(copy);
  });

  it('rejects a batch larger than the split', () => {
    expect(() => makeBatchSampler({ count: 4, batchSize: 5, seed: 0 })).toThrow('batch size 5 is larger than the 4 examples');
  });
});

describe('evalBatches', () => {
  it('covers the first `limit` examples in fixed-size batches, padding the last', () => {
    const b = evalBatches(100, 4, 10);
    expect(b.map((x) => [...x.indices])).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 0, 1]]);
    expect(b.map((x) => x.valid)).toEqual([4, 4, 2]);
    expect(evalBatches(6, 3).map((x) => x.valid)).toEqual([3, 3]);
  });
});

describe('gatherBatch', () => {
  // 3 examples of 1x2x2 (HWC): example i, pixel p, channel c = 10 * i + 2 * p + c; labels 2, 0, 1.
  const ds: Dataset = {
    name: 'shapes',
    height: 1,
    width: 2,
    channels: 2,
    classes: 3,
    classNames: ['a', 'b', 'c'],
    train: { count: 3, labels: Uint8Array.of(2, 0, 1), images: Uint8Array.from({ length: 12 }, (_, k) => 10 * Math.floor(k / 4) + (k % 4)) },
    test: { count: 1, labels: Uint8Array.of(1), images: Uint8Array.of(255, 0, 51, 102) },
  };

  it('copies pixels scaled to [0, 1] in NHWC order and labels as int32', () => {
    const out = gatherBatch(ds, 'train', [2, 0]);
    expect([...out.labels]).toEqual([1, 2]);
    expect(Array.from(out.images, (v) => Math.round(v * 255))).toEqual([20, 21, 22, 23, 0, 1, 2, 3]);
    expect(out.images[0]).toBeCloseTo(20 / 255, 7);
    expect([...gatherBatch(ds, 'test', [0]).images]).toEqual([1, 0, 0.2, 0.4].map(Math.fround));
  });

  it('reuses the buffers it is given', () => {
    const buffers = makeBatchBuffers(ds, 2);
    const out = gatherBatch(ds, 'train', Uint32Array.of(1, 1), buffers);
    expect(out).toBe(buffers);
    expect([...buffers.labels]).toEqual([0, 0]);
    expect(() => gatherBatch(ds, 'train', [0, 1, 2], buffers)).toThrow(RangeError);
    expect(() => gatherBatch(ds, 'train', [3])).toThrow('index 3 is outside the 3 train examples');
  });
});

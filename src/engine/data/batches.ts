// Which examples go into each step, and their pixels as floats. Plain arrays, no tfjs, so this is
// tested in Node; the engine turns the buffers into tensors. Batches always have the same size
// (BROWSER.md: every new tensor shape adds buffers to the WebGPU pool, which never frees them).
import { makeRng, permutation } from '../rng.ts';
import type { Dataset } from '../types.ts';

export type Split = 'train' | 'test';

export interface BatchSampler {
  readonly batchSize: number;
  /** floor(count / batchSize): the last partial batch of each epoch is dropped. */
  readonly batchesPerEpoch: number;
  /** Batches handed out so far. */
  readonly step: number;
  /** The epoch the next batch belongs to, from 0. */
  readonly epoch: number;
  /** Example indices of the next batch: a fresh read-only view, valid for as long as it is held. */
  next(): Uint32Array;
}

/**
 * Shuffled epochs from a seed: epoch e is the (e+1)-th permutation drawn from makeRng(seed), so a
 * run's batches follow from its settings alone. Within an epoch no example repeats.
 */
export function makeBatchSampler({ count, batchSize, seed }: { count: number; batchSize: number; seed: number }): BatchSampler {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size ${batchSize} must be a positive integer`);
  if (batchSize > count) throw new RangeError(`batch size ${batchSize} is larger than the ${count} examples`);
  const rand = makeRng(seed);
  const batchesPerEpoch = Math.floor(count / batchSize);
  let order = permutation(count, rand);
  let step = 0;
  return {
    batchSize,
    batchesPerEpoch,
    get step() {
      return step;
    },
    get epoch() {
      return Math.floor(step / batchesPerEpoch);
    },
    next() {
      const k = step % batchesPerEpoch;
      // A new permutation array (not an in-place shuffle) keeps earlier views valid.
      if (k === 0 && step > 0) order = permutation(count, rand);
      step++;
      return order.subarray(k * batchSize, (k + 1) * batchSize);
    },
  };
}

export interface EvalBatch {
  /** Always batchSize long; past the end of the split it repeats from the start. */
  indices: Uint32Array;
  /** How many leading entries are real and count towards accuracy. */
  valid: number;
}

/**
 * The first `limit` examples in order, in fixed-size batches: the last one is padded instead of
 * shrunk, and `valid` says how much of it to count, so evaluation adds no new tensor shapes.
 */
export function evalBatches(count: number, batchSize: number, limit = count): EvalBatch[] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size ${batchSize} must be a positive integer`);
  const n = Math.max(0, Math.min(limit, count));
  const out: EvalBatch[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const indices = new Uint32Array(batchSize);
    for (let i = 0; i < batchSize; i++) indices[i] = (start + i) % n;
    out.push({ indices, valid: Math.min(batchSize, n - start) });
  }
  return out;
}

export interface BatchBuffers {
  /** NHWC, each value pixel / 255 in [0, 1]. */
  images: Float32Array;
  labels: Int32Array;
}

/** Buffers for one batch of this dataset, to be reused by gatherBatch step after step. */
export function makeBatchBuffers(dataset: Dataset, batchSize: number): BatchBuffers {
  return {
    images: new Float32Array(batchSize * dataset.height * dataset.width * dataset.channels),
    labels: new Int32Array(batchSize),
  };
}

const TO_UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/** Copies the examples at `indices` into `out` (made if not given), pixels scaled to [0, 1]. */
export function gatherBatch(dataset: Dataset, split: Split, indices: ArrayLike<number>, out?: BatchBuffers): BatchBuffers {
  const size = dataset.height * dataset.width * dataset.channels;
  const buffers = out ?? makeBatchBuffers(dataset, indices.length);
  if (buffers.labels.length !== indices.length || buffers.images.length !== indices.length * size) {
    throw new RangeError(`gatherBatch: buffers hold ${buffers.labels.length} examples, asked for ${indices.length}`);
  }
  const { images, labels, count } = dataset[split];
  for (let b = 0; b < indices.length; b++) {
    const i = indices[b]!;
    if (i >= count) throw new RangeError(`gatherBatch: index ${i} is outside the ${count} ${split} examples`);
    buffers.labels[b] = labels[i]!;
    const from = i * size;
    const to = b * size;
    for (let p = 0; p < size; p++) buffers.images[to + p] = TO_UNIT[images[from + p]!]!;
  }
  return buffers;
}

// Seeded batch order and pixel gathering for the training step. Stand-in until the data
// module's sampler (src/engine/data/batches.ts) lands; the session only needs next() and a gather.
import { makeRng, permutation } from './rng.ts';

/** Fixed-size batches in a seeded order: a fresh permutation each epoch, batches may span two. */
export class BatchSampler {
  private readonly rand: () => number;
  private order: Uint32Array;
  private pos = 0;
  private readonly out: Uint32Array;

  constructor(
    private readonly count: number,
    batch: number,
    seed: number,
  ) {
    if (count < 1) throw new Error('the training set is empty');
    // A stream apart from the weights' (seeded with the same number): order ≠ init.
    this.rand = makeRng((seed ^ 0x5bd1e995) >>> 0);
    this.order = permutation(count, this.rand);
    this.out = new Uint32Array(batch);
  }

  /** The next batch's example indices (a reused buffer: read it before the next call). */
  next(): Uint32Array {
    for (let k = 0; k < this.out.length; k++) {
      if (this.pos === this.count) {
        this.order = permutation(this.count, this.rand);
        this.pos = 0;
      }
      this.out[k] = this.order[this.pos++]!;
    }
    return this.out;
  }
}

/** Copies examples `idx` of uint8 NHWC images into `out` as floats in [0, 1]. */
export function gatherImages(images: Uint8Array, pixels: number, idx: ArrayLike<number>, out: Float32Array): void {
  for (let k = 0; k < idx.length; k++) {
    const src = idx[k]! * pixels;
    const dst = k * pixels;
    for (let j = 0; j < pixels; j++) out[dst + j] = images[src + j]! / 255;
  }
}

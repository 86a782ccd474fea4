import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initNodeBackend } from './backend-node.ts';
import { batchNormPasses, batchNormTrain, forceJsBatchNormLoops } from './batchnorm-kernels.ts';
import { simdBatchNorm, simdBatchNormBytes } from './simd-batchnorm.ts';

const EPS = 1e-3;

/** y, mean, variance and the gradients of Σ y·w for x, γ, β, on the active backend. */
async function run(shape: [number, number, number, number], offset: number, spread: number) {
  const n = shape.reduce((a, b) => a * b);
  const c = shape[3];
  const wave = (k: number, f: number) => Float32Array.from({ length: k }, (_, i) => Math.sin(i * f + 0.3));
  const x = tf.tensor4d(wave(n, 0.37).map((v, i) => offset + spread * v + 0.01 * (i % c)), shape);
  const w = tf.tensor4d(wave(n, 0.11), shape);
  const gamma = tf.tensor1d(wave(c, 0.9).map((v) => v + 1.5));
  const beta = tf.tensor1d(wave(c, 0.5));
  const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => batchNormTrain(a, g, b, EPS).y.mul(w).sum();
  const grads = tf.grads(f)([x, gamma, beta]);
  const s = batchNormTrain(x, gamma, beta, EPS);
  const out = await Promise.all([s.y, s.mean, s.variance, ...grads].map((t) => t.data()));
  tf.dispose([x, w, gamma, beta, s.y, s.mean, s.variance, ...grads]);
  return out;
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let scale = 0;
  let m = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return scale === 0 ? m : m / scale;
}

describe('batch norm passes in WebAssembly SIMD', () => {
  it('assembles a module this runtime validates and instantiates on a memory of its own', () => {
    expect(WebAssembly.validate(simdBatchNormBytes())).toBe(true);
    const mem = new WebAssembly.Memory({ initial: 1 });
    const k = simdBatchNorm(mem)!;
    const f32 = new Float32Array(mem.buffer);
    f32.set([1, 2, 3, 4, 5, 6, 7, 8], 64); // two pixels of four channels at byte 256
    k.moments(256, 256 + 32, 16, 512, 1024);
    expect(Array.from(new Float64Array(mem.buffer, 512, 4))).toEqual([6, 8, 10, 12]);
    expect(Array.from(new Float64Array(mem.buffer, 1024, 4))).toEqual([26, 40, 58, 80]);
  });

  // Channels a multiple of 4 take the SIMD passes; offset 50 with spread 0.1 is the case where
  // y = x·scale + shift in float32 would cancel (the kernels use x − mean instead).
  const cases: [[number, number, number, number], number, number][] = [
    [[4, 7, 3, 16], 0, 3],
    [[1, 2, 1, 4], 0, 1],
    [[32, 7, 7, 64], 0.5, 2],
    [[2, 5, 5, 8], 50, 0.1],
  ];
  it.each(cases)('equals the JS loops on wasm (shape %j, values %d ± %d)', async (shape, offset, spread) => {
    await initNodeBackend('wasm');
    expect(batchNormPasses(shape[3])).toBe('simd');
    forceJsBatchNormLoops(true);
    let js: ArrayLike<number>[];
    try {
      expect(batchNormPasses(shape[3])).toBe('js');
      js = await run(shape, offset, spread);
    } finally {
      forceJsBatchNormLoops(false);
    }
    const simd = await run(shape, offset, spread);
    const tol = [1e-5, 1e-6, 1e-5, 1e-4, 1e-5, 1e-5]; // y, mean, variance, dx, dγ, dβ (relative to the largest)
    for (let i = 0; i < js.length; i++) expect(maxRelDiff(simd[i]!, js[i]!)).toBeLessThan(tol[i]!);
    expect(Math.max(...Array.from(js[3]!, Math.abs))).toBeGreaterThan(1e-4); // dx is not trivially zero
  });

  it('leaves channels that are not a multiple of 4, and the cpu backend, to the JS loops', async () => {
    await initNodeBackend('wasm');
    expect(batchNormPasses(3)).toBe('js');
    expect(batchNormPasses(4)).toBe('simd');
    await initNodeBackend('cpu');
    expect(batchNormPasses(16)).toBe('js');
  });

  it('keeps a one-value-per-channel batch finite with four channels (variance 0)', async () => {
    await initNodeBackend('wasm');
    const x = tf.tensor4d([1, 2, 3, 4], [1, 1, 1, 4]);
    const g = tf.grads((a: tf.Tensor) => batchNormTrain(a, tf.ones([4]), tf.zeros([4]), EPS).y.mul(tf.tensor1d([1, -2, 3, 5])).sum())([x]);
    expect(Array.from(await g[0]!.data())).toEqual([0, 0, 0, 0]);
    tf.dispose([x, ...g]);
  });
});

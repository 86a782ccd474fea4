import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initNodeBackend } from './backend-node.ts';
import { batchNormTrain, hasFusedBatchNorm, registerBatchNormKernels } from './batchnorm-kernels.ts';

const EPS = 1e-3;

function wave(n: number, f: number, scale = 1): Float32Array {
  return Float32Array.from(
    { length: n },
    (_, i) => scale * Math.sin(i * f + 0.3) + 0.2 * Math.cos(i * 0.013),
  );
}

/** The composed batch norm model.ts runs where no fused kernel exists. */
function composed(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const scale = gamma.mul(tf.rsqrt(variance.add(EPS)));
  return { y: x.mul(scale).add(beta.sub(mean.mul(scale))), mean, variance };
}

/** Loss Σ y·w (w fixed and uneven, so every dy differs) and its gradients for x, γ, β. */
async function run(fused: boolean, shape: [number, number, number, number]) {
  const n = shape.reduce((a, b) => a * b);
  const c = shape[3];
  const x = tf.tensor4d(wave(n, 0.37, 3), shape);
  const w = tf.tensor4d(wave(n, 0.11), shape);
  const gamma = tf.tensor1d(wave(c, 0.9).map((v) => v + 1.5));
  const beta = tf.tensor1d(wave(c, 0.5));
  const bn = fused ? batchNormTrain : (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => composed(a, g, b);
  const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => bn(a, g, b, EPS).y.mul(w).sum();
  const grads = tf.grads(f)([x, gamma, beta]);
  const stats = bn(x, gamma, beta, EPS);
  const out = {
    y: await stats.y.data(),
    mean: await stats.mean.data(),
    variance: await stats.variance.data(),
    grads: await Promise.all(grads.map((g) => g.data())),
  };
  tf.dispose([x, w, gamma, beta, ...grads, stats.y, stats.mean, stats.variance]);
  return out;
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return scale === 0 ? m : m / scale;
}

describe('fused training batch norm', () => {
  const shapes: [number, number, number, number][] = [
    [2, 5, 5, 3],
    [4, 7, 3, 16],
    [1, 2, 1, 4],
    [8, 6, 6, 1],
  ];
  it.each(shapes)(
    'equals the composed ops on cpu, value and gradients (shape %i×%i×%i×%i)',
    async (...shape) => {
      await initNodeBackend('cpu');
      const reference = await run(false, shape);
      for (const backend of ['cpu', 'wasm'] as const) {
        await initNodeBackend(backend);
        registerBatchNormKernels(backend);
        expect(hasFusedBatchNorm()).toBe(true);
        const got = await run(true, shape);
        expect(maxRelDiff(got.y, reference.y)).toBeLessThan(1e-5);
        expect(maxRelDiff(got.mean, reference.mean)).toBeLessThan(1e-5);
        expect(maxRelDiff(got.variance, reference.variance)).toBeLessThan(1e-5);
        // dx is a difference of near-equal terms: the float32 composed reference carries ~1e-4 of
        // cancellation error at N = 2 (the fused kernel sums in float64); a wrong term is O(1).
        for (let i = 0; i < 3; i++) expect(maxRelDiff(got.grads[i]!, reference.grads[i]!)).toBeLessThan(1e-3);
      }
      // Not trivially zero: x's gradient is what the formula's three terms leave over.
      expect(Math.max(...Array.from(reference.grads[0]!, Math.abs))).toBeGreaterThan(1e-3);
    },
  );

  it('keeps a one-value-per-channel batch finite (variance 0: the gradient through x is 0)', async () => {
    await initNodeBackend('wasm');
    const x = tf.tensor4d([1, 2, 3], [1, 1, 1, 3]);
    const g = tf.grads((a: tf.Tensor) =>
      batchNormTrain(a, tf.ones([3]), tf.zeros([3]), EPS)
        .y.mul(tf.tensor1d([1, -2, 3]))
        .sum(),
    )([x]);
    expect(Array.from(await g[0]!.data())).toEqual([0, 0, 0]);
    tf.dispose([x, ...g]);
  });
});

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initNodeBackend } from './backend-node.ts';
import { inputGradViaConv, kernelFunc, type WasmBackendLike } from './wasm-conv-grads.ts';
import { inputGradViaPolyphase } from './wasm-polyphase.ts';
import { stockWasmKernel } from './wasm-kernels.ts';

function wave(n: number, f: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * f + 0.3));
}

type Shape4 = [number, number, number, number];

/** dx of conv2d(x: xs, filter: fs, stride, pad) for a fixed dy, by one implementation, on its backend. */
async function dx(how: 'cpu' | 'stock' | 'zero-stuffed' | 'polyphase', xs: Shape4, fs: Shape4, stride: number, pad: 'same' | 'valid') {
  await initNodeBackend(how === 'cpu' ? 'cpu' : 'wasm');
  const info = tf.backend_util.computeConv2DInfo(xs, fs, stride, 1, pad);
  const dyShape: Shape4 = [xs[0], info.outHeight, info.outWidth, fs[3]];
  const dy = tf.tensor4d(wave(dyShape.reduce((a, b) => a * b), 0.37), dyShape);
  const filter = tf.tensor4d(wave(fs.reduce((a, b) => a * b), 0.71), fs);
  const attrs = { strides: [stride, stride], pad, inputShape: xs, dataFormat: 'NHWC' } as unknown as tf.Conv2DBackpropInputAttrs;
  const backend = tf.backend() as unknown as WasmBackendLike;
  let out: tf.TensorInfo;
  if (how === 'polyphase') out = inputGradViaPolyphase(backend, dy, filter, attrs);
  else if (how === 'zero-stuffed') out = inputGradViaConv(backend, dy, filter, attrs);
  else {
    const fn = how === 'cpu' ? kernelFunc('Conv2DBackpropInput', 'cpu') : stockWasmKernel('Conv2DBackpropInput')!;
    out = fn({ inputs: { dy, filter }, backend, attrs: attrs as unknown as tf.NamedAttrMap }) as tf.TensorInfo;
  }
  const t = tf.engine().makeTensorFromTensorInfo(out);
  expect(t.shape).toEqual(xs);
  const values = await t.data();
  tf.dispose([t, dy, filter]);
  return values;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

// Strides 1-3, kernels 1×1 to 5×5 (odd and even), odd and even sides, non-square, both paddings,
// a kernel smaller than the stride (phases no tap reaches stay zero), resnet-mini's 28×28×16 s2.
const cases: [Shape4, Shape4, number, 'same' | 'valid'][] = [
  [[2, 9, 9, 3], [3, 3, 3, 5], 1, 'same'],
  [[2, 9, 9, 3], [3, 3, 3, 5], 2, 'same'],
  [[2, 8, 8, 4], [3, 3, 4, 6], 2, 'same'],
  [[1, 7, 5, 2], [1, 1, 2, 3], 2, 'same'],
  [[2, 10, 10, 3], [2, 2, 3, 4], 2, 'same'],
  [[1, 11, 11, 2], [3, 3, 2, 3], 3, 'same'],
  [[1, 10, 7, 2], [5, 5, 2, 3], 2, 'same'],
  [[1, 12, 12, 2], [4, 4, 2, 3], 3, 'same'],
  [[2, 9, 9, 3], [3, 3, 3, 5], 2, 'valid'],
  [[1, 10, 11, 2], [4, 3, 2, 3], 3, 'valid'],
  [[1, 8, 8, 2], [1, 1, 2, 4], 3, 'valid'],
  [[2, 28, 28, 16], [3, 3, 16, 32], 2, 'same'],
];

describe('Conv2DBackpropInput by polyphase decomposition (wasm)', () => {
  it.each(cases)('x %j, filter %j, stride %i, %s: equals the stock kernel, the zero-stuffed route and cpu', async (xs, fs, stride, pad) => {
    const cpu = await dx('cpu', xs, fs, stride, pad);
    const stock = await dx('stock', xs, fs, stride, pad);
    const zero = await dx('zero-stuffed', xs, fs, stride, pad);
    const poly = await dx('polyphase', xs, fs, stride, pad);
    // O(1) inputs summed over ≤ 9·32 products: float32 reordering stays well under 1e-4.
    expect(maxAbsDiff(poly, stock)).toBeLessThan(1e-4);
    expect(maxAbsDiff(poly, zero)).toBeLessThan(1e-4);
    expect(maxAbsDiff(poly, cpu)).toBeLessThan(1e-4);
    expect(Math.max(...Array.from(poly, Math.abs))).toBeGreaterThan(0.1); // not trivially zero
  });

  it('leaves the phases no filter tap reaches at exactly zero (1×1 filter, stride 2)', async () => {
    const poly = await dx('polyphase', [1, 4, 4, 1], [1, 1, 1, 1], 2, 'same');
    // Only even rows and columns receive dy; the filter value is sin(0.3).
    const w = Math.fround(Math.sin(0.3));
    const dyAt = (i: number) => Math.fround(Math.sin(i * 0.37 + 0.3));
    const want = [dyAt(0) * w, 0, dyAt(1) * w, 0, 0, 0, 0, 0, dyAt(2) * w, 0, dyAt(3) * w, 0, 0, 0, 0, 0];
    expect(maxAbsDiff(poly, want)).toBeLessThan(1e-6);
    expect(Array.from(poly).filter((v) => v === 0)).toHaveLength(12);
  });
});

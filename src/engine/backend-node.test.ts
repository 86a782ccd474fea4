import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initNodeBackend } from './backend-node.ts';
import { filterGradViaConv3d } from './wasm-conv-grads.ts';
import { filterGradRoute, forceFilterGradRoute, WASM_REPLACEMENTS } from './wasm-kernels.ts';

type Backend = 'cpu' | 'wasm';

function wave(n: number, f: number): Float32Array {
  // Deterministic, varied, O(0.1) values: absolute errors then read as relative ones.
  return Float32Array.from({ length: n }, (_, i) => 0.1 * Math.sin(i * f + 0.3));
}

/** Gradients of sum(conv(x, f)²) for x and f on one backend. */
async function convGrads(backend: Backend, xs: number[], fs: number[], stride: number, depthwise: boolean) {
  await initNodeBackend(backend);
  const x = tf.tensor4d(wave(xs.reduce((a, b) => a * b), 0.37), xs as [number, number, number, number]);
  const f = tf.tensor4d(wave(fs.reduce((a, b) => a * b), 0.71), fs as [number, number, number, number]);
  const loss = (a: tf.Tensor, b: tf.Tensor) => {
    const y = depthwise
      ? tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, 'same')
      : tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, 'same');
    return y.square().sum();
  };
  const [gx, gf] = tf.grads(loss)([x, f]);
  const out = [await gx!.data(), await gf!.data()];
  tf.dispose([x, f, gx!, gf!]);
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('wasm training kernels', () => {
  it('replaces the slow stock Conv2DBackpropInput and adds the missing kernels', async () => {
    await initNodeBackend('wasm');
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(WASM_REPLACEMENTS['Conv2DBackpropInput']);
    for (const k of ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter']) {
      expect(tf.getKernel(k, 'wasm')).toBeDefined();
    }
  });

  const cases: [number[], number[], number][] = [
    [[2, 9, 9, 3], [3, 3, 3, 5], 1],
    [[2, 9, 9, 3], [3, 3, 3, 5], 2],
    [[3, 8, 8, 4], [3, 3, 4, 6], 2],
    [[1, 7, 5, 2], [1, 1, 2, 3], 2],
    [[2, 6, 6, 1], [5, 5, 1, 4], 1],
    [[2, 10, 10, 3], [2, 2, 3, 4], 2],
    [[1, 11, 11, 2], [3, 3, 2, 3], 3],
    [[2, 8, 8, 16], [3, 3, 16, 8], 2],
  ];
  it.each(cases)('conv2d gradients on wasm equal cpu (x %j, filter %j, stride %i)', async (xs, fs, stride) => {
    const cpu = await convGrads('cpu', xs, fs, stride, false);
    const wasm = await convGrads('wasm', xs, fs, stride, false);
    expect(maxAbsDiff(cpu[0]!, wasm[0]!)).toBeLessThan(1e-4);
    expect(maxAbsDiff(cpu[1]!, wasm[1]!)).toBeLessThan(1e-4);
    expect(Math.max(...cpu[1]!.map(Math.abs))).toBeGreaterThan(1e-3); // not trivially zero
  });

  // Both filter-gradient routes on every shape, whichever the rule would pick (1×1, 2×2, 5×5,
  // strides 1-3, odd sizes, one input channel).
  it.each(cases.flatMap((c) => (['dilated-conv', 'im2col'] as const).map((r) => [...c, r] as const)))(
    'the filter gradient via %j ⊛ %j, stride %i, route %s equals cpu',
    async (xs, fs, stride, route) => {
      const cpu = await convGrads('cpu', xs, fs, stride, false);
      forceFilterGradRoute(route);
      try {
        const wasm = await convGrads('wasm', xs, fs, stride, false);
        expect(maxAbsDiff(cpu[1]!, wasm[1]!)).toBeLessThan(1e-4);
      } finally {
        forceFilterGradRoute(null);
      }
    },
  );

  it('routes 3×3 filters over 4+ channels through the dilated conv, 1×1 and one-channel inputs through im2col', () => {
    expect(filterGradRoute([3, 3, 16, 16])).toBe('dilated-conv');
    expect(filterGradRoute([3, 3, 4, 8])).toBe('dilated-conv');
    expect(filterGradRoute([3, 3, 3, 8])).toBe('im2col');
    expect(filterGradRoute([1, 1, 32, 64])).toBe('im2col');
    expect(filterGradRoute([3, 3, 1, 16])).toBe('im2col');
  });

  it.each([1, 2])('depthwise gradients on wasm equal cpu (stride %i)', async (stride) => {
    const cpu = await convGrads('cpu', [2, 8, 8, 3], [3, 3, 3, 2], stride, true);
    const wasm = await convGrads('wasm', [2, 8, 8, 3], [3, 3, 3, 2], stride, true);
    expect(maxAbsDiff(cpu[0]!, wasm[0]!)).toBeLessThan(1e-4);
    expect(maxAbsDiff(cpu[1]!, wasm[1]!)).toBeLessThan(1e-4);
  });

  it('the depth-1 Conv3DBackpropFilterV2 route (not used: slower) is right at stride 1', async () => {
    const cpu = await convGrads('cpu', [2, 9, 9, 3], [3, 3, 3, 5], 1, false);
    await initNodeBackend('wasm');
    const x = tf.tensor4d(wave(2 * 9 * 9 * 3, 0.37), [2, 9, 9, 3]);
    const f = tf.tensor4d(wave(3 * 3 * 3 * 5, 0.71), [3, 3, 3, 5]);
    // d/df sum(y²) = conv2dBackpropFilter(x, 2y).
    const dy = tf.conv2d(x, f, 1, 'same').mul(2);
    const info = filterGradViaConv3d(tf.backend() as never, x, dy, { strides: [1, 1], pad: 'same', filterShape: [3, 3, 3, 5] } as never);
    const dw = tf.engine().makeTensorFromTensorInfo(info);
    expect(maxAbsDiff(cpu[1]!, await dw.data())).toBeLessThan(1e-4);
    tf.dispose([x, f, dy, dw]);
  });

  it('a small CNN step (BN, ReLU, max/avg pool, dense, softmax CE) has equal gradients', async () => {
    async function grads(backend: Backend) {
      await initNodeBackend(backend);
      const x = tf.tensor4d(wave(4 * 8 * 8 * 2, 0.13).map((v) => v * 10), [4, 8, 8, 2]);
      const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
      const w1 = tf.variable(tf.tensor4d(wave(3 * 3 * 2 * 4, 0.5), [3, 3, 2, 4]));
      const g1 = tf.variable(tf.ones([4]));
      const w2 = tf.variable(tf.tensor2d(wave(4 * 3, 0.9), [4, 3]));
      const f = () => {
        const y = tf.conv2d(x, w1, 2, 'same');
        const { mean, variance } = tf.moments(y, [0, 1, 2]);
        const n = y.sub(mean).mul(tf.rsqrt(variance.add(1e-3))).mul(g1.abs()).relu();
        const p = tf.avgPool(tf.maxPool(n as tf.Tensor4D, 2, 1, 'same'), 2, 2, 'same').mean([1, 2]);
        return tf.losses.softmaxCrossEntropy(labels, tf.matMul(p, w2)) as tf.Scalar;
      };
      const { value, grads } = tf.variableGrads(f);
      const out = [await value.data(), ...(await Promise.all([w1, g1, w2].map((v) => grads[v.name]!.data())))];
      tf.dispose([x, labels, w1, g1, w2, value, ...Object.values(grads)]);
      return out;
    }
    const cpu = await grads('cpu');
    const wasm = await grads('wasm');
    for (let i = 0; i < cpu.length; i++) expect(maxAbsDiff(cpu[i]!, wasm[i]!)).toBeLessThan(1e-4);
  });
});

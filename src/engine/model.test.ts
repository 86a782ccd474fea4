import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateSpec } from '../morphnet/spec.ts';
import { initNodeBackend } from './backend-node.ts';
import { buildModel } from './model.ts';

// Every layer type once: conv, depthwise (multiplier 2), add, concat, maxpool, gap, dense.
const spec = validateSpec(
  {
    name: 'all-types',
    input: { height: 8, width: 8, channels: 2 },
    classes: 3,
    layers: [
      { name: 'stem', type: 'conv', from: 'input', filters: 4, kernel: 3 },
      { name: 'c2', type: 'conv', from: 'stem', filters: 4, kernel: 3, relu: false },
      { name: 'add', type: 'add', from: ['stem', 'c2'] },
      { name: 'dw', type: 'depthwise', from: 'add', kernel: 3, stride: 2, multiplier: 2 },
      { name: 'pool', type: 'maxpool', from: 'add', kernel: 2 },
      { name: 'cat', type: 'concat', from: ['dw', 'pool'] },
      { name: 'raw', type: 'conv', from: 'cat', filters: 3, kernel: 1, bn: false },
      { name: 'gap', type: 'gap', from: 'raw' },
      { name: 'logits', type: 'dense', from: 'gap', units: 3 },
    ],
  },
  'all-types',
);

function input(): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from({ length: 4 * 8 * 8 * 2 }, (_, i) => 1 + Math.sin(i * 0.7)), [4, 8, 8, 2]);
}

beforeAll(async () => {
  await initNodeBackend('cpu');
});

describe('buildModel', () => {
  it('builds variables for every layer type and exposes γ by layer name', () => {
    const m = buildModel(spec, 1);
    expect([...m.gammas.keys()]).toEqual(['stem', 'c2', 'dw']);
    expect(m.gammas.get('dw')!.shape).toEqual([8]);
    // kernels: stem, c2, dw, raw, logits; biases: raw, logits; γ and β for 3 BN layers.
    expect(m.trainable.length).toBe(5 + 2 + 6);
    expect(m.trainable.every((v) => v.trainable)).toBe(true);
    m.dispose();
  });

  it('is seeded: one seed gives identical weights, another differs, with He-normal scale', async () => {
    const [a, b, c] = [buildModel(spec, 7), buildModel(spec, 7), buildModel(spec, 8)];
    const ka = await a.trainable[0]!.data();
    expect(Array.from(await b.trainable[0]!.data())).toEqual(Array.from(ka));
    expect(Array.from(await c.trainable[0]!.data())).not.toEqual(Array.from(ka));
    const wide = validateSpec(
      {
        name: 'wide',
        input: { height: 4, width: 4, channels: 4 },
        classes: 2,
        layers: [
          { name: 'c', type: 'conv', from: 'input', filters: 64, kernel: 3 },
          { name: 'g', type: 'gap', from: 'c' },
          { name: 'logits', type: 'dense', from: 'g', units: 2 },
        ],
      },
      'wide',
    );
    const big = buildModel(wide, 3);
    const k = await big.trainable[0]!.data(); // 3·3·4 fan-in → std √(2/36) ≈ 0.236
    const std = Math.sqrt(Array.from(k).reduce((s, x) => s + x * x, 0) / k.length);
    expect(std).toBeGreaterThan(0.2);
    expect(std).toBeLessThan(0.27);
    [a, b, c, big].forEach((m) => m.dispose());
  });

  it('trains on batch statistics, evaluates on moving averages that the training pass updates', async () => {
    const m = buildModel(spec, 2);
    const x = input();
    const run = async (training: boolean) => {
      const y = tf.tidy(() => m.apply(x, training));
      const d = await y.data();
      y.dispose();
      return d;
    };
    const evalBefore = await run(false);
    const train1 = await run(true);
    const train2 = await run(true);
    const evalAfter = await run(false);
    expect(evalBefore.length).toBe(12);
    // Batch statistics do not depend on the moving averages: same input, same output.
    expect(Array.from(train2)).toEqual(Array.from(train1));
    // The moving averages moved, so inference changed.
    expect(Array.from(evalAfter)).not.toEqual(Array.from(evalBefore));
    // stem's moving mean after two steps of momentum 0.9 is 0.19 × the batch mean.
    const mean = await tf.tidy(() => tf.moments(tf.conv2d(x, m.trainable[0] as tf.Tensor4D, 1, 'same'), [0, 1, 2]).mean).data();
    const moving = m.variables.find((v) => v.name.endsWith('/stem/moving_mean'))!;
    expect(moving.trainable).toBe(false);
    const mm = await moving.data();
    for (let i = 0; i < 4; i++) expect(mm[i]!).toBeCloseTo(0.19 * mean[i]!, 5);
    m.dispose();
    x.dispose();
  });

  it('a training pass inside tidy leaks no tensor', () => {
    const m = buildModel(spec, 3);
    const x = input();
    tf.tidy(() => m.apply(x, true)).dispose();
    const before = tf.memory().numTensors;
    tf.tidy(() => m.apply(x, true)).dispose();
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
    x.dispose();
  });
});

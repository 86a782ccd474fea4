import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { keptChannels, pruneByMagnitude } from '../morphnet/baselines.ts';
import { pruneSpec } from '../morphnet/expand.ts';
import { validateSpec } from '../morphnet/spec.ts';
import { residualStage } from '../morphnet/testing/fixtures.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import { initNodeBackend } from './backend-node.ts';
import { makeShapes } from './data/shapes.ts';
import { buildModel, type ModelWeights } from './model.ts';
import { pruneWeights } from './prune.ts';
import { createSession } from './session.ts';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

/** The residual fixture with a depthwise layer and a hidden dense layer, so every kind is cut. */
const spec: NetworkSpec = validateSpec(
  {
    ...residualStage,
    layers: [
      ...residualStage.layers.slice(0, -2),
      { name: 'dw', type: 'depthwise', from: 'b2/add', kernel: 3 },
      { name: 'pool', type: 'gap', from: 'dw' },
      { name: 'hidden', type: 'dense', from: 'pool', units: 5 },
      { name: 'logits', type: 'dense', from: 'hidden', units: 4 },
    ],
  },
  'residual-dw',
);

/** Channels whose γ and β are zero output exactly 0 after batch norm and relu: removing them changes nothing. */
const dead: Record<string, number[]> = {
  stem: [2, 5],
  'b1/conv2': [2, 5],
  'b2/conv2': [2, 5],
  dw: [2, 5], // tied to the stem's group (multiplier 1)
  'b1/conv1': [0],
  'b2/conv1': [1, 3],
};
const convs = Object.keys(dead).filter((l) => l !== 'dw');

function zeroed(weights: ModelWeights): ModelWeights {
  const out = { ...weights };
  for (const [layer, channels] of Object.entries(dead)) {
    for (const what of ['gamma', 'beta']) {
      const w = weights[`${layer}/${what}`]!;
      const mask = new Float32Array(w.shape[0]!).fill(1);
      for (const c of channels) mask[c] = 0;
      out[`${layer}/${what}`] = w.mul(tf.tensor1d(mask));
    }
  }
  return out;
}

const input = (seed: number) => tf.randomNormal([6, 8, 8, 1], 0, 1, 'float32', seed) as tf.Tensor4D;

describe('pruneWeights', () => {
  it('removing only dead channels leaves the logits unchanged', async () => {
    const trained = buildModel(spec, 3);
    // Real moving statistics, not the initial 0 and 1, so cutting them is tested too.
    tf.tidy(() => void trained.apply(input(1), true, 0));
    const weights = zeroed(trained.exportWeights());
    const original = buildModel(spec, 9, { initialWeights: weights });
    const filters = Object.fromEntries(
      convs.map((l) => {
        const width = spec.layers.find((x) => x.name === l && x.type === 'conv') as { filters: number };
        return [l, Array.from({ length: width.filters }, (_, i) => i).filter((i) => !dead[l]!.includes(i))];
      }),
    );
    const kept = keptChannels(spec, filters);
    const smaller = pruneSpec(spec, Object.fromEntries(Object.entries(filters).map(([l, f]) => [l, f.length])))!;
    const cut = pruneWeights(weights, smaller, kept);
    expect(cut['dw/kernel']!.shape).toEqual([3, 3, 6, 1]);
    expect(cut['hidden/kernel']!.shape).toEqual([6, 5]);
    expect(cut['b2/conv2/kernel']!.shape).toEqual([3, 3, 2, 6]);
    const pruned = buildModel(smaller, 9, { initialWeights: cut });
    const x = input(2);
    const a = original.apply(x, false);
    const b = pruned.apply(x, false);
    const [av, bv] = await Promise.all([a.data(), b.data()]);
    expect(Math.max(...av.map((v) => Math.abs(v)))).toBeGreaterThan(0.01);
    for (let i = 0; i < av.length; i++) expect(bv[i]).toBeCloseTo(av[i]!, 5);
    tf.dispose([a, b, x, ...Object.values(weights), ...Object.values(cut)]);
    for (const m of [trained, original, pruned]) m.dispose();
  });

  it('initialWeights of the wrong shape are refused', () => {
    const m = buildModel(spec, 1);
    const w = m.exportWeights();
    w['stem/gamma'] = tf.ones([3]);
    expect(() => buildModel(spec, 1, { initialWeights: w })).toThrow(/"stem\/gamma" has shape \[3\], the network needs \[8\]/);
    tf.dispose(Object.values(w));
    m.dispose();
  });
});

describe('a session for a pruned spec', () => {
  it('reads filter norms in one readback and fine-tunes from the trained weights', async () => {
    const data = makeShapes({ seed: 1, size: 8, train: 64, test: 40 });
    const seed = validateSpec({ ...spec, input: { height: 8, width: 8, channels: 3 }, classes: data.classes, layers: spec.layers.map((l) => (l.name === 'logits' ? { ...l, units: data.classes } : l)) }, 's');
    const settings = { target: 'flops' as const, strength: 0, threshold: 0.01, lr: 0.05, batch: 8, seed: 2 };
    const s = await createSession({ spec: seed, dataset: data, settings });
    s.trainStep();
    const norms = await s.filterNorms();
    const weights = s.exportWeights();
    const kernel = await weights['b1/conv1/kernel']!.data();
    // Filter 2 of b1/conv1 (kernel [3, 3, 8, 4]): every 4th value from offset 2.
    const own = kernel.filter((_, i) => i % 4 === 2);
    expect(norms['b1/conv1']![2]).toBeCloseTo(Math.hypot(...own), 5);
    expect(Object.keys(norms)).toEqual(['stem', 'b1/conv1', 'b1/conv2', 'b2/conv1', 'b2/conv2']);

    const p = pruneByMagnitude(seed, norms, 0);
    const same = pruneWeights(weights, p.spec, p.kept);
    const copy = await createSession({ spec: p.spec, dataset: data, settings, initialWeights: same });
    expect(await copy.evaluate()).toBe(await s.evaluate());
    const half = pruneByMagnitude(seed, norms, 0.5);
    const cut = pruneWeights(weights, half.spec, half.kept);
    const small = await createSession({ spec: half.spec, dataset: data, settings, initialWeights: cut });
    small.trainStep();
    expect((await small.readMetrics()).taskLoss).toBeGreaterThan(0);
    tf.dispose([...Object.values(weights), ...Object.values(same), ...Object.values(cut)]);
    for (const x of [s, copy, small]) x.dispose();
  });
});

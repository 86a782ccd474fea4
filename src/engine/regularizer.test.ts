import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPlan } from '../morphnet/plan.ts';
import { marginalCosts, regularizerValue } from '../morphnet/regularizer.ts';
import { validateSpec } from '../morphnet/spec.ts';
import type { NetworkSpec, Target } from '../morphnet/types.ts';
import { initNodeBackend } from './backend-node.ts';
import { buildRegularizer } from './regularizer.ts';
import { makeNormal, makeRng } from './rng.ts';

// MORPHNET.md §3's worked example.
const worked = validateSpec(
  {
    name: 'worked',
    input: { height: 32, width: 32, channels: 3 },
    classes: 10,
    layers: [
      { name: 'conv1', type: 'conv', from: 'input', filters: 16, kernel: 3 },
      { name: 'conv2', type: 'conv', from: 'conv1', filters: 32, kernel: 3, stride: 2 },
      { name: 'pool', type: 'gap', from: 'conv2' },
      { name: 'logits', type: 'dense', from: 'pool', units: 10 },
    ],
  },
  'worked',
);

// Residual groups, a concat, a depthwise that joins its input's group, one with multiplier 2
// (a strided slice of its input's group), a bn:false conv.
const mixed = validateSpec(
  {
    name: 'mixed',
    input: { height: 12, width: 12, channels: 3 },
    classes: 5,
    layers: [
      { name: 'stem', type: 'conv', from: 'input', filters: 8, kernel: 3 },
      { name: 'b1/conv1', type: 'conv', from: 'stem', filters: 6, kernel: 3 },
      { name: 'b1/conv2', type: 'conv', from: 'b1/conv1', filters: 8, kernel: 3, relu: false },
      { name: 'b1/add', type: 'add', from: ['stem', 'b1/conv2'] },
      { name: 'tA', type: 'conv', from: 'b1/add', filters: 4, kernel: 1, stride: 2 },
      { name: 'tB', type: 'conv', from: 'b1/add', filters: 5, kernel: 3, stride: 2 },
      { name: 'dw2', type: 'depthwise', from: 'tA', kernel: 3, multiplier: 2 },
      { name: 'cat', type: 'concat', from: ['tA', 'tB', 'dw2'] },
      { name: 'dw', type: 'depthwise', from: 'tB', kernel: 3 },
      { name: 'raw', type: 'conv', from: 'cat', filters: 7, kernel: 1, bn: false },
      { name: 'mix', type: 'conv', from: 'raw', filters: 5, kernel: 1 },
      { name: 'join', type: 'add', from: ['mix', 'dw'] },
      { name: 'pool', type: 'gap', from: 'join' },
      { name: 'hidden', type: 'dense', from: 'pool', units: 6 },
      { name: 'logits', type: 'dense', from: 'hidden', units: 5 },
    ],
  },
  'mixed',
);

function gammaShapes(spec: NetworkSpec): Record<string, number> {
  const plan = buildPlan(spec);
  const out: Record<string, number> = {};
  for (const g of plan.groups) for (const m of g.members) out[m] = plan.widths[m] ?? g.size;
  return out;
}

/** R and ∂R/∂γ (signed γ) on tfjs. */
async function tfjsRegularizer(
  spec: NetworkSpec,
  gammas: Record<string, Float32Array>,
  threshold: number,
  target: Target,
) {
  const reg = buildRegularizer(buildPlan(spec));
  const names = Object.keys(gammas);
  const xs = names.map((n) => tf.tensor1d(gammas[n]!));
  const f = (...ts: tf.Tensor[]) =>
    reg.apply((layer) => ts[names.indexOf(layer)] as tf.Tensor1D, target, threshold);
  const { value, grads } = tf.valueAndGrads(f)(xs);
  const r = (await value.data())[0]!;
  const g: Record<string, Float32Array> = {};
  for (let i = 0; i < names.length; i++) g[names[i]!] = (await grads[i]!.data()) as Float32Array;
  tf.dispose([value, ...grads, ...xs]);
  reg.dispose();
  return { r, g };
}

function randomGammas(spec: NetworkSpec, seed: number): Record<string, Float32Array> {
  const normal = makeNormal(makeRng(seed));
  const out: Record<string, Float32Array> = {};
  for (const [name, n] of Object.entries(gammaShapes(spec))) {
    // Signed values, a few of them below the threshold so the alive counts are not all full.
    out[name] = Float32Array.from({ length: n }, () => normal() * 0.5);
  }
  return out;
}

beforeAll(async () => {
  await initNodeBackend('cpu');
});

describe('differentiable regularizer', () => {
  it('reproduces the worked example: R and its gradient with every γ = 1', async () => {
    const gammas = { conv1: new Float32Array(16).fill(1), conv2: new Float32Array(32).fill(1) };
    const { r, g } = await tfjsRegularizer(worked, gammas, 0.01, 'flops');
    expect(r).toBe(5_603_968);
    expect(Array.from(g['conv1']!)).toEqual(new Array(16).fill(202_752));
    expect(Array.from(g['conv2']!)).toEqual(new Array(32).fill(73_748));
  });

  it.each([
    ['worked', 'flops', worked],
    ['worked', 'size', worked],
    ['mixed', 'flops', mixed],
    ['mixed', 'size', mixed],
  ] as const)(
    'equals the pure formula and its marginal costs for random γ (%s, %s)',
    async (_n, target, spec) => {
      const threshold = 0.2;
      for (const seed of [1, 2, 3]) {
        const gammas = randomGammas(spec, seed);
        const { r, g } = await tfjsRegularizer(spec, gammas, threshold, target);
        const expected = regularizerValue(spec, gammas, threshold, target);
        expect(expected).toBeGreaterThan(0);
        expect(Math.abs(r - expected) / expected).toBeLessThan(1e-5);
        const marginal = marginalCosts(spec, gammas, threshold, target);
        for (const [layer, grad] of Object.entries(g)) {
          const m = marginal[layer]!;
          const v = gammas[layer]!;
          for (let i = 0; i < grad.length; i++) {
            // ∂R/∂γ = sign(γ)·∂R/∂|γ|.
            const want = Math.sign(v[i]!) * m[i]!;
            expect(Math.abs(grad[i]! - want)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want)));
          }
        }
      }
    },
  );

  it('counts a channel at exactly the threshold as dead', async () => {
    const gammas = { conv1: new Float32Array(16).fill(0.5), conv2: new Float32Array(32).fill(1) };
    const { r } = await tfjsRegularizer(worked, gammas, 0.5, 'flops');
    // conv1 has no alive channel: A1 = 0, S1 = 8; conv2 all alive: S2 = 32.
    const expected = 18_432 * 3 * 8 + 4_608 * (0 * 32 + 32 * 8) + 2 * 10 * 32;
    expect(r).toBe(expected);
    expect(regularizerValue(worked, gammas, 0.5, 'flops')).toBe(expected);
  });

  // src/morphnet/depthwise.test.ts works these out by hand.
  const small = (name: string, layers: unknown[]) =>
    validateSpec(
      {
        name,
        input: { height: 4, width: 4, channels: 2 },
        classes: 2,
        layers: [
          ...layers,
          { name: 'pool', type: 'gap', from: 'out' },
          { name: 'logits', type: 'dense', from: 'pool', units: 2 },
        ],
      },
      name,
    );
  const f32 = (xs: number[]) => Float32Array.from(xs);
  const plain = (xs: Float32Array) => Array.from(xs, (x) => x + 0); // −0 as 0

  it('ties a depthwise with multiplier 2 to its input: R = 2,856, the gradient on the largest |γ|', async () => {
    const spec = small('dw-multiplier', [
      { name: 'pw', type: 'conv', from: 'input', filters: 4, kernel: 1 },
      { name: 'dw', type: 'depthwise', from: 'pw', kernel: 3, multiplier: 2 },
      { name: 'out', type: 'conv', from: 'dw', filters: 4, kernel: 1 },
    ]);
    const gammas = { pw: f32([1, 0, 0.5, 0]), dw: f32([0, 0, 0, -0.25, 0, 0, 0, 0]), out: f32([1, 1, 1, 1]) };
    const { r, g } = await tfjsRegularizer(spec, gammas, 0.0625, 'flops');
    expect(r).toBe(2856);
    // ∂R/∂γ = ±1,184 on the |γ| that wins each channel; pw[3] wins a tie of zeros, and tf.abs's
    // gradient at 0 is −1 (step(x, −1)).
    expect(plain(g['pw']!)).toEqual([1184, 0, 1184, -1184]);
    expect(plain(g['dw']!)).toEqual([0, 0, 0, -1184, 0, 0, 0, 0]);
    expect(plain(g['out']!)).toEqual([196, 196, 196, 196]);
  });

  it('cuts a depthwise reading a concat along its towers: R = 1,472', async () => {
    const spec = small('dw-concat', [
      { name: 'a', type: 'conv', from: 'input', filters: 2, kernel: 1 },
      { name: 'b', type: 'conv', from: 'input', filters: 3, kernel: 1 },
      { name: 'cat', type: 'concat', from: ['a', 'b'] },
      { name: 'dw', type: 'depthwise', from: 'cat', kernel: 3 },
      { name: 'out', type: 'conv', from: 'dw', filters: 4, kernel: 1 },
    ]);
    const gammas = {
      a: f32([0.03125, 0]),
      b: f32([1, 0, 0.25]),
      dw: f32([0, 0.03125, 1, 0, 0.5]),
      out: f32([1, 1, 1, 1]),
    };
    const { r, g } = await tfjsRegularizer(spec, gammas, 0.0625, 'flops');
    expect(r).toBe(1472);
    expect(plain(g['dw']!)).toEqual([0, 768, 0, 0, 768]);
    expect(plain(g['a']!)).toEqual([768, 0]);
    expect(plain(g['b']!)).toEqual([768, -768, 0]); // b[1] wins a tie of zeros: −1 at 0
  });

  it('prices the worked example in parameters: R = 432 + 9,216 + 320 = 9,968', async () => {
    const gammas = { conv1: new Float32Array(16).fill(1), conv2: new Float32Array(32).fill(1) };
    const { r, g } = await tfjsRegularizer(worked, gammas, 0.01, 'size');
    expect(r).toBe(9968);
    expect(plain(g['conv1']!)).toEqual(new Array(16).fill(9 * 3 + 9 * 32));
    expect(plain(g['conv2']!)).toEqual(new Array(32).fill(9 * 16 + 10));
  });

  it('max-es an add group and sends a tie to the first member: R = 176 + 176 + 648 + 12', async () => {
    const spec = small('residual', [
      { name: 'p', type: 'conv', from: 'input', filters: 4, kernel: 1 },
      { name: 'q', type: 'conv', from: 'input', filters: 4, kernel: 1 },
      { name: 'sum', type: 'add', from: ['p', 'q'] },
      { name: 'out', type: 'conv', from: 'sum', filters: 3, kernel: 1 },
    ]);
    // Group [1, 1, 0.25, 0.5]: S = 2.75, A = 4; channel 2 ties at 0.25 and goes to p.
    const gammas = { p: f32([1, 0.5, 0.25, 0.5]), q: f32([0.5, 1, 0.25, 0.25]), out: f32([1, 1, 1]) };
    const { r, g } = await tfjsRegularizer(spec, gammas, 0.0625, 'flops');
    expect(r).toBe(1012);
    // 32·2 as p's output + 32·2 as q's + 32·3 as out's input.
    expect(plain(g['p']!)).toEqual([224, 0, 224, 224]);
    expect(plain(g['q']!)).toEqual([0, 224, 0, 0]);
    expect(plain(g['out']!)).toEqual([132, 132, 132]); // 32·4 + 2·2
  });

  it('leaves a pinned group out: only out counts, R = 32·4·1.0625 + 2·2·1.0625 = 140.25', async () => {
    const spec = small('pinned', [
      { name: 'a', type: 'conv', from: 'input', filters: 4, kernel: 1 },
      { name: 'b', type: 'conv', from: 'input', filters: 4, kernel: 1, bn: false },
      { name: 'sum', type: 'add', from: ['a', 'b'] },
      { name: 'out', type: 'conv', from: 'sum', filters: 3, kernel: 1 },
    ]);
    const gammas = { a: f32([0.5, 0.5, 0.5, 0.5]), out: f32([1, 0.03125, 0.03125]) };
    const { r, g } = await tfjsRegularizer(spec, gammas, 0.0625, 'flops');
    expect(r).toBe(140.25);
    expect(plain(g['a']!)).toEqual([0, 0, 0, 0]);
    expect(plain(g['out']!)).toEqual([132, 132, 132]);
  });

  it('gives 0 for a network with no batch norm', async () => {
    const spec = small('raw', [
      { name: 'out', type: 'conv', from: 'input', filters: 3, kernel: 1, bn: false },
    ]);
    const reg = buildRegularizer(buildPlan(spec));
    const r = reg.apply(() => tf.tensor1d([]), 'flops', 0.0625);
    expect(await r.data()).toEqual(new Float32Array([0]));
    r.dispose();
    reg.dispose();
  });

  it('leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const reg = buildRegularizer(buildPlan(mixed));
    const gammas = randomGammas(mixed, 9);
    const ts = Object.fromEntries(Object.entries(gammas).map(([k, v]) => [k, tf.tensor1d(v)]));
    const during = tf.memory().numTensors;
    reg.apply((l) => ts[l]!, 'flops', 0.1).dispose();
    expect(tf.memory().numTensors).toBe(during);
    tf.dispose(Object.values(ts));
    reg.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

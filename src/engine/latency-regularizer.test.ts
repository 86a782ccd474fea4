// The engine's differentiable latency regularizer against the pure formula (src/morphnet's
// latency-ops.ts) and against values worked out by hand (src/morphnet/latency-ops.test.ts).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { opRegularizer, referenceHardware } from '../morphnet/latency.ts';
import { buildPlan } from '../morphnet/plan.ts';
import { groupAliveCounts, groupVectors, marginalCosts, regularizerValue } from '../morphnet/regularizer.ts';
import { seedSpec } from '../morphnet/seeds.ts';
import { validateSpec } from '../morphnet/spec.ts';
import { depthwise, on, oneConv, residual, towers } from '../morphnet/testing/latency-nets.ts';
import type { LatencySettings, NetworkSpec, Target } from '../morphnet/types.ts';
import { initNodeBackend } from './backend-node.ts';
import { buildRegularizer, type Regularizer } from './regularizer.ts';
import { makeNormal, makeRng } from './rng.ts';

// A residual add, a concat, a depthwise with multiplier 2 cut along it, a bn:false conv, a hidden dense.
const mixed = validateSpec(
  {
    name: 'mixed',
    input: { height: 12, width: 12, channels: 3 },
    classes: 5,
    layers: [
      { name: 'stem', type: 'conv', from: 'input', filters: 8, kernel: 3 },
      { name: 'b1', type: 'conv', from: 'stem', filters: 8, kernel: 3, relu: false },
      { name: 'add', type: 'add', from: ['stem', 'b1'] },
      { name: 'tA', type: 'conv', from: 'add', filters: 4, kernel: 1, stride: 2 },
      { name: 'tB', type: 'conv', from: 'add', filters: 5, kernel: 3, stride: 2 },
      { name: 'cat', type: 'concat', from: ['tA', 'tB'] },
      { name: 'dw', type: 'depthwise', from: 'cat', kernel: 3, multiplier: 2 },
      { name: 'raw', type: 'conv', from: 'dw', filters: 7, kernel: 1, bn: false },
      { name: 'mix', type: 'conv', from: 'raw', filters: 5, kernel: 1 },
      { name: 'pool', type: 'gap', from: 'mix' },
      { name: 'hidden', type: 'dense', from: 'pool', units: 6 },
      { name: 'logits', type: 'dense', from: 'hidden', units: 5 },
    ],
  },
  'mixed',
);

function shapes(spec: NetworkSpec): Record<string, number> {
  const plan = buildPlan(spec);
  const out: Record<string, number> = {};
  for (const g of plan.groups) for (const m of g.members) out[m] = plan.widths[m] ?? g.size;
  return out;
}

const filled = (spec: NetworkSpec, x: number) =>
  Object.fromEntries(Object.entries(shapes(spec)).map(([n, k]) => [n, new Float32Array(k).fill(x)]));

function randomGammas(spec: NetworkSpec, seed: number): Record<string, Float32Array> {
  const normal = makeNormal(makeRng(seed));
  const out: Record<string, Float32Array> = {};
  for (const [name, n] of Object.entries(shapes(spec))) out[name] = Float32Array.from({ length: n }, () => normal() * 0.5);
  return out;
}

/** R and ∂R/∂γ on tfjs, with a regularizer built once and reused (the device set before). */
async function run(reg: Regularizer, gammas: Record<string, Float32Array>, threshold: number, target: Target) {
  const names = Object.keys(gammas);
  const xs = names.map((n) => tf.tensor1d(gammas[n]!));
  const f = (...ts: tf.Tensor[]) => reg.apply((l) => ts[names.indexOf(l)] as tf.Tensor1D, target, threshold);
  const { value, grads } = tf.valueAndGrads(f)(xs);
  const r = (await value.data())[0]!;
  const g: Record<string, number[]> = {};
  for (let i = 0; i < names.length; i++) g[names[i]!] = Array.from(await grads[i]!.data(), (x) => x + 0);
  tf.dispose([value, ...grads, ...xs]);
  return { r, g };
}

beforeAll(async () => {
  await initNodeBackend('cpu');
});

describe('the differentiable latency regularizer', () => {
  it('gives the hand-worked values, switching device and target live on one regularizer', async () => {
    const reg = buildRegularizer(buildPlan(oneConv));
    const gammas = filled(oneConv, 1);
    reg.setLatency(on());
    // Compute-bound conv: R = 2,532, 844 a channel (latency-ops.test.ts).
    expect(await run(reg, gammas, 0.01, 'latency')).toEqual({ r: 2532, g: { c1: [844, 844, 844] } });
    // At 10 GFLOP/s the conv is memory-bound: R = 1,212, 404 a channel.
    reg.setLatency(on({ peakGflops: 10 }));
    expect(await run(reg, gammas, 0.01, 'latency')).toEqual({ r: 1212, g: { c1: [404, 404, 404] } });
    // FLOPs in between: 288·2·3 + 2·3·2 = 1,740; then latency again at 3 GFLOP/s and γ = [1, 0, 0]
    // (A = 1, memory-bound conv): R = 404, the same gradient on every channel.
    expect((await run(reg, gammas, 0.01, 'flops')).r).toBe(1740);
    reg.setLatency(on({ peakGflops: 3 }));
    const one = { c1: Float32Array.from([1, 0.001, 0.001]) };
    const { r, g } = await run(reg, one, 0.01, 'latency');
    expect(r).toBeCloseTo(404 * 1.002, 3);
    expect(g['c1']).toEqual([404, 404, 404]);
    reg.dispose();
  });

  it('prices a depthwise by what it holds: R = 3,456 with every γ = 1', async () => {
    const reg = buildRegularizer(buildPlan(depthwise));
    reg.setLatency(on());
    const { r, g } = await run(reg, filled(depthwise, 1), 0.01, 'latency');
    expect(r).toBe(3456);
    // The group's 1,728 a channel goes to pw, the first member (ties in the max go to it).
    expect(g).toEqual({ pw: [1728, 1728], dw: [0, 0, 0, 0] });
    reg.dispose();
  });

  const devices: [string, LatencySettings][] = [
    ['1 GFLOP/s, 1 GB/s', on()],
    ['3 GFLOP/s, batch 4, overhead 50 ns', on({ peakGflops: 3, opOverheadNs: 50 }, 4)],
    ['V100', { hardware: referenceHardware('V100')!, batch: 1 }],
    ['P4, batch 8', { hardware: referenceHardware('P4')!, batch: 8 }],
  ];
  // The bounds each network's ops take on these devices: 1×1 convs on a 4×4 image are always memory-bound.
  const nets: [string, NetworkSpec, boolean[]][] = [
    ['mixed', mixed, [false, true]],
    ['residual', residual, [true]],
    ['towers', towers, [true]],
    ['resnet-mini', seedSpec('resnet-mini'), [false, true]],
    ['inception-mini', seedSpec('inception-mini'), [false, true]],
  ];

  it.each(nets)('equals the pure formula and its marginal costs for random γ (%s)', async (_n, spec, taken) => {
    const plan = buildPlan(spec);
    const reg = buildRegularizer(plan);
    const threshold = 0.2;
    const bounds = new Set<boolean>();
    for (const [, latency] of devices) {
      reg.setLatency(latency);
      for (const seed of [1, 2]) {
        const gammas = randomGammas(spec, seed);
        const { r, g } = await run(reg, gammas, threshold, 'latency');
        const want = regularizerValue(spec, gammas, threshold, 'latency', latency);
        expect(want).toBeGreaterThan(0);
        expect(Math.abs(r - want) / want).toBeLessThan(1e-5);
        const marginal = marginalCosts(spec, gammas, threshold, 'latency', latency);
        for (const [layer, grad] of Object.entries(g)) {
          grad.forEach((x, i) => {
            const m = Math.sign(gammas[layer]![i]!) * marginal[layer]![i]!;
            expect(Math.abs(x - m)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(m)));
          });
        }
        const alive = groupAliveCounts(plan, groupVectors(plan, gammas), threshold);
        for (const op of plan.ops!) bounds.add(opRegularizer(op, alive, latency).memoryBound);
      }
    }
    expect([...bounds].sort()).toEqual(taken);
    reg.dispose();
  });

  it('refuses latency before a device is set, and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const reg = buildRegularizer(buildPlan(mixed));
    const gammas = randomGammas(mixed, 9);
    const ts = Object.fromEntries(Object.entries(gammas).map(([k, v]) => [k, tf.tensor1d(v)]));
    expect(() => reg.apply((l) => ts[l]!, 'latency', 0.1)).toThrow('latency regularizer: no device set (LatencySettings)');
    reg.setLatency(on());
    const during = tf.memory().numTensors;
    reg.apply((l) => ts[l]!, 'latency', 0.1).dispose();
    reg.setLatency(on({ peakGflops: 7 }));
    expect(tf.memory().numTensors).toBe(during);
    tf.dispose(Object.values(ts));
    reg.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

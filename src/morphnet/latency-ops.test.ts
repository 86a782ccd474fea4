// Depthwise, add and concat latency, and the latency regularizer's terms and gradients per op
// type, every number by hand (networks and their costs: testing/latency-nets.ts).
import { describe, expect, it } from 'vitest';
import { latencyGroupWeights, networkLatency, opLatency, opRegularizer, planOps } from './latency.ts';
import { buildPlan } from './plan.ts';
import { groupMarginalCosts, marginalCosts, regularizerValue } from './regularizer.ts';
import { depthwise, on, oneConv, residual, towers } from './testing/latency-nets.ts';
import type { GammaMagnitudes, NetworkSpec } from './types.ts';

const ones = (spec: NetworkSpec): GammaMagnitudes => {
  const plan = buildPlan(spec);
  const out: GammaMagnitudes = {};
  for (const g of plan.groups) for (const m of g.members) out[m] = new Array<number>(plan.widths[m] ?? g.size).fill(1);
  return out;
};
const layerNs = (spec: NetworkSpec, alive?: Record<string, number>) =>
  networkLatency(spec, alive, on()).layers.map((l) => [l.name, l.latencyNs]);

describe('latency of depthwise, add and concat', () => {
  it('prices a depthwise filter as what it holds, kh·kw·4·A_out', () => {
    const dw = planOps(buildPlan(depthwise)).find((o) => o.kind === 'depthwise')!;
    expect([dw.weightPayload, dw.flopCoef]).toEqual([36, 288]);
    expect(opLatency(dw, [2], on())).toEqual({ flops: 1152, bytes: 528, computeNs: 1152, memoryNs: 528, latencyNs: 1152 });
    // The reference would add 36·2·4 − 36·4 = 144 bytes more; at 100 GFLOP/s it is memory-bound: 528.
    expect(opLatency(dw, [2], on({ peakGflops: 100 })).latencyNs).toBe(528);
    expect(layerNs(depthwise)).toEqual([
      ['pw', 784],
      ['dw', 2176],
      ['logits', 56],
    ]);
  });

  it('reads every input of an add', () => {
    const add = planOps(buildPlan(residual)).find((o) => o.kind === 'add')!;
    expect(add.inputs.map((t) => t.payload)).toEqual([64, 64]);
    expect(opLatency(add, [2], on()).bytes).toBe(384);
    expect(layerNs(residual)).toEqual([
      ['a', 784],
      ['b', 528],
      ['add', 640],
      ['logits', 32],
    ]);
    // At one channel of the group: add 3·64 = 192, its ReLU 128.
    expect(layerNs(residual, { a: 1, b: 1 })[2]).toEqual(['add', 320]);
  });

  it('prices a concat as reading what it writes', () => {
    expect(layerNs(towers)).toEqual([
      ['t1', 784],
      ['t2', 1112],
      ['cat', 640],
      ['logits', 68],
    ]);
    // t1 at 1 of 2: the concat holds 4 channels, 64·4·2 = 512.
    expect(layerNs(towers, { t1: 1 })[2]).toEqual(['cat', 512]);
    expect(networkLatency(towers, undefined, on()).latencyNs).toBe(2604);
  });
});

describe('the latency regularizer', () => {
  // oneConv, every γ = 1 (A = 3, S = 3), on 1 GFLOP/s and 1 GB/s:
  // conv compute-bound (1,728 > 536): 288·(2·3 + 3·0) = 1,728, per channel 288·2 = 576.
  // bn, relu memory-bound: 64·3 + 64·3 = 384 each, per channel 128.
  // dense memory-bound (44 > 12): 4·3 + 4·(2·3) = 36, per channel 4 + 4·2 = 12.
  // R = 1,728 + 384 + 384 + 36 = 2,532; each channel 576 + 128 + 128 + 12 = 844.
  it('takes the FLOP term of a compute-bound conv and the memory term of the rest', () => {
    const [conv, bn, , dense] = planOps(buildPlan(oneConv));
    // The image's coefficient (288·3) reaches no group: it is static.
    expect(opRegularizer(conv!, [3], on())).toEqual({ memoryBound: false, inputs: [864], output: 576 });
    expect(opRegularizer(bn!, [3], on())).toEqual({ memoryBound: true, inputs: [64], output: 64 });
    expect(opRegularizer(dense!, [3], on())).toEqual({ memoryBound: true, inputs: [12], output: 4 + 4 * 3 });
    expect(regularizerValue(oneConv, ones(oneConv), 0.01, 'latency', on())).toBe(2532);
    expect([...marginalCosts(oneConv, ones(oneConv), 0.01, 'latency', on())['c1']!]).toEqual([844, 844, 844]);
  });

  // At 10 GFLOP/s the conv is memory-bound (172.8 < 536): 64·S_out + 36·(A_in·S_out + A_out·S_in)
  // = 192 + 36·6 = 408, per channel 64 + 36·2 = 136. R = 408 + 384 + 384 + 36 = 1,212 = 404·3.
  it('takes the memory term of a memory-bound conv', () => {
    const conv = planOps(buildPlan(oneConv))[0]!;
    expect(opRegularizer(conv, [3], on({ peakGflops: 10 }))).toEqual({ memoryBound: true, inputs: [64 + 36 * 3], output: 136 });
    expect(regularizerValue(oneConv, ones(oneConv), 0.01, 'latency', on({ peakGflops: 10 }))).toBe(1212);
    expect(groupMarginalCosts(buildPlan(oneConv), [3], 'latency', on({ peakGflops: 10 }))).toEqual([404]);
  });

  // At 3 GFLOP/s the conv's bound follows its alive count: compute 576·A/3 = 192·A against
  // memory 128 + 64·A + 72·A = 128 + 136·A. A = 3: 576 > 536, compute (per channel 288·2/3 = 192);
  // A = 1: 192 < 264, memory (per channel 64 + 36·2 = 136). The dense stays memory-bound (12).
  it('switches bound with the alive counts, as the reference’s tf.cond', () => {
    const lat = on({ peakGflops: 3 });
    expect(groupMarginalCosts(buildPlan(oneConv), [3], 'latency', lat)).toEqual([192 + 128 + 128 + 12]);
    expect(groupMarginalCosts(buildPlan(oneConv), [1], 'latency', lat)).toEqual([136 + 128 + 128 + 12]);
    // γ = [1, 0, 0] at threshold 0.01: A = 1, S = 1: R = 404; the dead channels' gradient is the same.
    const g = { c1: [1, 0, 0] };
    expect(regularizerValue(oneConv, g, 0.01, 'latency', lat)).toBe(404);
    expect([...marginalCosts(oneConv, g, 0.01, 'latency', lat)['c1']!]).toEqual([404, 404, 404]);
  });

  // depthwise, every γ = 1 (the group: A = 2, S = 2):
  // pw memory-bound (272 > 128): 64·2 + 4·(2·2) = 144, per channel 64 + 4·2 = 72. bn, relu: 128 each.
  // dw compute-bound: 288·(S_in + S_out) = 288·(2 + 4) = 1,728, per channel 288 + 2·288 = 864.
  // its bn, relu: 64·4 + 64·4 = 512 each, per channel 2·(64 + 64) = 256.
  // dense memory-bound (56 > 16): 4·4 + 4·(2·4) = 48, per channel 2·(4 + 4·2) = 24.
  // R = 144 + 256 + 256 + 1,728 + 512 + 512 + 48 = 3,456; per channel 1,728.
  it('prices a depthwise op by S_in + S_out when compute-bound, and its weights by S_out', () => {
    const plan = buildPlan(depthwise);
    expect(regularizerValue(depthwise, ones(depthwise), 0.01, 'latency', on())).toBe(3456);
    expect(groupMarginalCosts(plan, [2], 'latency', on())).toEqual([1728]);
    const dw = planOps(plan).find((o) => o.kind === 'depthwise')!;
    expect(opRegularizer(dw, [2], on())).toEqual({ memoryBound: false, inputs: [288], output: 288 });
    // At 100 GFLOP/s, memory-bound: 64·S_in + 64·S_out + 36·S_out = 128 + 256 + 144 = 528;
    // per channel 64 + 2·(64 + 36) = 264.
    expect(opRegularizer(dw, [2], on({ peakGflops: 100 }))).toEqual({ memoryBound: true, inputs: [64], output: 100 });
    expect(latencyGroupWeights(1, [dw], [2], on({ peakGflops: 100 }))).toEqual([264]);
  });

  // residual: one group (a, b, the add). Its add, memory-bound: 64·S_a + 64·S_b + 64·S_out,
  // per channel 192; at every γ = 1 (S = 2) that is 384.
  it('charges an add for each of its inputs', () => {
    const add = planOps(buildPlan(residual)).find((o) => o.kind === 'add')!;
    expect(latencyGroupWeights(1, [add], [2], on())).toEqual([192]);
    // a: 72 + 128 + 128; b: its input 64 + 4·2, output 72, bn 128; add 192, its ReLU 128;
    // dense: 4 + 4·2 = 12. Sum 328 + 72 + 200 + 320 + 12 = 932 per channel, R = 1,864.
    expect(groupMarginalCosts(buildPlan(residual), [2], 'latency', on())).toEqual([932]);
    expect(regularizerValue(residual, ones(residual), 0.01, 'latency', on())).toBe(1864);
  });

  // towers: the concat reads and writes both groups: per channel 64 + 64 = 128 to each.
  it('charges a concat as reading what it writes', () => {
    const cat = planOps(buildPlan(towers)).find((o) => o.kind === 'concat')!;
    expect(latencyGroupWeights(2, [cat], [2, 3], on())).toEqual([128, 128]);
  });

  it('needs the device', () => {
    expect(() => regularizerValue(oneConv, ones(oneConv), 0.01, 'latency')).toThrow(
      'regularizer: target "latency" needs LatencySettings',
    );
  });
});

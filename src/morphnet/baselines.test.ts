import { describe, expect, it } from 'vitest';
import { keptChannels, pruneByMagnitude, seedWidths, uniformSpec } from './baselines.ts';
import { networkCost } from './cost.ts';
import { seedSpec } from './seeds.ts';
import { validateSpec } from './spec.ts';
import { residualStage, workedExample } from './testing/fixtures.ts';
import type { NetworkSpec } from './types.ts';

const norms = (values: number[]) => Float32Array.from(values);
const ramp = (n: number, f = (i: number) => i + 1) => Float32Array.from({ length: n }, (_, i) => f(i));

describe('uniformSpec', () => {
  it('scales every width by m, rounded, at least 1', () => {
    const half = uniformSpec(workedExample, 0.5);
    expect(seedWidths(workedExample, half)).toEqual({ conv1: 8, conv2: 16 });
    expect(networkCost(half).flops).toBe(18_432 * 3 * 8 + 4_608 * 8 * 16 + 2 * 16 * 10);
    expect(seedWidths(workedExample, uniformSpec(workedExample, 0.01))).toEqual({ conv1: 1, conv2: 1 });
    expect(seedWidths(workedExample, uniformSpec(workedExample, 1.5))).toEqual({ conv1: 24, conv2: 48 });
    expect(uniformSpec(workedExample, 1)).toEqual(workedExample);
  });

  it('keeps tied layers equal and leaves the logits alone', () => {
    const w = seedWidths(seedSpec('resnet-mini'), uniformSpec(seedSpec('resnet-mini'), 0.75));
    expect(w['stem']).toBe(12);
    expect(w['s1b1/conv2']).toBe(12);
    expect(w['s2b1/proj']).toBe(24);
    expect(w['s3b2/conv1']).toBe(48);
    const last = uniformSpec(seedSpec('resnet-mini'), 0.75).layers.at(-1);
    expect(last).toMatchObject({ type: 'dense', units: 10 });
  });

  it('rejects a multiplier ≤ 0', () => {
    expect(() => uniformSpec(workedExample, 0)).toThrow(RangeError);
  });
});

describe('keptChannels', () => {
  it('follows depthwise multipliers, concat offsets and pass-through layers', () => {
    const spec = validateSpec(
      {
        name: 'k',
        input: { height: 8, width: 8, channels: 2 },
        classes: 3,
        layers: [
          { name: 'a', type: 'conv', from: 'input', filters: 4, kernel: 3 },
          { name: 'd', type: 'depthwise', from: 'a', kernel: 3, multiplier: 2 },
          { name: 'b', type: 'conv', from: 'input', filters: 3, kernel: 1 },
          { name: 'cat', type: 'concat', from: ['d', 'b'] },
          { name: 'p', type: 'maxpool', from: 'cat', kernel: 2 },
          { name: 'g', type: 'gap', from: 'p' },
          { name: 'logits', type: 'dense', from: 'g', units: 3 },
        ],
      },
      'k',
    );
    const kept = keptChannels(spec, { a: [1, 3], b: [0, 2] });
    expect(kept['input']).toEqual([0, 1]);
    expect(kept['d']).toEqual([2, 3, 6, 7]);
    expect(kept['cat']).toEqual([2, 3, 6, 7, 8, 10]);
    expect(kept['g']).toEqual(kept['cat']);
    expect(kept['logits']).toEqual([0, 1, 2]);
  });
});

describe('pruneByMagnitude (seeds/003, unit pruning)', () => {
  it('removes the k% of filters with the smallest L2 norm in each layer', () => {
    const r = pruneByMagnitude(
      workedExample,
      { conv1: ramp(16, (i) => (i * 7) % 16), conv2: ramp(32, (i) => 32 - i) },
      0.25,
    );
    expect(r.alive).toEqual({ conv1: 12, conv2: 24 });
    // conv1's norms are (7i mod 16): the four smallest are 0, 1, 2, 3 at i = 0, 7, 14, 5.
    expect(r.kept['conv1']).toEqual([1, 2, 3, 4, 6, 8, 9, 10, 11, 12, 13, 15]);
    expect(r.kept['conv2']).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(networkCost(r.spec).flops).toBe(18_432 * 3 * 12 + 4_608 * 12 * 24 + 2 * 24 * 10);
  });

  it('costs fall as k grows; k = 0 keeps the seed', () => {
    const n = { conv1: ramp(16), conv2: ramp(32) };
    const flops = [0, 0.25, 0.5, 0.75].map((k) => networkCost(pruneByMagnitude(workedExample, n, k).spec).flops);
    expect(flops[0]).toBe(networkCost(workedExample).flops);
    for (let i = 1; i < flops.length; i++) expect(flops[i]).toBeLessThan(flops[i - 1]!);
  });

  it('prunes tied layers together by the group norm √(Σ norm²)', () => {
    // stem is large in channels 0-3, b1/conv2 in 4-7: the group norm ranks by both.
    const r = pruneByMagnitude(
      residualStage,
      {
        stem: norms([9, 9, 1, 1, 0, 0, 0, 0]),
        'b1/conv2': norms([0, 0, 0, 0, 1, 1, 8, 8]),
        'b2/conv2': norms([0, 0, 0, 0, 0, 0, 0, 0]),
        'b1/conv1': norms([1, 2, 3, 4]),
        'b2/conv1': norms([4, 3, 2, 1]),
      },
      0.5,
    );
    for (const l of ['stem', 'b1/conv2', 'b2/conv2']) expect(r.kept[l]).toEqual([0, 1, 6, 7]);
    expect(r.kept['b1/add']).toEqual([0, 1, 6, 7]);
    expect(r.kept['b1/conv1']).toEqual([2, 3]);
    expect(r.kept['b2/conv1']).toEqual([0, 1]);
    expect(r.alive).toEqual({ stem: 4, 'b1/conv1': 2, 'b1/conv2': 4, 'b2/conv1': 2, 'b2/conv2': 4 });
  });

  it('k = 1 removes the residual blocks and keeps the trunk at one filter', () => {
    const n: Record<string, Float32Array> = {};
    for (const l of residualStage.layers) if (l.type === 'conv') n[l.name] = ramp(l.filters);
    const r = pruneByMagnitude(residualStage, n, 1);
    expect(r.spec.layers.map((l) => l.name)).toEqual(['stem', 'pool', 'logits']);
    expect(r.alive).toEqual({ stem: 1, 'b1/conv1': 0, 'b1/conv2': 0, 'b2/conv1': 0, 'b2/conv2': 0 });
    expect(r.kept['stem']).toEqual([7]);
    expect(r.spec.layers[1]).toMatchObject({ from: 'stem' });
  });

  it('says which norms are missing', () => {
    const spec: NetworkSpec = workedExample;
    expect(() => pruneByMagnitude(spec, { conv1: ramp(16) }, 0.5)).toThrow(/"conv2" needs 32 filter norms, got none/);
    expect(() => pruneByMagnitude(spec, {}, 1.5)).toThrow(RangeError);
  });
});

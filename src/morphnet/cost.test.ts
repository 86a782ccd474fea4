import { describe, expect, it } from 'vitest';
import { networkCost, targetCost } from './cost.ts';
import { residualStage, workedExample } from './testing/fixtures.ts';

describe('networkCost (MORPHNET.md §2)', () => {
  it('gives the worked example FLOPs and size with every channel alive', () => {
    const c = networkCost(workedExample);
    expect(c.layers.map((l) => [l.name, l.flops, l.params])).toEqual([
      ['conv1', 884_736, 432],
      ['conv2', 2_359_296, 4_608],
      ['logits', 640, 320],
    ]);
    expect(c.flops).toBe(3_244_672);
    expect(c.params).toBe(5_360);
    expect(targetCost(c, 'size')).toBe(5_360);
  });

  it('uses given alive counts for A_in and A_out', () => {
    const c = networkCost(workedExample, { conv1: 8, conv2: 4 });
    // conv1: 18,432·3·8; conv2: 4,608·8·4; logits: 2·4·10.
    expect(c.flops).toBe(18_432 * 24 + 4_608 * 32 + 80);
    expect(c.params).toBe(9 * 24 + 9 * 32 + 40);
  });

  it('counts a dead layer as 0 channels, and a group as the max over its members', () => {
    expect(networkCost(workedExample, { conv1: 0 }).layers.map((l) => l.flops)).toEqual([0, 0, 640]);
    // stem 8×8 output: C = 2·64·9 = 1,152. The group (stem, b1/conv2, b2/conv2) takes max(2, 5) = 5.
    const c = networkCost(residualStage, { stem: 2, 'b1/conv2': 5, 'b1/conv1': 4, 'b2/conv1': 4 });
    expect(c.layers.find((l) => l.name === 'stem')?.flops).toBe(1_152 * 1 * 5);
    expect(c.layers.find((l) => l.name === 'b1/conv1')?.flops).toBe(1_152 * 5 * 4);
    expect(c.layers.find((l) => l.name === 'logits')?.params).toBe(5 * 4);
  });
});

import { describe, expect, it } from 'vitest';
import { networkCost } from './cost.ts';
import { ExpandError, expandSpec, pruneSpec, scalingFor, widthsAt } from './expand.ts';
import { seedSpec } from './seeds.ts';
import { residualStage, workedExample } from './testing/fixtures.ts';
import type { AliveCounts, NetworkSpec, Target } from './types.ts';

/** The smallest ω above `omega` at which some width changes: where ω·alive crosses k + 1/2. */
function nextStep(spec: NetworkSpec, alive: AliveCounts, omega: number): number {
  const s = scalingFor(spec, alive);
  const now = JSON.stringify(widthsAt(s, omega));
  let best = Infinity;
  for (const a of s.base) {
    if (a === null || a === 0) continue;
    const k = Math.floor(omega * a + 0.5); // the next half-integer above ω·a is k + 0.5
    best = Math.min(best, (k + 0.5) / a);
  }
  const next = best * (1 + 1e-12);
  expect(JSON.stringify(widthsAt(s, next))).not.toBe(now);
  return next;
}

describe('expandSpec (MORPHNET.md §1.3)', () => {
  const resnet = seedSpec('resnet-mini');
  const alive: AliveCounts = {
    stem: 10,
    's1b1/conv2': 3,
    's1b2/conv2': 12,
    's1b1/conv1': 5,
    's1b2/conv1': 9,
    's2b1/conv1': 20,
    's2b1/conv2': 11,
    's2b1/proj': 4,
    's2b2/conv1': 16,
    's2b2/conv2': 2,
    's3b1/conv1': 33,
    's3b1/conv2': 17,
    's3b1/proj': 30,
    's3b2/conv1': 40,
    's3b2/conv2': 8,
  };

  it.each<Target>(['flops', 'size'])(
    'reaches the seed cost (%s) from below; one rounding step more exceeds it',
    (target) => {
      const seed = networkCost(resnet);
      const budget = target === 'flops' ? seed.flops : seed.params;
      const r = expandSpec(resnet, alive, { target });
      const got = target === 'flops' ? r.cost.flops : r.cost.params;
      expect(got).toBeLessThanOrEqual(budget);
      expect(got).toBeGreaterThan(0.9 * budget);
      const over = expandSpec(resnet, alive, { target, budget: Number.MAX_SAFE_INTEGER }); // sanity: grows
      expect(over.omega).toBeGreaterThan(r.omega);
      const next = pruneSpec(resnet, widthsAt(scalingFor(resnet, alive), nextStep(resnet, alive, r.omega)));
      const nextCost = networkCost(next as NetworkSpec);
      expect(target === 'flops' ? nextCost.flops : nextCost.params).toBeGreaterThan(budget);
    },
  );

  it('gives tied layers one width: the max of their alive counts times ω, rounded', () => {
    const r = expandSpec(resnet, alive, { target: 'flops' });
    const w = r.widths;
    expect(w['stem']).toBe(w['s1b1/conv2']);
    expect(w['stem']).toBe(w['s1b2/conv2']);
    expect(w['stem']).toBe(Math.round(r.omega * 12));
    expect(w['s2b1/proj']).toBe(Math.round(r.omega * 11));
    expect(w['s3b1/conv1']).toBe(Math.round(r.omega * 33));
  });

  it('removes a block whose inner width is 0 and keeps its shortcut', () => {
    const r = expandSpec(residualStage, { 'b1/conv1': 0 }, { target: 'flops' });
    expect(r.widths['b1/conv1']).toBe(0);
    expect(r.widths['b1/conv2']).toBe(0);
    expect(r.spec.layers.map((l) => l.name)).toEqual([
      'stem',
      'b2/conv1',
      'b2/conv2',
      'b2/add',
      'pool',
      'logits',
    ]);
    expect(r.spec.layers[1]).toMatchObject({ name: 'b2/conv1', from: 'stem' });
    expect(r.spec.layers[3]).toMatchObject({ name: 'b2/add', from: ['stem', 'b2/conv2'] });
  });

  it('keeps a zero layer at width 1 when removing it would cut the logits off', () => {
    const r = expandSpec(workedExample, { conv1: 0, conv2: 32 }, { target: 'flops' });
    expect(r.widths['conv1']).toBe(1);
    // conv1 = 1 channel: F = 18,432·3·1 + 4,608·1·w + 2·w·10 ≤ 3,244,672 → w = 689.
    expect(r.widths['conv2']).toBe(689);
    expect(r.cost.flops).toBe(18_432 * 3 + 4_608 * 689 + 20 * 689);
  });

  it('lets an inception tower vanish, with its pool', () => {
    const inc = seedSpec('inception-mini');
    const r = expandSpec(inc, { 'inc1/pool_proj': 0, 'inc2/3x3_reduce': 0 }, { target: 'flops' });
    const names = r.spec.layers.map((l) => l.name);
    expect(names).not.toContain('inc1/pool');
    expect(names).not.toContain('inc2/3x3');
    expect(r.spec.layers.find((l) => l.name === 'inc1/concat')?.from).toEqual(['inc1/1x1', 'inc1/3x3']);
  });

  it('refuses a budget below the smallest network', () => {
    expect(() => expandSpec(workedExample, {}, { target: 'flops', budget: 10 })).toThrow(ExpandError);
  });
});

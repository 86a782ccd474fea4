import { describe, expect, it } from 'vitest';
import { uniformSpec } from '../../morphnet/baselines.ts';
import { networkCost } from '../../morphnet/cost.ts';
import { validateSpec } from '../../morphnet/spec.ts';
import { parseSweep } from '../../morphnet/sweep-validate.ts';
import type { NetworkSpec } from '../../morphnet/types.ts';
import { DEFAULTS } from '../url.ts';
import type { PagePointRecord } from './cache.ts';
import { pageSweep } from './page-sweep.ts';

const seed: NetworkSpec = validateSpec(
  {
    name: 'tiny',
    input: { height: 8, width: 8, channels: 1 },
    classes: 2,
    layers: [
      { name: 'c1', type: 'conv', from: 'input', filters: 8, kernel: 3 },
      { name: 'pool', type: 'gap', from: 'c1' },
      { name: 'logits', type: 'dense', from: 'pool', units: 2, relu: false },
    ],
  },
  'tiny',
);

const base = { context: 'ctx', backend: 'webgpu', seconds: 2, savedAt: 0, steps: 20 };
/** What the cost model gives (the page's points carry it; an imported file must match it too). */
const costOf = (spec: NetworkSpec, alive?: Record<string, number>) => {
  const c = networkCost(spec, alive);
  return { flops: c.flops, params: c.params };
};
const records: PagePointRecord[] = [
  // Kept before the queue had families: no spec, rebuilt from the multiplier.
  {
    ...base,
    key: 'a',
    family: 'uniform',
    label: '×0.5',
    settings: { family: 'uniform', multiplier: 0.5 },
    widths: { c1: 4 },
    ...costOf(uniformSpec(seed, 0.5)),
    testAccuracy: 0.6,
  },
  {
    ...base,
    key: 'b',
    family: 'pruning',
    label: '50%',
    settings: { family: 'pruning', fraction: 0.5, finetune: 5 },
    spec: uniformSpec(seed, 0.5),
    widths: { c1: 4 },
    ...costOf(uniformSpec(seed, 0.5)),
    testAccuracy: 0.55,
  },
  {
    ...base,
    key: 'c',
    family: 'morphnet',
    label: 'strength 5',
    settings: { family: 'morphnet', strength: 5, target: 'flops', threshold: 0.01, budget: 1, omega: 1.5 },
    spec: seed,
    widths: { c1: 8 },
    alive: { c1: 5 },
    learned: costOf(seed, { c1: 5 }),
    ...costOf(seed),
    testAccuracy: 0.7,
  },
  {
    ...base,
    key: 'd',
    family: 'morphnet',
    label: 'strength 5',
    settings: { family: 'morphnet', strength: 5, target: 'size', threshold: 0.01, budget: 1, omega: 1.5 },
    spec: seed,
    widths: { c1: 8 },
    ...costOf(seed),
    testAccuracy: 0.7,
  },
  {
    ...base,
    key: 'e',
    family: 'uniform',
    label: '×1',
    settings: { family: 'uniform', multiplier: 1 },
    spec: seed,
    widths: { c1: 8 },
    ...costOf(seed),
    testAccuracy: null,
  },
  {
    ...base,
    key: 'f',
    family: 'uniform',
    label: '×1',
    settings: { family: 'uniform', multiplier: 1 },
    spec: seed,
    widths: { c1: 8 },
    ...costOf(seed),
    testAccuracy: 0.9,
    steps: 40,
  },
];
// The page's defaults learn toward FLOPs at threshold 0.01: record 'd' (toward size) is not shown.
const page = { name: 'tiny', seed, settings: DEFAULTS, steps: 20, finetune: 5 };

describe('pageSweep', () => {
  it('is a valid sweep file of the chartable points, the unmeasured ones listed as skipped', () => {
    const sweep = pageSweep(records, page)!;
    // What the page builds passes the same check as an imported file.
    expect(parseSweep(JSON.stringify(sweep), 'page')).toEqual(sweep);
    expect(sweep.points.map((p) => `${p.family} ${p.label} ${p.steps}`)).toEqual([
      'uniform ×0.5 20',
      'pruning 50% 5',
      'morphnet strength 5 20',
    ]);
    expect(sweep.points[0]!.spec).toEqual(uniformSpec(seed, 0.5));
    expect(sweep.skipped).toEqual([
      { family: 'uniform', label: '×1', reason: 'no test accuracy was measured' },
    ]);
    expect(sweep.settings).toMatchObject({
      spec: 'tiny',
      steps: 20,
      multipliers: [0.5, 1],
      prune: [0.5],
      finetune: 5,
      strengths: [5],
      budgets: [1],
      target: 'flops',
      backend: 'webgpu',
    });
    expect(sweep.testExamples).toBe(400);
  });

  it('is null when nothing of this step count and target was kept', () => {
    expect(pageSweep(records, { ...page, steps: 7 })).toBeNull();
  });
});

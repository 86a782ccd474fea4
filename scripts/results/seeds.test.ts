import { describe, expect, it } from 'vitest';
import type { SweepFile, SweepPoint } from '../../src/morphnet/sweep.ts';
import { comparePaired, interpolate, joinSeedSweeps, mergeSweeps, spread, verdictOf } from './seeds.ts';

const pt = (family: SweepPoint['family'], label: string, flops: number, testAccuracy: number): SweepPoint =>
  ({ family, label, flops, params: flops / 10, testAccuracy }) as SweepPoint;

const sweep = (seed: number, points: SweepPoint[], seconds = 10): SweepFile =>
  ({
    settings: { spec: 'resnet-mini', dataset: 'fashion', seed },
    points,
    skipped: [],
    seconds,
  }) as unknown as SweepFile;

describe('spread', () => {
  it('is the mean, the sample standard deviation, min and max', () => {
    const s = spread([0.9, 0.92, 0.94]);
    expect([s.min, s.max, s.n]).toEqual([0.9, 0.94, 3]);
    expect(s.mean).toBeCloseTo(0.92, 15);
    expect(s.std).toBeCloseTo(0.02, 15);
    expect(spread([0.5])).toEqual({ mean: 0.5, std: 0, min: 0.5, max: 0.5, n: 1 });
  });
});

describe('interpolate', () => {
  it('is linear in log x between the neighbours and null outside', () => {
    const c = [
      { x: 400, y: 0.9 },
      { x: 100, y: 0.8 },
    ];
    expect(interpolate(c, 200)).toBeCloseTo(0.85, 12);
    expect(interpolate(c, 400)).toBe(0.9);
    expect(interpolate(c, 99)).toBeNull();
    expect(interpolate([{ x: 5, y: 0.3 }], 5)).toBe(0.3);
  });
});

describe('verdictOf', () => {
  it('is ahead only when every seed is ahead and the mean margin exceeds its spread', () => {
    expect(verdictOf([0.01, 0.02, 0.03])).toBe('ahead'); // mean 0.02 > std 0.01
    expect(verdictOf([0.001, 0.002, 0.05])).toBe('within'); // all ahead, mean 0.0177 < std 0.0280
    expect(verdictOf([-0.01, 0.03, 0.04])).toBe('within'); // one seed behind
    expect(verdictOf([-0.02, -0.03, -0.01])).toBe('behind');
    expect(verdictOf([0.05])).toBe('single');
  });
});

describe('mergeSweeps', () => {
  const a = sweep(1, [
    pt('uniform', '×1', 100, 0.9),
    pt('morphnet', 'strength 5', 98, 0.91),
    pt('uniform', '×2', 400, 0.93),
  ]);
  const b = sweep(
    2,
    [pt('uniform', '×1', 100, 0.88), pt('morphnet', 'strength 5', 102, 0.92), pt('uniform', '×0.5', 30, 0.8)],
    20,
  );

  it('keeps the first seed network with the mean accuracy and every seed result', () => {
    const m = mergeSweeps([a, b]);
    expect(m.settings.seeds).toEqual([1, 2]);
    expect(m.seconds).toBe(30);
    expect(m.points.map((p) => [p.label, p.flops, p.testAccuracy, p.seeds!.length])).toEqual([
      ['×1', 100, 0.89, 2],
      ['strength 5', 98, 0.915, 2],
      ['×2', 400, 0.93, 1],
      ['×0.5', 30, 0.8, 1],
    ]);
    expect(m.points[3]!.seeds![0]!.seed).toBe(2);
    expect(m.points[1]!.seeds).toEqual([
      { seed: 1, flops: 98, params: 9.8, testAccuracy: 0.91 },
      { seed: 2, flops: 102, params: 10.2, testAccuracy: 0.92 },
    ]);
  });

  it('refuses a repeated seed and another network', () => {
    expect(() => mergeSweeps([a, a])).toThrow('the sweeps to merge repeat a seed (1, 1)');
    const other = { ...b, settings: { ...b.settings, dataset: 'mnist' } } as SweepFile;
    expect(() => mergeSweeps([a, other])).toThrow(
      "seed 2's sweep is of resnet-mini on mnist, not resnet-mini on fashion",
    );
  });
});

describe('comparePaired', () => {
  // Seed 1: uniform 0.80 at 100 and 0.90 at 400, MorphNet 0.88 at 200 (uniform there: 0.85).
  // Seed 2: uniform 0.82 / 0.90, MorphNet 0.87 at 200 (uniform there: 0.86).
  const s1 = sweep(1, [
    pt('uniform', '×1', 100, 0.8),
    pt('uniform', '×2', 400, 0.9),
    pt('morphnet', 'm', 200, 0.88),
  ]);
  const s2 = sweep(2, [
    pt('uniform', '×1', 100, 0.82),
    pt('uniform', '×2', 400, 0.9),
    pt('morphnet', 'm', 200, 0.87),
  ]);

  it('pairs each seed with its own baseline curve', () => {
    const [c] = comparePaired([s1, s2], 'uniform', 'flops');
    expect(c!.label).toBe('m');
    expect(c!.x).toBe(200);
    expect(c!.accuracy.mean).toBeCloseTo(0.875, 12);
    expect(c!.baseline.mean).toBeCloseTo(0.855, 12);
    expect(c!.margin.min).toBeCloseTo(0.01, 12);
    expect(c!.margin.max).toBeCloseTo(0.03, 12);
    expect(c!.margin.std).toBeCloseTo(Math.SQRT2 * 0.01, 12);
    expect(c!.verdict).toBe('ahead'); // mean 0.02 > std 0.0141
  });

  it('compares at equal size on the params axis, and leaves out a point outside any seed range', () => {
    expect(comparePaired([s1, s2], 'uniform', 'params')[0]!.x).toBe(20);
    const narrow = sweep(3, [
      pt('uniform', '×1', 100, 0.8),
      pt('uniform', '×1.5', 150, 0.85),
      pt('morphnet', 'm', 200, 0.88),
    ]);
    expect(comparePaired([s1, narrow], 'uniform', 'flops')).toEqual([]);
    expect(comparePaired([s1], 'pruning', 'flops')).toEqual([]);
    const without = sweep(4, [pt('uniform', '×1', 100, 0.8), pt('uniform', '×2', 400, 0.9)]);
    const [c] = comparePaired([s1, without], 'uniform', 'flops');
    expect([c!.margin.n, c!.verdict]).toEqual([1, 'single']); // one seed: no spread to judge by
  });
});

describe('joinSeedSweeps', () => {
  it("adds the second pass's new points and grid to the first's", () => {
    const a = sweep(
      1,
      [pt('uniform', '×0.5', 25, 0.85), pt('morphnet', 'strength 10, budget 50%', 50, 0.86)],
      100,
    );
    a.settings = { ...a.settings, multipliers: [0.5], prune: [], strengths: [10], budgets: [0.5] };
    const b = sweep(1, [pt('uniform', '×1', 100, 0.87), pt('morphnet', 'strength 10', 99, 0.88)], 50);
    b.settings = { ...b.settings, multipliers: [1], prune: [], strengths: [10], budgets: [1] };
    const j = joinSeedSweeps(a, b);
    expect(j.points.map((p) => p.label)).toEqual(['×0.5', 'strength 10, budget 50%', '×1', 'strength 10']);
    expect([j.settings.multipliers, j.settings.strengths, j.settings.budgets, j.seconds]).toEqual([
      [0.5, 1],
      [10],
      [0.5, 1],
      150,
    ]);
    expect(() => joinSeedSweeps(a, sweep(2, []))).toThrow('cannot join the sweeps of seeds 1 and 2');
  });
});

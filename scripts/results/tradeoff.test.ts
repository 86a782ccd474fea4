import { describe, expect, it } from 'vitest';
import type { SweepFile, SweepPoint } from '../../src/morphnet/sweep.ts';
import { accuracyAt, compareSweep, curve, flopsFor } from './tradeoff.ts';

const point = (
  family: SweepPoint['family'],
  flops: number,
  testAccuracy: number,
  label = `${family} ${flops}`,
) => ({ family, label, flops, params: flops / 100, testAccuracy }) as SweepPoint;

describe('curve interpolation', () => {
  const c = curve(
    [point('uniform', 400, 0.9), point('uniform', 100, 0.8), point('pruning', 50, 0.1)],
    'uniform',
  );

  it('sorts one family by FLOPs', () => {
    expect(c).toEqual([
      { flops: 100, accuracy: 0.8 },
      { flops: 400, accuracy: 0.9 },
    ]);
  });

  it('interpolates in log FLOPs: halfway between 100 and 400 is 200', () => {
    expect(accuracyAt(c, 200)).toBeCloseTo(0.85, 12);
    expect(accuracyAt(c, 100)).toBeCloseTo(0.8, 12);
  });

  it('never extrapolates', () => {
    expect(accuracyAt(c, 99)).toBeNull();
    expect(accuracyAt(c, 401)).toBeNull();
  });

  it('inverts: the FLOPs where the curve first reaches an accuracy', () => {
    expect(flopsFor(c, 0.85)).toBeCloseTo(200, 9);
    expect(flopsFor(c, 0.95)).toBeNull();
    expect(flopsFor(c, 0.5)).toBe(100);
  });
});

describe('compareSweep', () => {
  it('compares each MorphNet point with both baselines at its FLOPs and its accuracy', () => {
    const sweep = {
      points: [
        point('uniform', 100, 0.8),
        point('uniform', 400, 0.9),
        point('pruning', 100, 0.7),
        point('pruning', 400, 0.8),
        point('morphnet', 200, 0.88, 'strength 5'),
        point('morphnet', 800, 0.95, 'strength 2'),
      ],
    } as SweepFile;
    const [a, b] = compareSweep(sweep);
    expect(a!.point.label).toBe('strength 5');
    expect(a!.vsUniform).toBeCloseTo(0.03, 12);
    expect(a!.vsPruning).toBeCloseTo(0.13, 12);
    // Uniform reaches 0.88 at 100·4^0.8 FLOPs: 1.52× the MorphNet point's 200.
    expect(a!.uniformFlopsRatio).toBeCloseTo((100 * 4 ** 0.8) / 200, 9);
    expect(a!.pruningFlopsRatio).toBeNull();
    expect(b!.vsUniform).toBeNull();
  });
});

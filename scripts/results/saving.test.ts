import { describe, expect, it } from 'vitest';
import type { SweepFile, SweepPoint } from '../../src/morphnet/sweep.ts';
import { costToReach, renderSavings, savings } from './saving.ts';

const pt = (family: SweepPoint['family'], label: string, flops: number, testAccuracy: number) =>
  ({ family, label, flops, params: flops, testAccuracy }) as unknown as SweepPoint;
const sweep = (seed: number, points: SweepPoint[]) =>
  ({ settings: { seed }, points }) as unknown as SweepFile;

describe('costToReach', () => {
  const curve = [
    { x: 100, y: 0.8 },
    { x: 400, y: 0.9 },
    { x: 900, y: 0.88 },
  ];
  it('interpolates in log cost between the first pair that crosses', () => {
    // 0.85 is halfway from 0.80 to 0.90: halfway from ln 100 to ln 400, i.e. 200.
    expect(costToReach(curve, 0.85)).toBeCloseTo(200, 9);
    expect(costToReach(curve, 0.9)).toBeCloseTo(400, 9);
  });
  it('never extrapolates', () => {
    expect(costToReach(curve, 0.91)).toBe('above');
    expect(costToReach(curve, 0.8)).toBe('below');
    expect(costToReach([], 0.5)).toBe('above');
  });
});

describe('savings', () => {
  it("is 1 − MorphNet's FLOPs over the uniform FLOPs at its accuracy, seed by seed", () => {
    const uniform = [pt('uniform', '×0.5', 100, 0.8), pt('uniform', '×1', 400, 0.9)];
    const files = [
      // 0.85 needs 200 uniform FLOPs: MorphNet at 150 saves 25%.
      sweep(1, [...uniform, pt('morphnet', 's', 150, 0.85)]),
      // 0.875 needs 400^0.75 · 100^0.25 = 282.8: MorphNet at 212.1 saves 25% too.
      sweep(2, [...uniform, pt('morphnet', 's', 212.132, 0.875)]),
      sweep(3, [...uniform, pt('morphnet', 's', 300, 0.95)]),
    ];
    const [s] = savings(files);
    expect(s!.label).toBe('s');
    expect(s!.above).toBe(1);
    expect(s!.below).toBe(0);
    expect(s!.saving!.n).toBe(2);
    expect(s!.saving!.mean).toBeCloseTo(0.25, 5);
    expect(renderSavings(files)).toContain(
      '| s | 2 | 25.0% ± 0.0 (25.0% to 25.0%) | 1 seed: more accurate than every uniform point |',
    );
  });
});

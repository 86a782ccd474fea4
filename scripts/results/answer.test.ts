import { describe, expect, it } from 'vitest';
import type { SweepFile, SweepPoint } from '../../src/morphnet/sweep.ts';
import { answerText } from './answer.ts';
import { mergeSweeps } from './seeds.ts';

const pt = (family: SweepPoint['family'], label: string, flops: number, testAccuracy: number) =>
  ({ family, label, flops, params: flops, testAccuracy }) as unknown as SweepPoint;
const sweep = (seed: number, half: number, full: number, m: number) =>
  ({
    settings: { spec: 'resnet-mini', dataset: 'fashion', seed, steps: 300, batch: 128 },
    seed: { flops: 400, params: 400 },
    points: [pt('uniform', '×0.5', 100, half), pt('uniform', '×1', 400, full), pt('morphnet', 's', 200, m)],
    skipped: [],
    seconds: 1,
  }) as unknown as SweepFile;

describe('answerText', () => {
  it('says MorphNet wins where every seed beats its own curve by more than the spread, and asks no why', () => {
    const s = [sweep(1, 0.8, 0.9, 0.88), sweep(2, 0.82, 0.9, 0.87)];
    const text = answerText('Fashion-MNIST', s, mergeSweeps(s), null);
    expect(text).toContain(
      "**The answer on Fashion-MNIST** (2 seeds, every network trained 300 steps, 0.64 epochs): at equal FLOPs MorphNet is ahead of the uniform multiplier by more than the seeds' spread at 1 of 1 points (within it at 0, behind at 0).",
    );
    // At 200 FLOPs the curves give 0.85 and 0.86: 0.88 needs 400^0.8·100^0.2 = 303.1 (34.0% saved),
    // 0.87 needs 400^0.625·100^0.375 = 237.8 (15.9% saved): the point's mean 25.0% (one point,
    // so the range over points is that one value).
    expect(text).toContain('its points average 25.0% (from 25.0% to 25.0%; the paper reports 11–15%');
    expect(text).not.toContain('does not beat');
  });

  it("where it does not win, says so and what in the runs explains it, with the recipe's longer run", () => {
    const s = [sweep(1, 0.85, 0.86, 0.85), sweep(2, 0.84, 0.86, 0.855)];
    const text = answerText('Fashion-MNIST', s, mergeSweeps(s), { steps: 1200, testAccuracy: 0.91 });
    expect(text).toContain('at 0 of 1 points (within it at 1, behind at 0)');
    expect(text).toContain('So MorphNet does not beat the uniform multiplier here.');
    // ×0.5 means 84.5%, ×1 86.0%: 1.5 points; the points' spreads 0.71, 0 and 0.35: mean 0.35.
    expect(text).toContain(
      'from ×0.5 to ×1 (4× the FLOPs) gains only 1.5 points, against a seed-to-seed spread of 0.4 points',
    );
    expect(text).toContain('the seed alone reaches 91.0% at 1200 steps against 86.0% at 300');
  });

  it('without a finished sweep it says not yet', () => {
    expect(answerText('MNIST', [], null, null)).toBe(
      '**The answer on MNIST:** not yet: no sweep has finished.',
    );
  });
});

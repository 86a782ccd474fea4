import { describe, expect, it } from 'vitest';
import type { SweepFile, SweepPoint } from '../../src/morphnet/sweep.ts';
import { planFor } from './plan.ts';
import { missingPoints, renderReport, type DatasetInput } from './report.ts';
import { mergeSweeps } from './seeds.ts';

const pt = (family: SweepPoint['family'], label: string, flops: number, testAccuracy: number) =>
  ({ family, label, flops, params: flops / 100, testAccuracy, alive: {} }) as unknown as SweepPoint;
const sweep = (seed: number, u: [number, number], m: number) =>
  ({
    settings: {
      spec: 'resnet-mini',
      dataset: 'fashion',
      seed,
      steps: 300,
      learnSteps: 150,
      multipliers: [0.5, 1],
      prune: [],
      strengths: [10],
      budgets: [0.5],
    },
    seed: { flops: 400, params: 4 },
    points: [
      pt('uniform', '×0.5', 100, u[0]),
      pt('uniform', '×1', 400, u[1]),
      pt('morphnet', 'strength 10, budget 50%', 200, m),
    ],
    skipped: [],
    seconds: 60,
  }) as unknown as SweepFile;

describe('renderReport', () => {
  const plan = planFor('fashion', 'runs/x', [1, 2], 'pytorch');
  const sweeps = [sweep(1, [0.8, 0.9], 0.88), sweep(2, [0.82, 0.9], 0.87)];
  const input: DatasetInput = {
    plan,
    done: (s) => s === plan.sweeps[0]!.step || s === plan.sweeps[1]!.step,
    seconds: (s) => (s === plan.sweeps[0]!.step ? 1500 : null),
    recipe: null,
    sweeps,
    merged: mergeSweeps(sweeps),
    patterns: [],
    towers: null,
    cycle: null,
  };
  const md = renderReport({
    command: 'npm run results',
    date: '2026-12-02',
    device: 'a CPU',
    engine: 'PyTorch',
    datasets: [input],
  });

  it('lists what ran and what did not, with the commands', () => {
    expect(md).toContain(
      '| sweep, seed 1 | done | 25.0 min | `npx morphnet sweep --spec resnet-mini --dataset fashion --steps 300 --batch 128',
    );
    expect(md).toContain(
      '| the recipe: the seed alone | **not run** |  | `npx morphnet train --spec resnet-mini --dataset fashion --steps 1200',
    );
  });

  it('names the points a stopped sweep did not write', () => {
    const s = sweep(3, [0.8, 0.9], 0.87);
    s.settings = { ...s.settings, multipliers: [0.5, 1], prune: [], strengths: [10], budgets: [0.5, 1] };
    expect(missingPoints(s)).toEqual(['strength 10']);
  });

  it("sets the uniform curve's range against the seeds' spread", () => {
    // Uniform means 81.0% and 90.0%; the points' standard deviations 1.41, 0 and 0.71 points.
    expect(md).toContain(
      "the mean accuracy moves 9.0 points; a point's seed-to-seed standard deviation is 0.7 points on average.",
    );
  });

  it('draws each point with its seeds and judges MorphNet seed by seed', () => {
    expect(md).toContain('| uniform | ×0.5 | 2 | 25.0% | 25.0% | 81.0% ± 1.4 (80.0%–82.0%) |');
    // Margins +3.0 and +1.0 points against each seed's own uniform curve (0.85, 0.86 at 200).
    expect(md).toContain(
      '| strength 10, budget 50% | 2 | 87.5% ± 0.7 (87.0%–88.0%) | 85.5% ± 0.7 (85.0%–86.0%) | +2.0 ± 1.4 points (+1.0 to +3.0) | ahead by more than the spread |',
    );
    expect(md).toContain(
      '- At equal FLOPs, MorphNet is ahead by more than the spread at 1 of 1 points with several seeds, behind by more than it at 0, within it at 0.',
    );
  });

  it('judges MorphNet against magnitude pruning seed by seed, inside the pruned range only', () => {
    const withPruning = (seed: number, hi: number, lo: number, m: number) => {
      const s = sweep(seed, [0.8, 0.9], m);
      s.settings = { ...s.settings, prune: [0.25, 0.75] };
      const pr = (label: string, flops: number, acc: number, fraction: number) =>
        ({
          ...pt('pruning', label, flops, acc),
          settings: { family: 'pruning', fraction, finetune: 100 },
        }) as SweepPoint;
      s.points = [...s.points, pr('25% pruned', 300, hi, 0.25), pr('75% pruned', 100, lo, 0.75)];
      return s;
    };
    const ss = [withPruning(1, 0.86, 0.8, 0.88), withPruning(2, 0.85, 0.81, 0.87)];
    const doc = renderReport({
      command: 'npm run results',
      date: '2026-12-02',
      device: 'a CPU',
      engine: 'PyTorch',
      datasets: [{ ...input, sweeps: ss, merged: mergeSweeps(ss) }],
    });
    // At 200 FLOPs, between 100 and 300 in log cost (t = ln 2 / ln 3 = 0.631): seed 1's pruning
    // curve gives 0.80 + 0.631 × 0.06 = 0.8379, seed 2's 0.81 + 0.631 × 0.04 = 0.8352; margins
    // +4.2 and +3.5 points.
    expect(doc).toContain('### MorphNet against magnitude pruning');
    expect(doc).toContain('fine-tuned for 100 steps');
    expect(doc).toMatch(
      /\| strength 10, budget 50% \| 2 \| 87\.5% ± 0\.7 \(87\.0%–88\.0%\) \| 83\.7% ± 0\.2 \(83\.5%–83\.8%\) \| \+3\.8 ± 0\.5 points \(\+3\.5 to \+4\.2\) \| ahead by more than the spread \|/,
    );
    expect(doc).toContain(
      '- At equal FLOPs, MorphNet is ahead of pruning by more than the spread at 1 of 1 points with several seeds, behind at 0, within at 0.',
    );
    expect(md).toContain('Not run: fewer than two pruning fractions have finished');
  });
});

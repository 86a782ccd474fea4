import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSweep } from '../../morphnet/sweep-validate.ts';
import {
  compareMorphnet,
  headlineComparison,
  interpolateFamily,
  sameAsUniform,
  sweepCommand,
} from './summary.ts';

const sweep = parseSweep(
  readFileSync(new URL('../../../e2e/fixtures/tradeoff/plain-cnn-shapes.json', import.meta.url), 'utf8'),
  'plain-cnn-shapes.json',
);
const uniform = (label: string) => sweep.points.find((p) => p.family === 'uniform' && p.label === label)!;

describe('interpolateFamily', () => {
  it('is linear in log(cost) between the two neighbouring points', () => {
    const a = uniform('×0.5');
    const b = uniform('×0.75');
    // The geometric mean of their FLOPs is halfway on the log axis.
    const mid = Math.sqrt(a.flops * b.flops);
    const r = interpolateFamily(sweep, 'uniform', mid, 'flops')!;
    expect(r.between.map((p) => p.label)).toEqual(['×0.5', '×0.75']);
    expect(r.accuracy).toBeCloseTo((a.testAccuracy + b.testAccuracy) / 2, 10);
  });

  it('returns the point itself on an exact hit and nothing outside the range', () => {
    const a = uniform('×0.25');
    expect(interpolateFamily(sweep, 'uniform', a.flops, 'flops')?.accuracy).toBe(a.testAccuracy);
    expect(interpolateFamily(sweep, 'uniform', a.flops * 0.9, 'flops')).toBeNull();
    expect(interpolateFamily(sweep, 'uniform', uniform('×1').flops * 1.1, 'flops')).toBeNull();
  });
});

describe('compareMorphnet', () => {
  it('compares every MorphNet point at its own cost, in FLOPs or parameters', () => {
    const rows = compareMorphnet(sweep, 'flops');
    expect(rows.map((r) => r.point.label)).toEqual([
      'strength 2, budget 50%',
      'strength 2',
      'strength 8, budget 50%',
      'strength 8',
    ]);
    // strength 8, budget 50%: 9.62M FLOPs, between ×0.5 (5.16M) and ×0.75 (11.28M).
    const s8 = rows[2]!;
    expect(s8.uniform?.between.map((p) => p.label)).toEqual(['×0.5', '×0.75']);
    const t = Math.log(9615156 / 5161344) / Math.log(11280960 / 5161344);
    expect(s8.uniform?.accuracy).toBeCloseTo(0.173828125 + t * (0.177734375 - 0.173828125), 10);
    expect(s8.pruning?.between.map((p) => p.label)).toEqual(['50%', '25%']);
    // In parameters strength 8 at budget 1 (75.6k) costs more than ×1 (72.2k): out of range.
    expect(compareMorphnet(sweep, 'params')[3]?.uniform).toBeNull();
  });

  it('leads with the largest margin over the uniform curve', () => {
    const rows = compareMorphnet(sweep, 'flops');
    const margins = rows.map((r) => r.point.testAccuracy - r.uniform!.accuracy);
    // strength 2 at budget 1 is the seed network again: no margin at all, and no comparison.
    expect(margins[1]).toBeCloseTo(0, 10);
    expect(rows.map(sameAsUniform)).toEqual([false, true, false, false]);
    const head = headlineComparison(rows)!;
    expect(head.point.testAccuracy - head.uniform!.accuracy).toBe(Math.max(...margins));
    expect(head.point.label).toBe('strength 8');
    // Losing everywhere, it still reports the smallest loss, never the seed's tie.
    const lose = rows.map((r) => ({ ...r, point: { ...r.point, testAccuracy: 0.1 } }));
    expect(headlineComparison(lose)?.point.label).toBe('strength 8');
    expect(headlineComparison(lose.slice(1, 2))?.point.label).toBe('strength 2');
    expect(headlineComparison([])).toBeNull();
  });
});

describe('sweepCommand', () => {
  it('writes every recorded setting as a flag', () => {
    expect(sweepCommand(sweep.settings, 'out.json')).toBe(
      'npx morphnet sweep --spec plain-cnn --dataset shapes --target flops --steps 20 --batch 8 --lr 0.05 ' +
        '--seed 1 --threshold 0.01 --strengths 2,8 --budgets 0.5,1 --multipliers 0.25,0.5,0.75,1 ' +
        '--prune 0.25,0.5 --finetune 5 --backend wasm --out out.json',
    );
    expect(sweepCommand({ ...sweep.settings, prune: [] })).toContain("--prune '' ");
  });

  it("carries the schedule, the learning runs' length and the engine when the file records them", () => {
    const command = sweepCommand(
      { ...sweep.settings, schedule: 'cosine', warmup: 15, learnSteps: 150, steps: 300, engine: 'pytorch' },
      'out.json',
    );
    expect(command).toContain(
      ' --steps 300 --batch 8 --lr 0.05 --schedule cosine --warmup 15 --learn-steps 150 --seed 1 ',
    );
    expect(command).toMatch(/ --backend wasm --engine pytorch --out out\.json$/);
    expect(
      sweepCommand({ ...sweep.settings, schedule: 'constant', learnSteps: 20, engine: 'tfjs' }),
    ).not.toMatch(/--schedule|--learn-steps|--engine/);
  });
});

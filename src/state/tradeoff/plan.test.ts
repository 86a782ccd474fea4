import { describe, expect, it } from 'vitest';
import { sweepLabel } from '../../morphnet/sweep.ts';
import { planJobs, pointKey, requestedPoints, type QueueRequest } from './plan.ts';

const request: QueueRequest = {
  steps: 10,
  multipliers: [0.5, 1],
  fractions: [0.25, 0.5],
  finetune: 4,
  strengths: [2, 5],
  budgets: [0.5, 1],
  target: 'flops',
  threshold: 0.01,
};

describe('the queue plan', () => {
  it('labels points as morphnet sweep does', () => {
    expect(requestedPoints(request).map(sweepLabel)).toEqual([
      '×0.5',
      '×1',
      '25%',
      '50%',
      'strength 2, budget 50%',
      'strength 2',
      'strength 5, budget 50%',
      'strength 5',
    ]);
  });

  it('groups the missing points into one worker per uniform network, one for pruning, one per strength', () => {
    const all = planJobs(request, 'ctx', new Set());
    expect(all.jobs.map((j) => j.family)).toEqual(['uniform', 'uniform', 'pruning', 'morphnet', 'morphnet']);
    expect(all.points).toBe(8);
    // 2 uniform × 10, the seed 10 + 2 × 4 fine-tuning, 2 strengths × (10 learning + 2 × 10).
    expect(all.steps).toBe(20 + 18 + 60);
    // 2 uniform, the seed and 2 pruned, 2 learners and 4 expansions.
    expect(all.builds).toBe(2 + 3 + 6);
    const have = new Set([
      pointKey('ctx', 10, { family: 'uniform', multiplier: 1 }),
      pointKey('ctx', 10, { family: 'pruning', fraction: 0.25, finetune: 4 }),
      pointKey('ctx', 10, { family: 'morphnet', strength: 2, budget: 0.5, target: 'flops', threshold: 0.01 }),
      pointKey('ctx', 10, { family: 'morphnet', strength: 2, budget: 1, target: 'flops', threshold: 0.01 }),
    ]);
    const rest = planJobs(request, 'ctx', have);
    expect(rest.jobs).toEqual([
      { family: 'uniform', multiplier: 0.5 },
      { family: 'pruning', fractions: [0.5], finetune: 4 },
      { family: 'morphnet', strength: 5, budgets: [0.5, 1], target: 'flops', threshold: 0.01 },
    ]);
    expect(rest.points).toBe(4);
    expect(rest.steps).toBe(10 + 14 + 30);
    expect(rest.builds).toBe(1 + 2 + 3);
  });

  it('keys a point by everything that changes it', () => {
    const m = { family: 'morphnet', strength: 2, budget: 1, target: 'flops', threshold: 0.01 } as const;
    const keys = new Set([
      pointKey('ctx', 10, m),
      pointKey('ctx', 11, m),
      pointKey('other', 10, m),
      pointKey('ctx', 10, { ...m, target: 'size' }),
      pointKey('ctx', 10, { ...m, threshold: 0.02 }),
      pointKey('ctx', 10, { ...m, budget: 0.5 }),
    ]);
    expect(keys.size).toBe(6);
    // The uniform key is the one the queue kept before it had families.
    expect(pointKey('ctx', 10, { family: 'uniform', multiplier: 0.5 })).toBe('ctx|steps 10|×0.5');
  });
});

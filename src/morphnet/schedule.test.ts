import { describe, expect, it } from 'vitest';
import { CONSTANT_SCHEDULE, learningRateAt, scheduleLabel } from './schedule.ts';

describe('learningRateAt', () => {
  it('is the peak at every step without warm-up under constant', () => {
    expect([0, 1, 99].map((s) => learningRateAt(s, 100, 0.05, CONSTANT_SCHEDULE))).toEqual([
      0.05, 0.05, 0.05,
    ]);
  });

  it('warms up linearly, the first step already at lr/warmup', () => {
    const s = { kind: 'constant' as const, warmup: 4 };
    expect([0, 1, 2, 3, 4, 9].map((i) => learningRateAt(i, 10, 0.2, s))).toEqual([
      0.05, 0.1, 0.15000000000000002, 0.2, 0.2, 0.2,
    ]);
  });

  it('falls along a cosine after warm-up, half the peak half-way, never 0 at the last step', () => {
    const s = { kind: 'cosine' as const, warmup: 2 };
    // steps 10, warm-up 2: the cosine runs over steps 2..9 with period 8 (0 would be step 10).
    expect(learningRateAt(1, 10, 0.1, s)).toBe(0.1);
    expect(learningRateAt(2, 10, 0.1, s)).toBe(0.1);
    expect(learningRateAt(6, 10, 0.1, s)).toBeCloseTo(0.05, 15);
    expect(learningRateAt(4, 10, 0.1, s)).toBeCloseTo(0.1 * 0.5 * (1 + Math.SQRT1_2), 15);
    expect(learningRateAt(9, 10, 0.1, s)).toBe(0.0038060233744356634);
  });

  it('is the peak after a warm-up as long as the run', () => {
    expect(learningRateAt(5, 5, 0.1, { kind: 'cosine', warmup: 5 })).toBe(0.1);
  });
});

describe('scheduleLabel', () => {
  it('names the kind and the warm-up', () => {
    expect(scheduleLabel(CONSTANT_SCHEDULE)).toBe('constant');
    expect(scheduleLabel({ kind: 'cosine', warmup: 1 })).toBe('cosine, 1 warm-up step');
    expect(scheduleLabel({ kind: 'cosine', warmup: 30 })).toBe('cosine, 30 warm-up steps');
  });
});

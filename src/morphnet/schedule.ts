// The learning-rate schedule a run trains under (issue 14's recipe). Both engines take the rate of
// each step from here: the tfjs loops through the session's updateSettings before each step, and
// train.py's lr_at, which computes the same numbers (pytorch/tests/test_train.py pins them).
export type ScheduleKind = 'constant' | 'cosine';

export interface Schedule {
  kind: ScheduleKind;
  /** Steps of linear warm-up to the peak rate (0: none). */
  warmup: number;
}

/** What a run without --schedule and --warmup trains under: the rate of --lr at every step. */
export const CONSTANT_SCHEDULE: Schedule = { kind: 'constant', warmup: 0 };

/**
 * The rate of 0-based step `step` of `steps` at peak `lr`: lr·(step+1)/warmup over the first
 * `warmup` steps (the first step already moves), then `lr` (constant) or a cosine from `lr` that
 * would reach 0 at step `steps`, so the last step still has a small, non-zero rate.
 */
export function learningRateAt(step: number, steps: number, lr: number, schedule: Schedule): number {
  const { kind, warmup } = schedule;
  if (step < warmup) return (lr * (step + 1)) / warmup;
  if (kind === 'constant' || steps <= warmup) return lr;
  return lr * 0.5 * (1 + Math.cos((Math.PI * (step - warmup)) / (steps - warmup)));
}

/** "cosine, 30 warm-up steps": a schedule as the reports and progress lines name it. */
export function scheduleLabel(s: Schedule): string {
  const warm = s.warmup === 0 ? '' : `, ${s.warmup} warm-up step${s.warmup === 1 ? '' : 's'}`;
  return `${s.kind}${warm}`;
}

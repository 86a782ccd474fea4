import { describe, expect, it } from 'vitest';
import { parseSchedule } from './schedule-flags.ts';

describe('parseSchedule', () => {
  it('defaults to a constant rate without warm-up', () => {
    expect(parseSchedule('train', undefined, undefined, 300)).toEqual({ kind: 'constant', warmup: 0 });
    expect(parseSchedule('sweep', 'cosine', '15', 150)).toEqual({ kind: 'cosine', warmup: 15 });
  });

  it('refuses another kind, a bad count and a warm-up longer than the run, in one line', () => {
    expect(() => parseSchedule('train', 'linear', undefined, 300)).toThrow(
      'train: --schedule must be constant or cosine, got "linear"',
    );
    expect(() => parseSchedule('sweep', 'cosine', '-1', 300)).toThrow(/^sweep: --warmup /);
    expect(() => parseSchedule('train', 'cosine', '301', 300)).toThrow(
      'train: --warmup 301 is longer than the 300 training steps',
    );
  });
});

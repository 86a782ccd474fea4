import { describe, expect, it } from 'vitest';
import { ranks, spearman } from './rank.ts';

describe('ranks', () => {
  it('ranks ascending from 1, whatever the input order', () => {
    expect(ranks([30, 10, 20])).toEqual([3, 1, 2]);
  });

  it('gives tied values the mean of the ranks they span', () => {
    // 5 takes ranks 2 and 3 → 2.5 each; 9 takes 4, 5 and 6 → 5 each.
    expect(ranks([9, 5, 1, 9, 5, 9])).toEqual([5, 2.5, 1, 5, 2.5, 5]);
  });
});

describe('spearman', () => {
  it('is 1 for the same order and −1 for the reverse, on any monotone scale', () => {
    expect(spearman([1, 2, 3, 4], [10, 100, 1000, 10_000])).toBe(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
  });

  it('matches 1 − 6Σd²/(n(n²−1)) without ties', () => {
    // ranks x: 1 2 3 4 5, y: 2 1 4 3 5 → d² = 1+1+1+1+0 = 4; ρ = 1 − 24/120 = 0.8
    expect(spearman([1, 2, 3, 4, 5], [20, 10, 40, 30, 50])).toBeCloseTo(0.8, 12);
  });

  it('handles ties by Pearson on mean ranks (worked by hand)', () => {
    // x ranks 1, 2.5, 2.5, 4; y ranks 1, 2, 3, 4. Centred (mean 2.5): x −1.5, 0, 0, 1.5;
    // y −1.5, −0.5, 0.5, 1.5. Σxy = 4.5, Σx² = 4.5, Σy² = 5 → ρ = 4.5 / √22.5 = 0.948683…
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(4.5 / Math.sqrt(22.5), 12);
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(0.9486832980505138, 12);
  });

  it('is NaN where it is undefined: one pair, or a constant list', () => {
    expect(spearman([1], [2])).toBeNaN();
    expect(spearman([1, 2, 3], [5, 5, 5])).toBeNaN();
  });

  it('refuses unequal lengths and non-finite values', () => {
    expect(() => spearman([1, 2], [1])).toThrow('spearman: 2 against 1 values');
    expect(() => spearman([1, NaN], [1, 2])).toThrow('spearman: a value is not finite');
  });
});

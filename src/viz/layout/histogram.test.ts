import { describe, expect, it } from 'vitest';
import { bimodalGammas } from '../test/fixtures.ts';
import { histogramTicks, layoutHistogram, sameBars, stepThreshold } from './histogram.ts';

const opts = { threshold: 1e-2, domain: [1e-4, 1] as [number, number], bins: 8, width: 400, height: 60 };

describe('layoutHistogram', () => {
  it('counts every value once, clamping zero, NaN and huge values into the end bins', () => {
    const values = new Float32Array([0, 1e-9, NaN, 5e-3, 0.02, 0.5, 30, -0.4]);
    const l = layoutHistogram(values, opts);
    expect(l.counts.reduce((s, c) => s + c, 0)).toBe(values.length);
    expect(l.counts[0]).toBe(3);
    expect(l.counts[7]).toBe(3); // 0.5, 30 and |-0.4|
    expect(l.bars.reduce((s, b) => s + b.count, 0)).toBe(values.length);
  });

  it('puts the threshold on the log scale', () => {
    expect(layoutHistogram([], opts).thresholdX).toBe(200);
    expect(layoutHistogram([], { ...opts, threshold: 1e-3 }).thresholdX).toBe(100);
    // Outside the domain the line stays at the edge.
    expect(layoutHistogram([], { ...opts, threshold: 1e-7 }).thresholdX).toBe(0);
  });

  it('colours bars by the side of the threshold, splitting a bin the threshold cuts', () => {
    const values = bimodalGammas(200, 0.5, 11);
    const l = layoutHistogram(values, { ...opts, threshold: 0.003, bins: 10 });
    for (const b of l.bars) {
      if (b.dead) expect(b.x + b.width).toBeLessThanOrEqual(l.thresholdX + 0.01);
      else expect(b.x).toBeGreaterThanOrEqual(l.thresholdX - 0.01);
    }
    const dead = l.bars.filter((b) => b.dead).reduce((s, b) => s + b.count, 0);
    expect(dead + l.alive).toBe(200);
    expect(dead).toBe(Array.from(values).filter((v) => v <= 0.003).length);
    expect(Math.max(...l.bars.map((b) => b.height))).toBe(60);
  });

  it('counts a value equal to the threshold as dead (alive is strictly greater)', () => {
    expect(layoutHistogram([0.01, 0.011], opts).alive).toBe(1);
  });

  it('labels each decade of the domain', () => {
    expect(layoutHistogram([], opts).ticks).toEqual([
      { x: 0, label: '1e-4' },
      { x: 100, label: '1e-3' },
      { x: 200, label: '1e-2' },
      { x: 300, label: '1e-1' },
      { x: 400, label: '1' },
    ]);
  });
});

describe('sameBars', () => {
  it('tells a panel whose bins moved from one whose bins did not', () => {
    const values = bimodalGammas(64, 0.5, 3);
    const a = layoutHistogram(values, opts).bars;
    const nudged = values.map((v, i) => (i === 0 ? v * 1.001 : v));
    expect(sameBars(a, layoutHistogram(nudged, opts).bars)).toBe(true);
    const moved = values.map((v, i) => (i === 0 ? 0.9 : v));
    expect(sameBars(a, layoutHistogram(moved, opts).bars)).toBe(false);
    expect(sameBars(a, layoutHistogram(values, { ...opts, threshold: 0.2 }).bars)).toBe(false);
  });

  it('histogramTicks are the ticks every panel of that width has', () => {
    expect(histogramTicks(opts.domain, opts.width)).toEqual(layoutHistogram([0.1], opts).ticks);
  });
});

describe('stepThreshold', () => {
  it('steps by a factor on the log scale and clamps to the domain', () => {
    expect(stepThreshold(1e-3, 10, [1e-5, 1])).toBe(0.01);
    expect(stepThreshold(1e-3, 1, [1e-5, 1])).toBe(0.00126);
    expect(stepThreshold(1e-3, -1, [1e-5, 1], 2)).toBeCloseTo(5e-4, 10);
    expect(stepThreshold(0.5, 10, [1e-5, 1])).toBe(1);
    expect(stepThreshold(2e-5, -10, [1e-5, 1])).toBe(1e-5);
  });
});

describe('layoutHistogram and the alive test', () => {
  it('counts a γ exactly at the threshold as dead, as the training step does', () => {
    const t = 1e-3;
    const h = layoutHistogram(Float32Array.of(Math.fround(t), 0.5), { ...opts, threshold: t });
    expect(h.alive).toBe(1);
  });
});

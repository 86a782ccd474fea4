import { describe, expect, it } from 'vitest';
import { seedSpec, withInput } from '../../src/morphnet/seeds.ts';
import { readPattern } from './pattern.ts';

const spec = withInput(seedSpec('resnet-mini'), { height: 28, width: 28, channels: 1 }, 10);
const EARLY = ['stem', 's1b1/conv1', 's1b1/conv2', 's1b2/conv1', 's1b2/conv2'];
const LATE = ['s3b1/conv1', 's3b1/conv2', 's3b1/proj', 's3b2/conv1', 's3b2/conv2'];
const scaled = (names: string[], keep: number, width: number) =>
  Object.fromEntries(names.map((n) => [n, Math.round(keep * width)]));

describe('readPattern', () => {
  it('buckets resnet-mini by resolution: 28×28 is early, 7×7 late', () => {
    const p = readPattern(spec, {}, {});
    expect(p.early.layers).toEqual(EARLY);
    expect(p.late.layers).toEqual(LATE);
    expect(p.early.side).toBe('28×28');
    expect(p.late.side).toBe('7×7');
    // All alive: every fraction is 1 and no strict inequality holds.
    expect([p.early.flops, p.late.size]).toEqual([1, 1]);
    expect([p.flopsThinsEarly, p.sizeThinsLate, p.relative]).toEqual([false, false, false]);
  });

  it("channel-weights the fractions and reads the paper's pattern", () => {
    // FLOPs run keeps 4 of 16 early channels everywhere, size run keeps 48 of 64 late ones.
    const flops = scaled(EARLY, 0.25, 16);
    const size = scaled(LATE, 0.75, 64);
    const p = readPattern(spec, flops, size);
    expect(p.early.flops).toBeCloseTo(0.25, 12);
    expect(p.late.flops).toBe(1);
    expect(p.early.size).toBe(1);
    expect(p.late.size).toBeCloseTo(0.75, 12);
    expect([p.flopsThinsEarly, p.sizeThinsLate, p.relative]).toEqual([true, true, true]);
  });

  it('says so when the runs are the other way round', () => {
    const p = readPattern(spec, scaled(LATE, 0.5, 64), scaled(EARLY, 0.5, 16));
    expect([p.flopsThinsEarly, p.sizeThinsLate, p.relative]).toEqual([false, false, false]);
  });

  it('gives per-channel costs from the cost model (stem: 28·28·3·3·1 MACs ×2)', () => {
    const stem = readPattern(spec, {}, {}).rows[0]!;
    expect(stem).toMatchObject({
      name: 'stem',
      seedWidth: 16,
      flopsPerChannel: 2 * 28 * 28 * 9,
      paramsPerChannel: 9,
    });
  });
});

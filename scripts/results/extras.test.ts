import { describe, expect, it } from 'vitest';
import { seedSpec, withInput } from '../../src/morphnet/seeds.ts';
import type { SweepFile, SweepPoint } from '../../src/morphnet/sweep.ts';
import { patternBySeed, readCycle, towers } from './extras.ts';
import type { TrainRun } from './runs.ts';

const fit = (name: 'resnet-mini' | 'inception-mini') =>
  withInput(seedSpec(name), { height: 28, width: 28, channels: 1 }, 10);

describe('towers', () => {
  it('lists every concat input with its alive count; a tower at 0 has vanished', () => {
    const spec = fit('inception-mini');
    // inc2's 3×3 tower keeps 5 of its 48 outputs, but its 1×1 reduce has none: nothing gets through.
    const t = towers(spec, { 'inc1/pool_proj': 0, 'inc2/3x3': 5, 'inc2/3x3_reduce': 0 });
    expect(
      t.map((x) => [
        x.layer,
        x.chain.map((c) => `${c.name} ${c.alive}/${c.seedWidth}`).join(' → '),
        x.vanished,
      ]),
    ).toEqual([
      ['inc1/1x1', 'inc1/1x1 16/16', false],
      ['inc1/3x3', 'inc1/3x3_reduce 16/16 → inc1/3x3 24/24', false],
      ['inc1/pool_proj', 'inc1/pool_proj 0/8', true],
      ['inc2/1x1', 'inc2/1x1 32/32', false],
      ['inc2/3x3', 'inc2/3x3_reduce 0/24 → inc2/3x3 5/48', true],
      ['inc2/pool_proj', 'inc2/pool_proj 16/16', false],
    ]);
    expect(t.map((x) => x.concat)).toEqual([
      'inc1/concat',
      'inc1/concat',
      'inc1/concat',
      'inc2/concat',
      'inc2/concat',
      'inc2/concat',
    ]);
  });

  it('finds none in a network without concats', () => {
    expect(towers(fit('resnet-mini'), {})).toEqual([]);
  });
});

const run = (flops: number, testAccuracy: number, alive: Record<string, number> = {}) =>
  ({ final: { flops, testAccuracy, alive } }) as unknown as TrainRun;
const point = (
  family: SweepPoint['family'],
  label: string,
  flops: number,
  testAccuracy: number,
  alive = {},
) => ({ family, label, flops, testAccuracy, alive }) as unknown as SweepPoint;

describe('readCycle', () => {
  it("is the second network's accuracy minus the first's, with the uniform curve at its FLOPs", () => {
    const first = point('morphnet', 'strength 10', 40e6, 0.88);
    const uniform = [point('uniform', '×0.75', 20e6, 0.86), point('uniform', '×1', 80e6, 0.9)];
    const c = readCycle(1, first, uniform, run(40e6, 0.895));
    expect(c.gain).toBeCloseTo(0.015, 12);
    expect(c.uniformAtSecond).toBeCloseTo(0.88, 12); // 40e6 is half-way in log between 20e6 and 80e6
    expect(readCycle(1, first, uniform, run(90e6, 0.9)).uniformAtSecond).toBeNull();
  });
});

describe('patternBySeed', () => {
  const spec = fit('resnet-mini');
  const early = { stem: 4, 's1b1/conv1': 4, 's1b1/conv2': 4, 's1b2/conv1': 4, 's1b2/conv2': 4 };
  const late = { 's3b1/conv1': 16, 's3b1/conv2': 16, 's3b1/proj': 16, 's3b2/conv1': 16, 's3b2/conv2': 16 };
  const sweep = (seed: number, alive: Record<string, number>) =>
    ({
      settings: { seed },
      points: [point('morphnet', 'strength 10, budget 50%', 1, 0.9, alive)],
    }) as unknown as SweepFile;

  it('reads each seed that has both structures, and says whether all three statements hold', () => {
    const sizeRuns = new Map([
      [1, run(1, 0.9, late)],
      [2, run(1, 0.9, early)],
    ]);
    const p = patternBySeed(
      spec,
      [sweep(1, early), sweep(2, late), sweep(3, early)],
      sizeRuns,
      'strength 10, budget 50%',
    );
    expect(p.map((x) => [x.seed, x.holds])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(p[0]!.reading.early.flops).toBe(0.25);
    expect(p[0]!.reading.late.size).toBe(0.25);
  });
});

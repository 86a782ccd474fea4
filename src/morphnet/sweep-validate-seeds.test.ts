// A merged sweep file (several seeds per point, issue 14): the new fields are optional, so a file
// without them reads as before; with them, each seed's result is checked against the point.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sweepMessage } from './testing/sweep-message.ts';
import { validateSweep } from './sweep-validate.ts';

const text = readFileSync(
  new URL('../../e2e/fixtures/tradeoff/plain-cnn-shapes.json', import.meta.url),
  'utf8',
);
type Raw = Record<string, unknown> & { settings: Record<string, unknown>; points: Record<string, unknown>[] };

/** The real file with seeds 1 and 2 at every point: seed 2 at the same cost, 0.02 more accurate. */
function merged(): Raw {
  const f = JSON.parse(text) as Raw;
  f.settings.seeds = [1, 2];
  f.settings.schedule = 'cosine';
  f.settings.warmup = 15;
  f.settings.learnSteps = 150;
  for (const p of f.points) {
    const acc = p.testAccuracy as number;
    p.seeds = [
      { seed: 1, flops: p.flops, params: p.params, testAccuracy: acc - 0.01 },
      { seed: 2, flops: p.flops, params: p.params, testAccuracy: acc + 0.01 },
    ];
  }
  return f;
}

const message = sweepMessage;

describe('validateSweep: several seeds per point', () => {
  it('reads a file without the new fields as before', () => {
    const s = validateSweep(JSON.parse(text), 'sweep.json');
    expect(s.settings.seeds).toBeUndefined();
    expect(s.points.every((p) => p.seeds === undefined)).toBe(true);
  });

  it('copies the seeds, the schedule and each seed result out', () => {
    const f = merged();
    const s = validateSweep(f, 'sweep.json');
    expect(s.settings).toMatchObject({ seeds: [1, 2], schedule: 'cosine', warmup: 15, learnSteps: 150 });
    const p0 = f.points[0]!;
    expect(s.points[0]!.seeds).toEqual([
      { seed: 1, flops: p0.flops, params: p0.params, testAccuracy: (p0.testAccuracy as number) - 0.01 },
      { seed: 2, flops: p0.flops, params: p0.params, testAccuracy: (p0.testAccuracy as number) + 0.01 },
    ]);
  });

  it('keeps the engine that trained the sweep, and refuses one it does not know', () => {
    const f = merged();
    f.settings.engine = 'pytorch';
    expect(validateSweep(f, 'sweep.json').settings.engine).toBe('pytorch');
    f.settings.engine = 'jax';
    expect(message(f)).toBe('sweep.json: settings.engine: expected one of tfjs, pytorch, got "jax"');
  });

  it('reads a point that only some of the seeds had', () => {
    const f = merged();
    const p = f.points[2]!;
    const [one] = p.seeds as { testAccuracy: number }[];
    p.seeds = [{ ...one!, seed: 2 }];
    p.testAccuracy = one!.testAccuracy;
    expect(validateSweep(f, 'sweep.json').points[2]!.seeds!.map((s) => s.seed)).toEqual([2]);
  });

  it("refuses a point's accuracy that is not its seeds' mean", () => {
    const f = merged();
    const seeds = f.points[0]!.seeds as { testAccuracy: number }[];
    seeds[1]!.testAccuracy = 0.5;
    const mean = (seeds[0]!.testAccuracy + 0.5) / 2;
    expect(message(f)).toBe(
      `sweep.json: points[0] (×0.25): testAccuracy: is ${f.points[0]!.testAccuracy as number}, but the mean over its seeds is ${mean}`,
    );
  });

  it('refuses seeds that do not match settings.seeds', () => {
    const f = merged();
    (f.points[1]!.seeds as { seed: number }[])[1]!.seed = 3;
    expect(message(f)).toBe(
      'sweep.json: points[1] (×0.5): seeds[1].seed: is 3: expected one of settings.seeds after the entries before it',
    );
    const e = merged();
    (e.points[1]!.seeds as { seed: number }[]).reverse();
    expect(message(e)).toBe(
      'sweep.json: points[1] (×0.5): seeds[1].seed: is 1: expected one of settings.seeds after the entries before it',
    );
    const g = merged();
    delete g.settings.seeds;
    expect(message(g)).toBe(
      'sweep.json: points[0] (×0.25): seeds: given, but settings.seeds does not list the seeds',
    );
    const h = merged();
    h.points[2]!.seeds = [];
    expect(message(h)).toBe('sweep.json: points[2] (×0.75): seeds: has 0 entries, settings.seeds lists 2');
  });

  it("bounds a seed's cost by the point's own and refuses a repeated seed or bad schedule", () => {
    const f = merged();
    const p = f.points[0]!;
    (p.seeds as { flops: number }[])[0]!.flops = 1e308;
    expect(message(f)).toBe(
      `sweep.json: points[0] (×0.25): seeds[0].flops: expected a number in [${(p.flops as number) / 100}, ${(p.flops as number) * 100}], got 1e+308`,
    );
    const g = merged();
    g.settings.seeds = [1, 1];
    expect(message(g)).toBe('sweep.json: settings.seeds: lists a seed twice');
    const h = merged();
    h.settings.schedule = 'linear';
    expect(message(h)).toBe('sweep.json: settings.schedule: expected one of constant, cosine, got "linear"');
  });
});

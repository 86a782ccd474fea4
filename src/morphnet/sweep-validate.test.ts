import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_SWEEP_BYTES, parseSweep, SweepError, validateSweep } from './sweep-validate.ts';

// A real sweep (`morphnet sweep --spec plain-cnn --dataset shapes`, see e2e/fixtures/tradeoff/).
const text = readFileSync(
  new URL('../../e2e/fixtures/tradeoff/plain-cnn-shapes.json', import.meta.url),
  'utf8',
);
const fresh = () => JSON.parse(text) as Record<string, unknown> & { points: Record<string, unknown>[] };

const message = (value: unknown): string => {
  try {
    validateSweep(value, 'sweep.json');
  } catch (e) {
    expect(e).toBeInstanceOf(SweepError);
    return (e as Error).message;
  }
  throw new Error('expected a SweepError');
};

/** A copy of the real file with one change made to it. */
const edited = (edit: (f: ReturnType<typeof fresh>) => void) => {
  const f = fresh();
  edit(f);
  return f;
};

describe('parseSweep', () => {
  it('reads a real sweep file with its three families', () => {
    const sweep = parseSweep(text, 'plain-cnn-shapes.json');
    expect(sweep.points).toHaveLength(10);
    expect(sweep.points.map((p) => p.family)).toEqual([
      ...Array<string>(4).fill('uniform'),
      'pruning',
      'pruning',
      ...Array<string>(4).fill('morphnet'),
    ]);
    expect(sweep.settings.spec).toBe('plain-cnn');
    expect(sweep.seed.flops).toBe(19759872);
    const m = sweep.points[8];
    expect(m?.settings).toMatchObject({ family: 'morphnet', strength: 8, budget: 0.5 });
    expect(m?.testAccuracy).toBeCloseTo(0.1914, 4);
    expect(Object.keys(m?.widths ?? {})).toEqual(['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'conv6']);
    // Specs come back normalized, defaults written out.
    expect(sweep.seed.spec.layers[0]).toMatchObject({ type: 'conv', stride: 1, bn: true });
  });

  it('names the file for bad JSON and refuses oversized files without parsing them', () => {
    expect(() => parseSweep('{"format":', 'x.json')).toThrow(/^x\.json: not valid JSON: /);
    const big = ' '.repeat(MAX_SWEEP_BYTES + 1);
    expect(() => parseSweep(big, 'big.json')).toThrow(
      `big.json: file is ${MAX_SWEEP_BYTES + 1} bytes, over the 8 MB limit`,
    );
  });
});

describe('validateSweep', () => {
  it('checks the format and the version', () => {
    expect(message([])).toBe('sweep.json: the file: expected an object, got []');
    expect(message(edited((f) => (f['format'] = 'morphnet-run')))).toBe(
      'sweep.json: format: expected "morphnet-sweep" (a file written by morphnet sweep), got "morphnet-run"',
    );
    expect(message(edited((f) => (f['version'] = 2)))).toBe(
      'sweep.json: version: expected 1, got 2; this page reads version 1 only',
    );
  });

  it('names the point and field of a bad number', () => {
    expect(message(edited((f) => (f.points[3]!['testAccuracy'] = 1.5)))).toBe(
      'sweep.json: points[3].testAccuracy: expected a number in [0, 1], got 1.5',
    );
    expect(message(edited((f) => delete f.points[0]!['flops']))).toBe(
      'sweep.json: points[0].flops: expected a number ≥ 0, missing',
    );
    expect(message(edited((f) => (f.points[1]!['steps'] = 2.5)))).toBe(
      'sweep.json: points[1].steps: expected an integer ≥ 0, got 2.5',
    );
    expect(message(edited((f) => (f.points[2]!['family'] = 'random')))).toBe(
      'sweep.json: points[2].family: expected one of uniform, pruning, morphnet, got "random"',
    );
  });

  it("checks the settings against the point's family", () => {
    expect(
      message(edited((f) => ((f.points[4]!['settings'] as Record<string, unknown>)['family'] = 'uniform'))),
    ).toBe('sweep.json: points[4].settings.family: is "uniform" but the point\'s family is "pruning"');
    expect(
      message(edited((f) => ((f.points[6]!['settings'] as Record<string, unknown>)['target'] = 'latency'))),
    ).toBe('sweep.json: points[6].settings.target: expected one of flops, size, got "latency"');
  });

  it("checks widths against the seed's conv layers", () => {
    expect(message(edited((f) => delete (f.points[0]!['widths'] as Record<string, unknown>)['conv3']))).toBe(
      'sweep.json: points[0].widths.conv3: expected an integer ≥ 0, missing',
    );
    expect(message(edited((f) => ((f.points[0]!['alive'] as Record<string, unknown>)['fc'] = 3)))).toBe(
      'sweep.json: points[0].alive.fc: not a conv or depthwise layer of the seed',
    );
  });

  it("checks each spec with the spec format's own one-line messages", () => {
    const bad = edited((f) => {
      const spec = f.points[5]!['spec'] as { layers: Record<string, unknown>[] };
      spec.layers[1]!['filters'] = -4;
    });
    expect(message(bad)).toBe(
      'sweep.json: points[5].spec: layer "conv2": field "filters": must be a positive integer, got -4',
    );
    expect(message(edited((f) => (f['seed'] = { flops: 1, params: 1 })))).toBe(
      'sweep.json: seed.spec: must be a JSON object',
    );
  });

  it('refuses an empty sweep, duplicate labels and bad settings', () => {
    expect(message(edited((f) => (f.points = [])))).toBe(
      'sweep.json: points: is empty: there is nothing to draw',
    );
    expect(message(edited((f) => (f.points[1]!['label'] = f.points[0]!['label'])))).toBe(
      'sweep.json: points[1].label: "×0.25" appears twice in the uniform family',
    );
    expect(
      message(edited((f) => ((f['settings'] as Record<string, unknown>)['multipliers'] = [0.5, 'one']))),
    ).toBe('sweep.json: settings.multipliers[1]: expected a number ≥ 0, got "one"');
  });
});

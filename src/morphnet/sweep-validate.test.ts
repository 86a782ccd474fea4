import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sweepMessage } from './testing/sweep-message.ts';
import { MAX_SWEEP_BYTES, parseSweep } from './sweep-validate.ts';

// A real sweep (`morphnet sweep --spec plain-cnn --dataset shapes`, see e2e/fixtures/tradeoff/).
const text = readFileSync(
  new URL('../../e2e/fixtures/tradeoff/plain-cnn-shapes.json', import.meta.url),
  'utf8',
);
const fresh = () => JSON.parse(text) as Record<string, unknown> & { points: Record<string, unknown>[] };

const message = sweepMessage;

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
      'sweep.json: points[3] (×1): testAccuracy: expected a number in [0, 1], got 1.5',
    );
    expect(message(edited((f) => delete f.points[0]!['flops']))).toBe(
      'sweep.json: points[0] (×0.25): flops: expected a number ≥ 0, missing',
    );
    expect(message(edited((f) => (f.points[1]!['steps'] = 2.5)))).toBe(
      'sweep.json: points[1] (×0.5): steps: expected an integer ≥ 0, got 2.5',
    );
    expect(message(edited((f) => (f.points[2]!['family'] = 'random')))).toBe(
      'sweep.json: points[2] (×0.75): family: expected one of uniform, pruning, morphnet, got "random"',
    );
  });

  it("checks the settings against the point's family", () => {
    expect(
      message(edited((f) => ((f.points[4]!['settings'] as Record<string, unknown>)['family'] = 'uniform'))),
    ).toBe('sweep.json: points[4] (25%): settings.family: is "uniform" but the point\'s family is "pruning"');
    expect(
      message(edited((f) => ((f.points[6]!['settings'] as Record<string, unknown>)['target'] = 'energy'))),
    ).toBe(
      'sweep.json: points[6] (strength 2, budget 50%): settings.target: expected one of flops, size, latency, got "energy"',
    );
  });

  it("checks widths against the seed's conv layers", () => {
    expect(message(edited((f) => delete (f.points[0]!['widths'] as Record<string, unknown>)['conv3']))).toBe(
      'sweep.json: points[0] (×0.25): widths.conv3: expected an integer ≥ 0, missing',
    );
    expect(message(edited((f) => ((f.points[0]!['alive'] as Record<string, unknown>)['fc'] = 3)))).toBe(
      'sweep.json: points[0] (×0.25): alive.fc: not a conv or depthwise layer of the seed',
    );
  });

  it("checks each spec with the spec format's own one-line messages", () => {
    const bad = edited((f) => {
      const spec = f.points[5]!['spec'] as { layers: Record<string, unknown>[] };
      spec.layers[1]!['filters'] = -4;
    });
    expect(message(bad)).toBe(
      'sweep.json: points[5] (50%): spec: layer "conv2": field "filters": must be a positive integer, got -4',
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

describe('validateSweep: against the cost model of each point’s own spec', () => {
  type R = Record<string, unknown>;
  const pointAt = (f: ReturnType<typeof fresh>, i: number, key: string) => f.points[i]![key] as R;

  it('reads both bundled default sweeps', () => {
    for (const name of ['resnet-mini-mnist-flops.json', 'resnet-mini-fashion-flops.json']) {
      const t = readFileSync(new URL(`../../public/sweeps/${name}`, import.meta.url), 'utf8');
      expect(parseSweep(t, name).points.length).toBeGreaterThan(0);
    }
  });

  it('refuses FLOPs, parameters and widths the spec does not have (1e308 would wreck the chart)', () => {
    const cases: [(f: ReturnType<typeof fresh>) => void, string][] = [
      [
        (f) => (f.points[0]!['flops'] = 1e308),
        'sweep.json: points[0] (×0.25): flops: is 1e+308, but the network in its spec has 1401024 FLOPs',
      ],
      [
        (f) => (f.points[1]!['params'] = 18265),
        'sweep.json: points[1] (×0.5): params: is 18265, but the network in its spec has 18264 parameters',
      ],
      [
        (f) => (pointAt(f, 0, 'widths')['conv1'] = 1e308),
        'sweep.json: points[0] (×0.25): widths.conv1: is 1e+308, but the layer has 4 channels in its spec',
      ],
      [
        (f) => (pointAt(f, 8, 'alive')['conv1'] = 17),
        'sweep.json: points[8] (strength 8, budget 50%): alive.conv1: is 17, more than the 16 channels the layer has in the seed',
      ],
      [
        (f) => (pointAt(f, 1, 'alive')['conv1'] = 7),
        'sweep.json: points[1] (×0.5): alive.conv1: is 7, but the layer has 8 channels in its widths',
      ],
      [
        (f) => (pointAt(f, 8, 'learned')['flops'] = 1),
        'sweep.json: points[8] (strength 8, budget 50%): learned.flops: is 1, but the network in the seed with these alive counts has 18137856 FLOPs',
      ],
      [
        (f) => ((f['seed'] as R)['flops'] = 1e308),
        'sweep.json: seed.flops: is 1e+308, but the network in seed.spec has 19759872 FLOPs',
      ],
      [
        (f) => (f.points[2]!['testAccuracy'] = 1.7),
        'sweep.json: points[2] (×0.75): testAccuracy: expected a number in [0, 1], got 1.7',
      ],
      [
        (f) => (f.points[2]!['testAccuracy'] = -0.2),
        'sweep.json: points[2] (×0.75): testAccuracy: expected a number in [0, 1], got -0.2',
      ],
      [
        (f) => (pointAt(f, 0, 'widths')['conv2'] = -1),
        'sweep.json: points[0] (×0.25): widths.conv2: expected an integer ≥ 0, got -1',
      ],
    ];
    for (const [edit, msg] of cases) expect(message(edited(edit))).toBe(msg);
  });

  it('holds the settings to the ranges the page and the CLI take (src/morphnet/limits.ts)', () => {
    const settings = (k: string, v: unknown) => edited((f) => ((f['settings'] as R)[k] = v));
    expect(message(settings('lr', 1e9))).toBe(
      'sweep.json: settings.lr: expected a number in [0, 1], got 1000000000',
    );
    expect(message(settings('threshold', 2))).toBe(
      'sweep.json: settings.threshold: expected a number in [0, 0.5], got 2',
    );
    expect(message(settings('batch', 1e6))).toBe(
      'sweep.json: settings.batch: expected an integer in [1, 512], got 1000000',
    );
    expect(message(settings('strengths', [2, 1e308]))).toBe(
      'sweep.json: settings.strengths[1]: expected a number in [0, 100], got 1e+308',
    );
    expect(message(edited((f) => (pointAt(f, 6, 'settings')['strength'] = 500)))).toBe(
      'sweep.json: points[6] (strength 2, budget 50%): settings.strength: expected a number in [0, 100], got 500',
    );
  });

  it('caps labels and names and refuses control characters in them', () => {
    expect(message(edited((f) => (f.points[0]!['label'] = 'x'.repeat(81))))).toBe(
      'sweep.json: points[0].label: is 81 characters long; it can be at most 80',
    );
    expect(message(edited((f) => (f.points[0]!['label'] = '\u001b]8;;http://x\u0007×0.25')))).toBe(
      'sweep.json: points[0].label: contains a control character (U+001B) at character 1',
    );
    expect(message(edited((f) => ((f['settings'] as R)['dataset'] = 'shapes\u202e')))).toBe(
      'sweep.json: settings.dataset: contains a control character (U+202E) at character 7',
    );
    expect(
      message(edited((f) => (f['skipped'] = [{ family: 'uniform', label: '×9', reason: 'r'.repeat(501) }]))),
    ).toBe('sweep.json: skipped[0].reason: is 501 characters long; it can be at most 500');
  });

  it('reads JSON as data: 1e999 is Infinity and refused; a __proto__ key pollutes nothing', () => {
    const bad = (edit: (t: string) => string) => {
      try {
        parseSweep(edit(text), 'sweep.json');
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('expected a SweepError');
    };
    expect(bad((t) => t.replace('"testExamples": 512', '"testExamples": 1e999'))).toBe(
      'sweep.json: testExamples: expected an integer ≥ 1, got Infinity',
    );
    expect(bad((t) => t.replace(/"widths": \{/, '"widths": {"__proto__": {"polluted": 1},'))).toBe(
      'sweep.json: points[0] (×0.25): widths.__proto__: not a conv or depthwise layer of the seed',
    );
    // Unknown fields elsewhere are a later version's optional ones: dropped, not copied.
    const sweep = parseSweep(
      text.replace('{', '{"__proto__": {"polluted": 1}, "constructor": 1,'),
      'sweep.json',
    );
    expect(Object.keys(sweep)).toEqual([
      'format',
      'version',
      'settings',
      'seed',
      'testExamples',
      'points',
      'skipped',
      'seconds',
    ]);
    expect(Object.getPrototypeOf(sweep)).toBe(Object.prototype);
    expect(({} as R)['polluted']).toBeUndefined();
  });
});

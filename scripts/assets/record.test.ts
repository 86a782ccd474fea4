// A readback becomes a rounded frame with binned |γ|, and the expansion follows the final widths.
import { describe, expect, it } from 'vitest';
import { seedSpec } from '../../src/morphnet/seeds.ts';
import type { Metrics } from '../../src/engine/types.ts';
import { expansionOf, frameOf, round4 } from './record.ts';

describe('frameOf', () => {
  it('rounds to four digits and bins |γ| in the page histogram bins', () => {
    const m: Metrics = {
      step: 30,
      taskLoss: 0.123456,
      regLoss: 0.0654321,
      regValue: 1,
      trainAccuracy: 0.90625,
      gammas: { conv1: Float32Array.from([0.5, 0.5, 1e-7]) },
      alive: { conv1: 2 },
      flops: 1234,
      params: 56,
    };
    const f = frameOf(m, 0.87654);
    expect(f).toMatchObject({
      step: 30,
      taskLoss: 0.1235,
      regLoss: 0.06543,
      trainAccuracy: 0.9063,
      testAccuracy: 0.8765,
      alive: { conv1: 2 },
    });
    expect(f.hist.conv1!.length).toBe(28);
    expect(f.hist.conv1![0]).toBe(1);
    expect(f.hist.conv1![21]).toBe(2); // log10(0.5) = −0.301: bin ⌊4.699 / (6/28)⌋
    expect(round4(NaN)).toBe(0);
    expect('testAccuracy' in frameOf(m)).toBe(false);
  });
});

describe('expansionOf', () => {
  it('expands the final widths back to the seed cost', () => {
    const spec = seedSpec('plain-cnn');
    const full: Record<string, number> = {};
    for (const l of spec.layers) if (l.type === 'conv') full[l.name] = l.filters;
    const half = Object.fromEntries(Object.entries(full).map(([k, v]) => [k, Math.ceil(v / 2)]));
    const frame = { step: 10, taskLoss: 1, regLoss: 0, trainAccuracy: 0, flops: 0, params: 0, hist: {} };
    const e = expansionOf(
      spec,
      [
        { ...frame, alive: full },
        { ...frame, alive: half },
      ],
      'flops',
    );
    expect(e.omega).toBeGreaterThan(1.8);
    expect(e.omega).toBeLessThan(2.2);
    expect(() => expansionOf(spec, [], 'flops')).toThrow('a recorded run needs at least one readback');
  });
});

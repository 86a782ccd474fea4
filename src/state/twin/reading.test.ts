// The twin's verdict from two learned structures: fractions per layer, early vs late groups, and
// the one-line reading, on plain-cnn's layer layout.
import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../morphnet/types.ts';
import { seedSpec } from '../../morphnet/seeds.ts';
import { describeTwin, layerFractions, readTwin } from './reading.ts';

const plain = seedSpec('plain-cnn');

describe('twin reading', () => {
  it('gives each conv layer its alive fraction in both runs, in the seed order', () => {
    const rows = layerFractions(plain, { conv1: 4, conv6: 16 }, { conv1: 16, conv6: 8 });
    expect(rows.map((r) => r.name)).toEqual(['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'conv6']);
    expect(rows[0]).toEqual({ name: 'conv1', seed: 16, a: 0.25, b: 1 });
    expect(rows[5]).toEqual({ name: 'conv6', seed: 64, a: 0.25, b: 0.125 });
    // A layer without a count is fully alive (the seed before the first readback).
    expect(rows[2]).toMatchObject({ a: 1, b: 1 });
  });

  it('reads the paper’s pattern: FLOPs thinner early, size thinner late', () => {
    // Measured by the CLI on plain-cnn/shapes (strength 30, threshold 0.5) after 12 steps.
    const flops = { conv1: 0, conv2: 9, conv3: 0, conv4: 0, conv5: 64, conv6: 64 };
    const size = { conv1: 16, conv2: 9, conv3: 32, conv4: 0, conv5: 0, conv6: 0 };
    const r = readTwin(layerFractions(plain, flops, size))!;
    expect(r.early).toMatchObject({ layers: ['conv1', 'conv2'], a: 9 / 32, b: 25 / 32 });
    expect(r.late).toMatchObject({ layers: ['conv5', 'conv6'], a: 1, b: 0 });
    expect(r.pattern).toBe(true);
    expect(describeTwin(r)).toBe(
      'Early layers (conv1–conv2): FLOPs run keeps 28%, size run 78%. ' +
        'Late layers (conv5–conv6): FLOPs run keeps 100%, size run 0%. ' +
        'The FLOPs run is the thinner one early, relative to the size run, as in the paper.',
    );
  });

  it('compares tilts, so two runs thinned everywhere still read right', () => {
    // Both thin early more than late, but the FLOPs run by more: still the pattern.
    const flops = { conv1: 2, conv2: 2, conv5: 40, conv6: 40 };
    const size = { conv1: 8, conv2: 8, conv5: 48, conv6: 48 };
    const r = readTwin(layerFractions(plain, flops, size))!;
    expect(r.aTilt).toBeCloseTo(2 / 16 - 40 / 64);
    expect(r.pattern).toBe(true);
    // Swapped, it is not, and the reading says so.
    const swapped = readTwin(layerFractions(plain, size, flops))!;
    expect(swapped.pattern).toBe(false);
    expect(describeTwin(swapped)).toMatch(
      /^Early layers \(conv1–conv2\): FLOPs run keeps 50%, size run 13%\./,
    );
    expect(describeTwin(swapped)).toMatch(/Not the paper’s pattern \(yet\)/);
  });

  it('names the pair chosen, and makes no paper claim for a pair with latency', () => {
    const latency = { conv1: 0, conv2: 9, conv3: 0, conv4: 0, conv5: 64, conv6: 64 };
    const size = { conv1: 16, conv2: 9, conv3: 32, conv4: 0, conv5: 0, conv6: 0 };
    const r = readTwin(layerFractions(plain, size, latency))!;
    expect(r.pattern).toBe(false);
    expect(describeTwin(r, ['size', 'latency'])).toBe(
      'Early layers (conv1–conv2): Size run keeps 78%, latency run 28%. ' +
        'Late layers (conv5–conv6): Size run keeps 0%, latency run 100%. ' +
        'The latency run is the thinner one early, relative to the size run.',
    );
    const same = readTwin(layerFractions(plain, latency, latency))!;
    expect(describeTwin(same, ['flops', 'latency'])).toMatch(
      /FLOPs run keeps 28%, latency run 28%\..*Neither run is the thinner one early, relative to the other\.$/,
    );
  });

  it('has nothing to read before pruning, or without enough layers', () => {
    const r = readTwin(layerFractions(plain, {}, {}));
    expect(r?.pattern).toBeNull();
    expect(describeTwin(r)).toMatch(/still keep every channel/);
    const tiny: NetworkSpec = {
      ...plain,
      layers: [{ name: 'only', type: 'conv', from: 'input', filters: 8, kernel: 3 }],
    };
    expect(readTwin(layerFractions(tiny, {}, {}))).toBeNull();
    expect(describeTwin(null)).toMatch(/too few convolutions/);
  });
});

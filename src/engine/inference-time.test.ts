import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { inferShapes, shapeChannels } from '../morphnet/shape.ts';
import { seedSpec } from '../morphnet/seeds.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import { initNodeBackend } from './backend-node.ts';
import { specAtAlive, timeInference } from './inference-time.ts';

const tiny: NetworkSpec = {
  name: 'tiny',
  input: { height: 8, width: 8, channels: 1 },
  classes: 3,
  layers: [
    { name: 'c1', type: 'conv', from: 'input', filters: 8, kernel: 3 },
    { name: 'c2', type: 'conv', from: 'c1', filters: 6, kernel: 3, stride: 2 },
    { name: 'pool', type: 'gap', from: 'c2' },
    { name: 'logits', type: 'dense', from: 'pool', units: 3 },
  ],
};

const convWidths = (spec: NetworkSpec) =>
  Object.fromEntries(spec.layers.filter((l) => l.type === 'conv').map((l) => [l.name, l.filters]));

describe('specAtAlive', () => {
  it('sets every conv to its alive count', () => {
    expect(convWidths(specAtAlive(tiny, { c1: 3, c2: 5 }))).toEqual({ c1: 3, c2: 5 });
    expect(specAtAlive(tiny, undefined)).toBe(tiny);
  });

  it('keeps tied layers equal and removes a dead block of a residual network', () => {
    const seed = seedSpec('resnet-mini');
    const full = convWidths(seed);
    const names = Object.keys(full);
    // Every conv at half its width, rounded down: the residual adds tie some of them, and each
    // group's alive count is the max over its members (the OR of §4).
    const alive = Object.fromEntries(names.map((n) => [n, Math.floor(full[n]! / 2)]));
    const net = specAtAlive(seed, alive);
    const shapes = inferShapes(net);
    for (const n of names) expect(shapeChannels(shapes[n]!)).toBeLessThanOrEqual(full[n]!);
    const widths = convWidths(net);
    for (const [n, w] of Object.entries(widths)) expect(w).toBe(alive[n]);
  });
});

describe('timeInference', () => {
  it('times forward passes of the network at its alive widths on cpu, leaving no tensors', async () => {
    await initNodeBackend('cpu');
    const before = tf.memory().numTensors;
    const r = await timeInference(tiny, { c1: 2, c2: 3 }, 4, { runs: 5 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.runs).toBe(5);
    expect(Number.isFinite(r.medianMs)).toBe(true);
    expect(r.medianMs).toBeGreaterThan(0);
    expect(r.fastestMs).toBeGreaterThan(0);
    expect(r.fastestMs).toBeLessThanOrEqual(r.medianMs);
  });

  it('reports the median of the timed passes, not the warm-up', async () => {
    await initNodeBackend('cpu');
    // The clock's reads in order: each warm-up pass's start and end, the timing's start, then
    // each timed pass's start and end (three runs: no budget check before the third).
    const steps = [0, 500, 0, 500, 0, 0, 1, 0, 9, 0, 3];
    let t = 0;
    const now = () => (t += steps.shift() ?? 1000);
    const r = await timeInference(tiny, undefined, 1, { runs: 3, warmup: 2, now });
    expect(steps).toEqual([]);
    expect(r).toEqual({ medianMs: 3, fastestMs: 1, runs: 3 });
  });

  it('refuses a batch that is not a positive integer', async () => {
    await expect(timeInference(tiny, undefined, 0)).rejects.toThrow('batch must be a positive integer, got 0');
  });
});

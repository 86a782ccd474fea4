import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initNodeBackend } from './backend-node.ts';
import { measureDevice } from './device-probe.ts';

describe('measureDevice', () => {
  it('measures compute, bandwidth and the tiny op on the cpu backend, within its budget, leaving no tensors', async () => {
    await initNodeBackend('cpu');
    await tf.ready();
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const t0 = performance.now();
    const m = await measureDevice((f) => progress.push(f), {
      budgetMs: 1500,
      maxMatmul: 512,
      maxElements: 2 ** 20,
      samples: 3,
    });
    const elapsed = performance.now() - t0;
    expect(tf.memory().numTensors).toBe(before);
    expect(m.backend).toBe('cpu');
    // Plain-JS tfjs on a CPU core: well above 10 MFLOP/s and below a TFLOP/s; a unit slip of
    // 1e3 either way lands outside.
    expect(m.peakGflops).toBeGreaterThan(0.01);
    expect(m.peakGflops).toBeLessThan(1000);
    expect(m.bandwidthGbs).toBeGreaterThan(0.01);
    expect(m.bandwidthGbs).toBeLessThan(1000);
    // A tfjs op costs microseconds in JS, not nanoseconds or seconds.
    expect(m.opOverheadNs).toBeGreaterThan(100);
    expect(m.opOverheadNs).toBeLessThan(1e7);
    expect(Number.isFinite(m.measuredAt)).toBe(true);
    expect(Math.abs(m.measuredAt - Date.now())).toBeLessThan(60_000);
    // Progress starts at 0, never goes back, and reaches 1.
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((f, i) => i === 0 || f >= progress[i - 1]!)).toBe(true);
    // The budget bounds it: a sample under way is finished, the next size not started.
    expect(elapsed).toBeLessThan(1500 * 4);
  });

  it('stops growing the sizes when the budget is spent', async () => {
    await initNodeBackend('cpu');
    // A clock that runs 1000× fast: the budget is gone after the first sizes, so a 4096
    // matmul (137 GFLOP, minutes in plain JS) is never started.
    const now = (() => {
      const t0 = performance.now();
      return () => (performance.now() - t0) * 1000;
    })();
    const t0 = performance.now();
    const m = await measureDevice(undefined, { budgetMs: 2000, maxMatmul: 4096, samples: 2, now });
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(m.peakGflops).toBeGreaterThan(0);
  });
});

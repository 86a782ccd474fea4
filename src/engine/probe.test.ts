import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../morphnet/types.ts';
import { initNodeBackend } from './backend-node.ts';
import { probeTrainingStep } from './probe.ts';

const tiny: NetworkSpec = {
  name: 'tiny',
  input: { height: 8, width: 8, channels: 1 },
  classes: 3,
  layers: [
    { name: 'c1', type: 'conv', from: 'input', filters: 4, kernel: 3 },
    { name: 'pool', type: 'gap', from: 'c1' },
    { name: 'logits', type: 'dense', from: 'pool', units: 3 },
  ],
};

/** A clock that advances by the given amounts, one per call after the first of each pair. */
function fakeClock(stepMs: number[]): () => number {
  let t = 0;
  let calls = 0;
  return () => {
    if (calls++ % 2 === 1) t += stepMs.shift() ?? 0;
    return t;
  };
}

describe('probeTrainingStep', () => {
  it('times the steps after the warm-up and reports their median, leaving no tensors behind', async () => {
    await initNodeBackend('cpu');
    // tfjs 4.22's momentum optimizer keeps one tensor past its own dispose(): the probe may
    // leave that, and nothing else.
    let before = tf.memory().numTensors;
    tf.train.momentum(0.1, 0.9).dispose();
    const optimizerLeak = tf.memory().numTensors - before;
    before = tf.memory().numTensors;
    const r = await probeTrainingStep(tiny, {
      batch: 2,
      steps: 3,
      warmup: 1,
      now: fakeClock([900, 30, 10, 20]),
    });
    expect(r).toEqual({ stepMs: 20, warmupMs: 900, timedSteps: 3 });
    expect(tf.memory().numTensors - before).toBe(optimizerLeak);
  });

  it('stops after the warm-up when it alone is over the budget', async () => {
    await initNodeBackend('cpu');
    const r = await probeTrainingStep(tiny, {
      batch: 2,
      steps: 3,
      warmup: 2,
      budgetMs: 100,
      now: fakeClock([80, 70]),
    });
    expect(r).toEqual({ stepMs: 75, warmupMs: 150, timedSteps: 0 });
  });

  it('runs real steps on wasm with the training kernels', async () => {
    await initNodeBackend('wasm');
    const r = await probeTrainingStep(tiny, { batch: 4, steps: 2, warmup: 1 });
    expect(r.timedSteps).toBe(2);
    expect(r.stepMs).toBeGreaterThan(0);
  });
});

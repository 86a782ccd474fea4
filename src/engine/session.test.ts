import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPlan } from '../morphnet/plan.ts';
import { regularizerValue } from '../morphnet/regularizer.ts';
import { validateSpec } from '../morphnet/spec.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import { initNodeBackend } from './backend-node.ts';
import { makeShapes } from './data/shapes.ts';
import { createSession } from './session.ts';
import type { Dataset, Session, TrainSettings } from './types.ts';

const data: Dataset = makeShapes({ seed: 1, size: 12, train: 256, test: 250 });

const tiny: NetworkSpec = validateSpec(
  {
    name: 'tiny',
    input: { height: 12, width: 12, channels: 3 },
    classes: data.classes,
    layers: [
      { name: 'c1', type: 'conv', from: 'input', filters: 8, kernel: 3 },
      { name: 'c2', type: 'conv', from: 'c1', filters: 12, kernel: 3, stride: 2 },
      { name: 'pool', type: 'gap', from: 'c2' },
      { name: 'logits', type: 'dense', from: 'pool', units: data.classes },
    ],
  },
  'tiny',
);

const base: TrainSettings = { target: 'flops', strength: 0, threshold: 0.01, lr: 0.1, batch: 16, seed: 5 };

async function losses(s: Session, steps: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    s.trainStep();
    out.push((await s.readMetrics()).taskLoss);
  }
  return out;
}

function sumAbsGamma(gammas: Record<string, Float32Array>): number {
  return Object.values(gammas).reduce((s, v) => s + v.reduce((a, b) => a + b, 0), 0);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('createSession', () => {
  it('a training step, a readback and an evaluation leak no tensor', async () => {
    const s = await createSession({ spec: tiny, dataset: data, settings: base });
    s.trainStep(); // the first step creates the optimizer's momentum slots
    const before = tf.memory().numTensors;
    s.trainStep();
    s.trainStep();
    expect(tf.memory().numTensors).toBe(before);
    await s.readMetrics();
    await s.evaluate(30, { calibrate: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(s.step).toBe(3);
    s.dispose();
  });

  it('one seed gives equal losses; another seed differs', async () => {
    const [a, b, c] = await Promise.all([5, 5, 6].map((seed) => createSession({ spec: tiny, dataset: data, settings: { ...base, seed } })));
    const [la, lb, lc] = [await losses(a!, 3), await losses(b!, 3), await losses(c!, 3)];
    expect(la).toEqual(lb);
    expect(lc).not.toEqual(la);
    expect(la.every(Number.isFinite)).toBe(true);
    [a, b, c].forEach((s) => s!.dispose());
  });

  it('reports NaN loss before the first step and R from the pure formula', async () => {
    const s = await createSession({ spec: tiny, dataset: data, settings: { ...base, strength: 2 } });
    const m = await s.readMetrics();
    expect(m.step).toBe(0);
    expect(m.taskLoss).toBeNaN();
    expect(m.gammas['c1']!.length).toBe(8);
    expect(Array.from(m.gammas['c2']!)).toEqual(new Array(12).fill(1));
    expect(m.regValue).toBe(regularizerValue(tiny, m.gammas, 0.01, 'flops'));
    // strength is a multiple of 1/F(seed): with every γ = 1, R/F is a plain number.
    expect(m.regLoss).toBeCloseTo((2 * m.regValue) / m.flops, 6);
    expect(m.alive).toEqual({ c1: 8, c2: 12 });
    s.dispose();
  });

  it('the task loss falls over 30 steps on shapes', async () => {
    const s = await createSession({ spec: tiny, dataset: data, settings: { ...base, lr: 0.2 } });
    const l = await losses(s, 30);
    expect(mean(l.slice(-5))).toBeLessThan(mean(l.slice(0, 5)) - 0.1);
    const acc = await s.evaluate();
    expect(acc).toBeGreaterThanOrEqual(0);
    expect(acc).toBeLessThanOrEqual(1);
    expect(acc * 250).toBeCloseTo(Math.round(acc * 250), 6);
    expect(await s.evaluate()).toBe(acc); // inference does not move the moving averages
    s.dispose();
  });

  it('evaluate can re-estimate the batch-norm statistics first, without touching training', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => createSession({ spec: tiny, dataset: data, settings: { ...base, lr: 0.2 } })));
    for (let i = 0; i < 10; i++) [a, b].forEach((s) => s!.trainStep());
    const plain = await a!.evaluate();
    const calibrated = await a!.evaluate(undefined, { calibrate: 4 });
    expect(calibrated).not.toBe(plain);
    expect(await a!.evaluate()).toBe(calibrated); // the re-estimated averages stay
    // The calibration batches come from their own stream: the next training step is unchanged.
    a!.trainStep();
    b!.trainStep();
    expect((await a!.readMetrics()).taskLoss).toBe((await b!.readMetrics()).taskLoss);
    [a, b].forEach((s) => s!.dispose());
  });

  it('strength > 0 shrinks Σ|γ|, and more strength shrinks it more', async () => {
    const sums: number[] = [];
    // Much stronger pushes (≈ 8+ at this lr) overshoot: SGD on |γ| then bounces around 0.
    for (const strength of [0, 0.5, 2]) {
      const s = await createSession({ spec: tiny, dataset: data, settings: { ...base, strength } });
      for (let i = 0; i < 15; i++) s.trainStep();
      sums.push(sumAbsGamma((await s.readMetrics()).gammas));
      s.dispose();
    }
    expect(sums[1]!).toBeLessThan(sums[0]! * 0.9);
    expect(sums[2]!).toBeLessThan(sums[1]! * 0.8);
  });

  it('switches target, threshold and lr between steps without rebuilding', async () => {
    const s = await createSession({ spec: tiny, dataset: data, settings: { ...base, strength: 1 } });
    s.trainStep();
    const plan = buildPlan(tiny);
    s.updateSettings({ target: 'size', threshold: 0.5, lr: 1e-9 }); // γ barely moves this step
    s.trainStep();
    const m = await s.readMetrics();
    const pure = regularizerValue(plan, m.gammas, 0.5, 'size');
    expect(Math.abs(m.regValue - pure) / pure).toBeLessThan(1e-4);
    expect(m.regLoss).toBeCloseTo(m.regValue / 1_152 /* seed params: 216 + 864 + 72 */, 6);
    expect(() => s.updateSettings({ lr: -1 })).toThrow(/lr must be positive/);
    s.dispose();
  });

  it('refuses a dataset the network does not fit', async () => {
    const other = { ...tiny, input: { height: 28, width: 28, channels: 1 } };
    await expect(createSession({ spec: other, dataset: data, settings: base })).rejects.toThrow(/takes 28×28×1 images/);
  });
});

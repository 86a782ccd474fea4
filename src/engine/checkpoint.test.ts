import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateSpec } from '../morphnet/spec.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import { initNodeBackend } from './backend-node.ts';
import { makeShapes } from './data/shapes.ts';
import { divergence, divergenceCause } from './divergence.ts';
import { createSession } from './session.ts';
import type { Checkpoint, Dataset, Session, TrainSettings } from './types.ts';

const data: Dataset = makeShapes({ seed: 3, size: 8, train: 64, test: 40 });

const tiny: NetworkSpec = validateSpec(
  {
    name: 'tiny',
    input: { height: 8, width: 8, channels: 3 },
    classes: data.classes,
    layers: [
      { name: 'c1', type: 'conv', from: 'input', filters: 4, kernel: 3 },
      { name: 'c2', type: 'conv', from: 'c1', filters: 6, kernel: 3, stride: 2 },
      { name: 'pool', type: 'gap', from: 'c2' },
      { name: 'logits', type: 'dense', from: 'pool', units: data.classes },
    ],
  },
  'tiny',
);

// batch 16 of 64 examples: 4 batches an epoch, so 6 steps cross an epoch boundary after the resume.
const settings: TrainSettings = {
  target: 'flops',
  strength: 2,
  threshold: 0.01,
  lr: 0.1,
  batch: 16,
  seed: 7,
};

async function run(s: Session, steps: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    s.trainStep();
    out.push((await s.readMetrics()).taskLoss);
  }
  return out;
}

const plain = (r: Record<string, { shape: number[]; values: Float32Array }>) =>
  Object.fromEntries(
    Object.entries(r).map(([k, v]) => [k, { shape: v.shape, values: Array.from(v.values) }]),
  );

beforeAll(async () => {
  await initNodeBackend('cpu');
});

describe('Session.checkpoint and SessionOptions.resume', () => {
  it.each(['wasm', 'cpu'] as const)(
    'on %s, 6 steps straight equal 3 steps, a checkpoint, a resumed session and 3 more, bit for bit',
    async (backend) => {
      await initNodeBackend(backend);
      const straight = await createSession({ spec: tiny, dataset: data, settings });
      const lossesStraight = await run(straight, 6);
      const accStraight = await straight.evaluate(undefined, { calibrate: 2 });
      const end = await straight.checkpoint();
      straight.dispose();

      const first = await createSession({ spec: tiny, dataset: data, settings });
      const lossesFirst = await run(first, 3);
      const mid = structuredClone(await first.checkpoint()); // as postMessage or IndexedDB would pass it
      first.dispose();
      expect(mid.step).toBe(3);
      const resumed = await createSession({ spec: tiny, dataset: data, settings: mid.settings, resume: mid });
      expect(resumed.step).toBe(3);
      const lossesResumed = await run(resumed, 3);
      const accResumed = await resumed.evaluate(undefined, { calibrate: 2 });
      const after = await resumed.checkpoint();
      resumed.dispose();

      expect([...lossesFirst, ...lossesResumed]).toEqual(lossesStraight);
      expect(lossesStraight.every(Number.isFinite)).toBe(true);
      expect(accResumed).toBe(accStraight);
      expect(after.step).toBe(6);
      expect(Object.keys(after.variables).sort()).toEqual(Object.keys(end.variables).sort());
      expect(plain(after.variables)).toEqual(plain(end.variables));
      expect(plain(after.slots)).toEqual(plain(end.slots));
      expect(after.calibrationBatches).toBe(2);
    },
  );

  it('holds every variable and one momentum slot per trainable variable, by weight key', async () => {
    const s = await createSession({ spec: tiny, dataset: data, settings });
    const fresh = await s.checkpoint();
    expect(fresh.step).toBe(0);
    expect(fresh.slots).toEqual({});
    expect(Object.keys(fresh.variables).sort()).toEqual([
      'c1/beta',
      'c1/gamma',
      'c1/kernel',
      'c1/moving_mean',
      'c1/moving_variance',
      'c2/beta',
      'c2/gamma',
      'c2/kernel',
      'c2/moving_mean',
      'c2/moving_variance',
      'logits/bias',
      'logits/kernel',
    ]);
    expect(fresh.variables['c2/kernel']!.shape).toEqual([3, 3, 4, 6]);
    expect(Array.from(fresh.variables['c1/gamma']!.values)).toEqual([1, 1, 1, 1]);
    s.trainStep();
    const before = tf.memory().numTensors;
    const cp = await s.checkpoint();
    expect(tf.memory().numTensors).toBe(before); // a checkpoint leaks nothing
    expect(Object.keys(cp.slots).sort()).toEqual([
      'c1/beta',
      'c1/gamma',
      'c1/kernel',
      'c2/beta',
      'c2/gamma',
      'c2/kernel',
      'logits/bias',
      'logits/kernel',
    ]);
    expect(cp.slots['logits/kernel']!.values.some((x) => x !== 0)).toBe(true);
    s.dispose();
  });

  it('a session, resumed or not, leaves tf.memory() as it found it once disposed', async () => {
    const count = tf.memory().numTensors;
    const a = await createSession({ spec: tiny, dataset: data, settings });
    await run(a, 2);
    const cp = await a.checkpoint();
    a.dispose();
    expect(tf.memory().numTensors).toBe(count); // the optimizer's −lr scalar and slots included
    const b = await createSession({ spec: tiny, dataset: data, settings, resume: cp });
    const m = await b.readMetrics();
    expect(m.step).toBe(2);
    expect(Number.isFinite(m.regValue)).toBe(true); // R from the formula before its own first step
    await run(b, 1);
    b.dispose();
    expect(tf.memory().numTensors).toBe(count);
  });

  it('refuses a checkpoint of another batch or seed, or of another network', async () => {
    const a = await createSession({ spec: tiny, dataset: data, settings });
    a.trainStep();
    const cp = await a.checkpoint();
    a.dispose();
    await expect(
      createSession({ spec: tiny, dataset: data, settings: { ...settings, seed: 8 }, resume: cp }),
    ).rejects.toThrow(
      'checkpoint: it was taken with batch 16 and seed 7; the session asks for batch 16 and seed 8',
    );
    const wider = {
      ...tiny,
      layers: tiny.layers.map((l) => (l.name === 'c1' ? { ...l, filters: 5 } : l)),
    } as NetworkSpec;
    await expect(createSession({ spec: wider, dataset: data, settings, resume: cp })).rejects.toThrow(
      /"c1\/kernel" has shape \[3, 3, 3, 4\]/,
    );
    const broken: Checkpoint = {
      ...cp,
      slots: { ...cp.slots, 'c1/kernel': { shape: [1], values: new Float32Array(1) } },
    };
    await expect(createSession({ spec: tiny, dataset: data, settings, resume: broken })).rejects.toThrow(
      'checkpoint: momentum slot "c1/kernel" has shape [1], the network needs [3, 3, 3, 4]',
    );
  });
});

describe('divergence', () => {
  const ok = { taskLoss: 1.2, regLoss: 0.1, regValue: 300, gammas: { c1: new Float32Array([0.5, 0]) } };
  it.each([
    [{ ...ok, taskLoss: NaN, step: 120 }, 'the task loss became NaN at step 120'],
    [{ ...ok, regLoss: Infinity }, 'the regularizer loss became Infinity'],
    [{ ...ok, regValue: -Infinity, step: 3 }, 'the regularizer value became -Infinity at step 3'],
    [{ ...ok, gammas: { c1: new Float32Array([1, NaN]) }, step: 9 }, 'the γ of c1 became NaN at step 9'],
    [{ ...ok, step: 4 }, null],
  ])('%# → %s', (m, reason) => {
    expect(divergence(m)).toBe(reason);
  });
  it('names the first bad value for callers that word it themselves', () => {
    expect(divergenceCause({ ...ok, taskLoss: NaN, regLoss: NaN })).toEqual({
      what: 'task loss',
      value: 'NaN',
    });
  });
});

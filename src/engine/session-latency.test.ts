// The session under the latency target: its settings, its unit of strength and Metrics.latencyNs.
import { beforeAll, describe, expect, it } from 'vitest';
import { networkCost } from '../morphnet/cost.ts';
import { networkLatency, referenceHardware } from '../morphnet/latency.ts';
import { regularizerValue } from '../morphnet/regularizer.ts';
import { validateSpec } from '../morphnet/spec.ts';
import type { LatencySettings, NetworkSpec } from '../morphnet/types.ts';
import { initNodeBackend } from './backend-node.ts';
import { makeShapes } from './data/shapes.ts';
import { createSession } from './session.ts';
import type { Dataset, TrainSettings } from './types.ts';

const data: Dataset = makeShapes({ seed: 1, size: 12, train: 64, test: 20 });

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

const v100: LatencySettings = { hardware: referenceHardware('V100')!, batch: 1 };
const p4: LatencySettings = { hardware: referenceHardware('P4')!, batch: 4 };
const base: TrainSettings = { target: 'latency', strength: 2, threshold: 0.01, lr: 0.1, batch: 8, seed: 5, latency: v100 };

beforeAll(async () => {
  await initNodeBackend('cpu');
});

describe('a session targeting latency', () => {
  it('refuses the latency target without a device, and a device it cannot price', async () => {
    const { latency: _l, ...without } = base;
    await expect(createSession({ spec: tiny, dataset: data, settings: without })).rejects.toThrow(
      'training setting latency is needed with target latency: the device to price for (peak GFLOP/s, bandwidth GB/s) and the latency batch',
    );
    const bad = { ...base, latency: { hardware: { name: 'custom', peakGflops: 0, bandwidthGbs: 10 }, batch: 1 } };
    await expect(createSession({ spec: tiny, dataset: data, settings: bad })).rejects.toThrow(
      'training setting latency: the peak compute must be a positive number of GFLOP/s, got 0',
    );
    const s = await createSession({ spec: tiny, dataset: data, settings: { ...without, target: 'flops' } });
    expect(() => s.updateSettings({ target: 'latency' })).toThrow('training setting latency is needed with target latency');
    s.dispose();
  });

  it('reads back the predicted latency, in units of the seed’s latency on that device', async () => {
    const s = await createSession({ spec: tiny, dataset: data, settings: base });
    let m = await s.readMetrics();
    const seedNs = networkLatency(tiny, undefined, v100).latencyNs;
    expect(m.latencyNs).toBe(seedNs);
    expect(m.regValue).toBe(regularizerValue(tiny, m.gammas, 0.01, 'latency', v100));
    expect(m.regLoss).toBe((2 / seedNs) * m.regValue);
    s.trainStep();
    s.trainStep();
    m = await s.readMetrics();
    expect(m.latencyNs).toBe(networkLatency(tiny, m.alive, v100).latencyNs);
    // The step's R, in ns on the V100 (float32, of the γ before the step's update).
    expect(m.regValue).toBeGreaterThan(0);
    // Another device between steps: nothing rebuilt, the unit and the prediction follow it.
    s.updateSettings({ latency: p4 });
    s.trainStep();
    m = await s.readMetrics();
    const p4Seed = networkLatency(tiny, undefined, p4).latencyNs;
    expect(p4Seed).not.toBe(seedNs);
    expect(m.latencyNs).toBe(networkLatency(tiny, m.alive, p4).latencyNs);
    expect(m.regLoss).toBe((2 / p4Seed) * m.regValue);
    // FLOPs again: R in FLOPs, the latency still reported.
    s.updateSettings({ target: 'flops' });
    s.trainStep();
    m = await s.readMetrics();
    expect(m.latencyNs).toBe(networkLatency(tiny, m.alive, p4).latencyNs);
    expect(m.regLoss).toBe((2 / networkCost(tiny).flops) * m.regValue);
    expect((await s.checkpoint()).settings.latency).toEqual(p4);
    s.dispose();
  });

  it('reports no latency without a device', async () => {
    const { latency: _l, ...without } = base;
    const s = await createSession({ spec: tiny, dataset: data, settings: { ...without, target: 'size' } });
    expect((await s.readMetrics()).latencyNs).toBeUndefined();
    s.dispose();
  });
});

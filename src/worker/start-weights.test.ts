// init with trained starting weights ("Start from"), on the real engine (cpu): the step-0
// readback shows their γ, and weights that do not fit give an untrained network and one line.
import { describe, expect, it } from 'vitest';
import { initNodeBackend } from '../engine/backend-node.ts';
import { readTensors } from '../engine/checkpoint.ts';
import { makeShapes } from '../engine/data/shapes.ts';
import { buildModel } from '../engine/model.ts';
import { createSession } from '../engine/session.ts';
import type { TensorData } from '../engine/types.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import type { RunConfig, WorkerEvent } from '../protocol/messages.ts';
import { methodDeps } from './deps.ts';
import { StudioHandler } from './handler.ts';
import { enginePruning } from './prune.ts';
import { START_WEIGHTS_UNFIT } from './start-weights.ts';

const tiny: NetworkSpec = {
  name: 'tiny',
  input: { height: 8, width: 8, channels: 3 },
  classes: 6,
  layers: [
    { type: 'conv', name: 'c1', from: 'input', filters: 4, kernel: 3 },
    { type: 'gap', name: 'pool', from: 'c1' },
    { type: 'dense', name: 'logits', from: 'pool', units: 6 },
  ],
};
const config: RunConfig = {
  backend: 'cpu',
  net: { kind: 'spec', spec: tiny },
  dataset: 'shapes',
  settings: { target: 'flops', strength: 1, threshold: 0.01, lr: 0.01, batch: 4, seed: 1 },
};

function handler(events: WorkerEvent[]): StudioHandler {
  return new StudioHandler((e) => events.push(e), {
    ...methodDeps,
    selectBackend: async () => {
      await initNodeBackend('cpu');
      return { backend: 'cpu', adapter: null, note: null };
    },
    loadDataset: async () => makeShapes({ seed: 3, size: 8, train: 32, test: 16 }),
    createSession,
    pruning: enginePruning,
    now: () => performance.now(),
    pause: () => new Promise((r) => setTimeout(r, 0)),
    debug: { enabled: true, loseDevice: () => false },
  });
}

async function trained(): Promise<Record<string, TensorData>> {
  await initNodeBackend('cpu');
  const model = buildModel(tiny, 7);
  const w = model.exportWeights();
  const data = await readTensors(Object.entries(w));
  Object.values(w).forEach((t) => t.dispose());
  model.dispose();
  data['c1/gamma'] = { shape: [4], values: Float32Array.from([0.5, -0.25, 0.00390625, 2]) };
  return data;
}

describe('init with starting weights', () => {
  it('builds from them: the first readback shows their |γ|', async () => {
    const events: WorkerEvent[] = [];
    await handler(events).handle({ type: 'init', config, dataBase: '', initialWeights: await trained() });
    const m0 = events.find((e) => e.type === 'metrics');
    expect(m0?.type === 'metrics' && Array.from(m0.gammas)).toEqual([0.5, 0.25, 0.00390625, 2]);
    expect(m0?.type === 'metrics' && m0.alive).toEqual({ c1: 3 });
    expect(events.some((e) => e.type === 'fault')).toBe(false);
  });

  it('weights of another shape: untrained, and one line that says so', async () => {
    const events: WorkerEvent[] = [];
    const bad = await trained();
    bad['c1/gamma'] = { shape: [3], values: Float32Array.from([1, 1, 1]) };
    await handler(events).handle({ type: 'init', config, dataBase: '', initialWeights: bad });
    const m0 = events.find((e) => e.type === 'metrics');
    expect(m0?.type === 'metrics' && Array.from(m0.gammas)).toEqual([1, 1, 1, 1]);
    expect(events.filter((e) => e.type === 'fault')).toEqual([
      { type: 'fault', kind: 'crashed', step: 0, restored: null, message: START_WEIGHTS_UNFIT },
    ]);
    expect(events.some((e) => e.type === 'error')).toBe(false);
  });
});

// The handler on the real engine in Node: tfjs cpu backend, a tiny spec, a tiny shapes set. This
// is the worker's whole path except the browser's backend choice and postMessage.
import { describe, expect, it } from 'vitest';
import { initNodeBackend } from '../engine/backend-node.ts';
import { makeShapes } from '../engine/data/shapes.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import type { RunConfig, WorkerEvent } from '../protocol/messages.ts';
import { createSession } from '../engine/session.ts';
import { methodDeps } from './deps.ts';
import { StudioHandler } from './handler.ts';
import { enginePruning } from './prune.ts';

const tiny: NetworkSpec = {
  name: 'tiny',
  input: { height: 8, width: 8, channels: 3 },
  classes: 6,
  layers: [
    { type: 'conv', name: 'c1', from: 'input', filters: 4, kernel: 3 },
    { type: 'conv', name: 'c2', from: 'c1', filters: 6, kernel: 3, stride: 2 },
    { type: 'gap', name: 'pool', from: 'c2' },
    { type: 'dense', name: 'logits', from: 'pool', units: 6 },
  ],
};

const of = <T extends WorkerEvent['type']>(events: WorkerEvent[], type: T) =>
  events.filter((e): e is Extract<WorkerEvent, { type: T }> => e.type === type);

/** The worker's handler on the real engine, cpu backend, a tiny shapes set. */
function engineHandler(events: WorkerEvent[]): StudioHandler {
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

/** The tiny spec on shapes, batch 4, seed 1, targeting FLOPs. */
function tinyConfig(s: { strength: number; lr: number }): RunConfig {
  return {
    backend: 'cpu',
    net: { kind: 'spec', spec: tiny },
    dataset: 'shapes',
    settings: { target: 'flops', threshold: 0.01, batch: 4, seed: 1, ...s },
  };
}

describe('StudioHandler on the engine (cpu)', () => {
  it('trains, switches target, previews an expansion within budget and retrains into cycle 1', async () => {
    const events: WorkerEvent[] = [];
    const handler = engineHandler(events);
    const config = tinyConfig({ strength: 10, lr: 0.05 });
    await handler.handle({ type: 'init', config, dataBase: '' });
    expect(of(events, 'backend')[0]).toMatchObject({ backend: 'cpu' });
    const ready = of(events, 'ready')[0]!;
    expect(ready.spec.input).toEqual({ height: 8, width: 8, channels: 3 });
    expect(ready.seedCost.flops).toBeGreaterThan(0);
    const m0 = of(events, 'metrics')[0]!;
    expect(m0.gammaLayers.sort()).toEqual(['c1', 'c2']);
    expect(m0.gammas).toHaveLength(10);

    await handler.handle({ type: 'step' });
    await handler.handle({ type: 'settings', patch: { target: 'size' } });
    await handler.handle({ type: 'step' });
    const m2 = of(events, 'metrics').at(-1)!;
    expect(m2.step).toBe(2);
    expect(Number.isFinite(m2.taskLoss)).toBe(true);
    expect(Array.from(m2.gammas)).not.toEqual(Array.from(m0.gammas));

    const budget = ready.seedCost.params;
    await handler.handle({ type: 'expand-preview', budget });
    const e = of(events, 'expansion')[0]!;
    expect(e.target).toBe('size');
    expect(e.cost.params).toBeLessThanOrEqual(budget);
    expect(e.omega).toBeGreaterThan(0);

    await handler.handle({ type: 'retrain', budget });
    await handler.handle({ type: 'pause' });
    await handler.idle();
    const next = of(events, 'ready').at(-1)!;
    expect(next.cycle).toBe(1);
    expect(next.history[0]).toMatchObject({ cycle: 0, steps: 2 });
    expect(next.spec).toEqual(e.spec);
    expect(of(events, 'error')).toEqual([]);
  });

  it('prunes the trained network by filter norm and fine-tunes from its surviving weights', async () => {
    const events: WorkerEvent[] = [];
    const handler = engineHandler(events);
    const config = tinyConfig({ strength: 0, lr: 0.1 });
    await handler.handle({ type: 'init', config, dataBase: '' });
    for (let i = 0; i < 3; i++) await handler.handle({ type: 'step' });
    const trained = of(events, 'metrics').at(-1)!;
    expect(trained.step).toBe(3);
    const gammasOf = (m: typeof trained, layer: string) => {
      const at = m.gammaLayers.indexOf(layer);
      const from = m.gammaSizes.slice(0, at).reduce((a, b) => a + b, 0);
      return Array.from(m.gammas.slice(from, from + m.gammaSizes[at]!));
    };
    const c1 = gammasOf(trained, 'c1');
    await handler.handle({ type: 'prune', fraction: 0.5 });
    const ready = of(events, 'ready').at(-1)!;
    expect(ready.spec.layers.map((l) => (l.type === 'conv' ? l.filters : null))).toEqual([2, 3, null, null]);
    const pruned = of(events, 'metrics').at(-1)!;
    expect(pruned.step).toBe(0);
    // The survivors keep their trained γ (a fresh network would start every γ at 1).
    expect(c1.some((g) => Math.abs(g - 1) > 1e-4)).toBe(true);
    for (const g of gammasOf(pruned, 'c1')) expect(c1.some((t) => Math.abs(t - g) < 1e-6)).toBe(true);
    await handler.handle({ type: 'step' });
    expect(Number.isFinite(of(events, 'metrics').at(-1)!.taskLoss)).toBe(true);
    await handler.handle({ type: 'evaluate' });
    expect(of(events, 'evaluation').at(-1)).toMatchObject({ step: 1 });
    expect(of(events, 'error')).toEqual([]);
  });

  it('a run driven to NaN goes back to its last checkpoint, bit for bit, and trains on from there', async () => {
    const events: WorkerEvent[] = [];
    const handler = engineHandler(events);
    await handler.handle({ type: 'init', config: tinyConfig({ strength: 1, lr: 0.05 }), dataBase: '' });
    for (let i = 0; i < 2; i++) await handler.handle({ type: 'step' });
    await handler.handle({ type: 'pause' });
    const good = of(events, 'metrics').at(-1)!;
    // The debug hook sets lr 1e30 on the session only: the weights blow up within a step or two.
    await handler.handle({ type: 'debug', action: 'diverge' });
    for (let i = 0; i < 3; i++) await handler.handle({ type: 'step' });
    const fault = of(events, 'fault')[0]!;
    expect(fault).toMatchObject({ kind: 'diverged', restored: 2 });
    expect(fault.message).toMatch(/^Training diverged at step [345] \(the .* became (NaN|-?Infinity)\)\. Went back to step 2 and paused\./);
    const after = of(events, 'metrics').at(-1)!;
    expect(after.step).toBeGreaterThan(2);
    expect(Number.isFinite(after.taskLoss)).toBe(true);
    const restored = of(events, 'metrics').find((m) => m.step === 2 && m !== good)!;
    expect(Array.from(restored.gammas)).toEqual(Array.from(good.gammas));
    expect(of(events, 'error')).toEqual([]);
  });
});

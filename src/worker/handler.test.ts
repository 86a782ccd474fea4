// The handler's protocol logic against a fake engine (fast, deterministic). handler.engine.test.ts
// runs the same handler on the real engine, cpu backend, with a tiny spec.
import { describe, expect, it } from 'vitest';
import type { Dataset, Metrics, Session, SessionOptions } from '../engine/types.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import type { MetricsEvent, RunConfig, WorkerEvent } from '../protocol/messages.ts';
import type { StudioDeps } from './deps.ts';
import { StudioHandler } from './handler.ts';

const spec: NetworkSpec = {
  name: 'tiny',
  input: { height: 4, width: 4, channels: 1 },
  classes: 2,
  layers: [
    { type: 'conv', name: 'c1', from: 'input', filters: 4, kernel: 3 },
    { type: 'gap', name: 'pool', from: 'c1' },
    { type: 'dense', name: 'logits', from: 'pool', units: 2 },
  ],
};
const dataset = { name: 'shapes', classNames: ['a', 'b'] } as unknown as Dataset;

function fakeSession(opts: SessionOptions, log: string[]): Session {
  let step = 0;
  let settings = { ...opts.settings };
  const width = (opts.spec.layers[0] as { filters: number }).filters;
  return {
    spec: opts.spec,
    get step() {
      return step;
    },
    updateSettings: (p) => {
      settings = { ...settings, ...p };
      log.push(`settings ${JSON.stringify(p)}`);
    },
    trainStep: () => {
      step++;
    },
    readMetrics: async (): Promise<Metrics> => ({
      step,
      taskLoss: 1 / (step + 1),
      regLoss: settings.strength,
      regValue: 1,
      trainAccuracy: 0.5,
      gammas: { c1: new Float32Array(width).fill(step === 0 ? 1 : 0.001) },
      alive: { c1: step === 0 ? width : 2 },
      flops: step === 0 ? 100 : 50,
      params: 10,
    }),
    evaluate: async () => 0.75,
    dispose: () => log.push('dispose'),
  };
}

function setup(pacing: { pauseEvalMs?: number } = {}) {
  const events: WorkerEvent[] = [];
  const transfers: Transferable[][] = [];
  const log: string[] = [];
  /** What the pruning and session creation did, in order (kept apart from `log`, which others assert). */
  const built: string[] = [];
  let clock = 0;
  const deps: StudioDeps = {
    selectBackend: async () => ({ backend: 'cpu', adapter: null, note: null }),
    loadDataset: async (_n, _b, onProgress) => {
      onProgress(0.5);
      return dataset;
    },
    builtinSpec: () => spec,
    fitSpec: (s) => {
      if (s.layers.length === 0) throw Object.assign(new Error('spec has no layers'), { name: 'SpecError' });
      return s;
    },
    createSession: async (o) => {
      built.push(
        `create ${(o.spec.layers[0] as { filters: number }).filters}${o.initialWeights ? ' from weights' : ''}`,
      );
      return fakeSession(o, log);
    },
    pruning: {
      capture: async (session) => {
        built.push(`capture at step ${session.step}`);
        return { spec: session.spec, weights: {}, norms: {} };
      },
      prune: (source, fraction) => {
        built.push(`prune ${fraction}`);
        const layers = source.spec.layers.map((l) =>
          l.type === 'conv' ? { ...l, filters: Math.round((1 - fraction) * l.filters) } : l,
        );
        return { spec: { ...source.spec, layers }, weights: {} };
      },
      release: () => built.push('release'),
    },
    specCost: () => ({ flops: 100, params: 10 }),
    expand: (s, alive, _t, budget) => ({
      spec: { ...s, layers: s.layers.map((l) => (l.type === 'conv' ? { ...l, filters: 3 } : l)) },
      omega: 1.5,
      cost: { flops: budget - 1, params: 9 },
      widths: { c1: Math.round(1.5 * (alive.c1 ?? 0)) },
    }),
    now: () => (clock += 10),
    pause: () => new Promise((r) => setTimeout(r, 0)),
  };
  const handler = new StudioHandler((e, t) => (events.push(e), transfers.push(t ?? [])), deps, {
    readIntervalMs: 30,
    evalIntervalMs: 1e9,
    ...pacing,
  });
  return { handler, events, transfers, log, built };
}

const config: RunConfig = {
  backend: 'auto',
  net: { kind: 'builtin', name: 'tiny' },
  dataset: 'shapes',
  settings: { target: 'flops', strength: 1, threshold: 0.01, lr: 0.1, batch: 4, seed: 1 },
};

const of = <T extends WorkerEvent['type']>(events: WorkerEvent[], type: T) =>
  events.filter((e): e is Extract<WorkerEvent, { type: T }> => e.type === type);

describe('StudioHandler', () => {
  it('init reports the backend, dataset progress, ready and a step-0 readback', async () => {
    const { handler, events, transfers } = setup();
    await handler.handle({ type: 'init', config, dataBase: '/data/' });
    expect(events.map((e) => e.type).slice(0, 4)).toEqual(['backend', 'progress', 'progress', 'progress']);
    expect(of(events, 'progress').map((p) => p.fraction)).toContain(0.5);
    const ready = of(events, 'ready')[0]!;
    expect(ready).toMatchObject({ cycle: 0, seedCost: { flops: 100, params: 10 }, classNames: ['a', 'b'] });
    const m = of(events, 'metrics')[0]!;
    expect(m.step).toBe(0);
    expect(m.gammaLayers).toEqual(['c1']);
    expect(Array.from(m.gammas)).toEqual([1, 1, 1, 1]);
    // The gammas' buffer is given away, not copied again by structured clone.
    expect(transfers[events.indexOf(m)]).toEqual([m.gammas.buffer]);
  });

  it('step takes one step and reads it back; train runs until pause, then evaluates', async () => {
    const { handler, events } = setup();
    await handler.handle({ type: 'init', config, dataBase: '' });
    await handler.handle({ type: 'step' });
    expect(of(events, 'metrics').at(-1)!.step).toBe(1);
    void handler.handle({ type: 'train' });
    await expect.poll(() => of(events, 'metrics').at(-1)!.step, { timeout: 2000 }).toBeGreaterThan(5);
    await handler.handle({ type: 'pause' });
    await handler.idle();
    const last = of(events, 'metrics').at(-1)!.step;
    expect(of(events, 'running').map((r) => r.running)).toEqual([true, false]);
    expect(of(events, 'evaluation').at(-1)).toEqual({ type: 'evaluation', step: last, testAccuracy: 0.75 });
    await new Promise((r) => setTimeout(r, 20));
    expect(of(events, 'metrics').at(-1)!.step).toBe(last);
  });

  it('prune fine-tunes from the trained network, every fraction from the same one', async () => {
    const { handler, events, built: log } = setup();
    await handler.handle({ type: 'init', config, dataBase: '' });
    await handler.handle({ type: 'step' });
    await handler.handle({ type: 'step' });
    log.length = 0;
    await handler.handle({ type: 'prune', fraction: 0.5 });
    const filters = () => (of(events, 'ready').at(-1)!.spec.layers[0] as { filters: number }).filters;
    expect(of(events, 'ready').at(-1)!.cycle).toBe(0);
    expect(filters()).toBe(2);
    expect(of(events, 'metrics').at(-1)!.step).toBe(0);
    await handler.handle({ type: 'step' });
    // The second fraction prunes the trained seed (4 filters), not the pruned network (2).
    await handler.handle({ type: 'prune', fraction: 0.25 });
    expect(filters()).toBe(3);
    expect(log).toEqual([
      'capture at step 2',
      'prune 0.5',
      'create 2 from weights',
      'release',
      'prune 0.25',
      'create 3 from weights',
      'release',
    ]);
    // A bad fraction is the request's fault and changes nothing; a reset lets the source go.
    await handler.handle({ type: 'prune', fraction: 1.5 });
    expect(of(events, 'error').at(-1)).toEqual({
      type: 'error',
      kind: 'request',
      message: 'Pruning needs a fraction from 0 to 1, not 1.5.',
    });
    log.length = 0;
    await handler.handle({ type: 'reset' });
    expect(log).toEqual(['release', 'create 4']);
  });

  it('evaluate measures even where a pause would skip it as too slow', async () => {
    const { handler, events } = setup({ pauseEvalMs: -1 });
    await handler.handle({ type: 'init', config, dataBase: '' });
    await handler.handle({ type: 'step' });
    await handler.handle({ type: 'pause' });
    expect(of(events, 'evaluation')).toEqual([]);
    await handler.handle({ type: 'evaluate' });
    expect(of(events, 'evaluation')).toEqual([{ type: 'evaluation', step: 1, testAccuracy: 0.75 }]);
  });

  it('the first training step shows compile progress', async () => {
    const { handler, events } = setup();
    await handler.handle({ type: 'init', config, dataBase: '' });
    events.length = 0;
    await handler.handle({ type: 'step' });
    expect(of(events, 'progress').map((p) => [p.task, p.done])).toEqual([
      ['compile', false],
      ['compile', true],
    ]);
  });

  it('a training readback carries its chunk timing; a build readback does not', async () => {
    const { handler, events } = setup();
    await handler.handle({ type: 'init', config, dataBase: '' });
    expect(of(events, 'metrics')[0]!.chunk).toBeUndefined();
    await handler.handle({ type: 'step' });
    // The fake clock ticks 10 per reading: chunk start, readback start, readback end.
    expect(of(events, 'metrics').at(-1)!.chunk).toEqual({ steps: 1, ms: 20, readMs: 10 });
  });

  it('live settings reach the session without a rebuild', async () => {
    const { handler, events, log } = setup();
    await handler.handle({ type: 'init', config, dataBase: '' });
    await handler.handle({ type: 'settings', patch: { target: 'size', strength: 4 } });
    await handler.handle({ type: 'step' });
    expect(log).toEqual(['settings {"target":"size","strength":4}']);
    expect((of(events, 'metrics').at(-1) as MetricsEvent).regLoss).toBe(4);
    expect(of(events, 'ready')).toHaveLength(1);
  });

  it('a threshold moved while paused is read back at once', async () => {
    const { handler, events } = setup();
    await handler.handle({ type: 'init', config, dataBase: '' });
    const before = of(events, 'metrics').length;
    await handler.handle({ type: 'settings', patch: { threshold: 0.5 } });
    expect(of(events, 'metrics')).toHaveLength(before + 1);
    await handler.handle({ type: 'settings', patch: { lr: 0.5 } });
    expect(of(events, 'metrics')).toHaveLength(before + 1);
  });

  it('expand previews, retrain starts cycle 1 at the new widths and trains', async () => {
    const { handler, events } = setup();
    await handler.handle({ type: 'init', config, dataBase: '' });
    await handler.handle({ type: 'step' });
    await handler.handle({ type: 'expand-preview', budget: 100 });
    const e = of(events, 'expansion')[0]!;
    expect(e).toMatchObject({
      budget: 100,
      omega: 1.5,
      learned: { c1: 2 },
      widths: { c1: 3 },
      cost: { flops: 99 },
    });
    await handler.handle({ type: 'retrain', budget: 100 });
    const ready = of(events, 'ready').at(-1)!;
    expect(ready.cycle).toBe(1);
    expect(ready.spec.layers[0]).toMatchObject({ filters: 3 });
    expect(ready.history).toEqual([
      expect.objectContaining({ cycle: 0, learned: { c1: 2 }, steps: 1, testAccuracy: 0.75 }),
    ]);
    expect(of(events, 'running').at(-1)!.running).toBe(true);
    await handler.handle({ type: 'pause' });
    await handler.handle({ type: 'reset' });
    expect(of(events, 'ready').at(-1)).toMatchObject({ cycle: 0, history: [] });
  });

  it('a bad imported spec is reported and the old run survives', async () => {
    const { handler, events, log } = setup();
    await handler.handle({ type: 'init', config, dataBase: '' });
    await handler.handle({
      type: 'init',
      config: { ...config, net: { kind: 'spec', spec: { ...spec, layers: [] } } },
      dataBase: '',
    });
    expect(of(events, 'error')).toEqual([{ type: 'error', kind: 'spec', message: 'spec has no layers' }]);
    expect(log).not.toContain('dispose');
    // The old run is announced again, before the error, so the page can show it.
    expect(events.slice(-3).map((e) => e.type)).toEqual(['ready', 'metrics', 'error']);
    await handler.handle({ type: 'step' });
    expect(of(events, 'metrics').at(-1)!.step).toBe(1);
  });
});

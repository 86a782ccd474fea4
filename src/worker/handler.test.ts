// The handler's protocol logic against a fake engine (fast, deterministic). handler.engine.test.ts
// runs the same handler on the real engine, cpu backend, with a tiny spec.
import { describe, expect, it } from 'vitest';
import type { MetricsEvent } from '../protocol/messages.ts';
import { config, of, setup, spec } from './fake-engine.test-util.ts';

describe('StudioHandler', () => {
  it('init reports dataset progress, then the backend (auto times it on the network), ready and a step-0 readback', async () => {
    const { handler, events, transfers } = setup();
    await handler.handle({ type: 'init', config, dataBase: '/data/' });
    expect(events.map((e) => e.type).slice(0, 4)).toEqual(['progress', 'progress', 'progress', 'backend']);
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

  it('refuses a batch whose step would not fit in memory, in one line, before building or choosing a backend', async () => {
    const { handler, events, built } = setup();
    await handler.handle({
      type: 'init',
      config: { ...config, settings: { ...config.settings, batch: 2 ** 40 } },
      dataBase: '',
    });
    const errors = of(events, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.kind).toBe('spec');
    expect(errors[0]!.message).toMatch(
      /^tiny: training at batch 1099511627776 needs about [\d,.]+ GiB for activations, over the limit of 2 GiB; /,
    );
    expect(of(events, 'backend')).toEqual([]);
    expect(built).toEqual([]);
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

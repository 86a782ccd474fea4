import { describe, expect, it } from 'vitest';
import type { MetricsEvent, WorkerEvent } from '../protocol/messages.ts';
import { createEventQueue, reduceEvents, type Scheduler } from './events.ts';
import { useStudio } from './store.ts';

const metrics = (step: number): MetricsEvent => ({
  type: 'metrics',
  step,
  taskLoss: 1,
  regLoss: 0.5,
  regValue: 2,
  trainAccuracy: 0.25,
  gammaLayers: ['a', 'b'],
  gammaSizes: [2, 3],
  gammas: new Float32Array([1, 2, 3, 4, 5]),
  alive: { a: 2, b: 3 },
  cost: { flops: 10 * step, params: 5 },
  stepMs: 12,
});

describe('reduceEvents', () => {
  it('folds a batch into one patch: gammas unpacked, curves appended, progress kept by task', () => {
    const s = useStudio.getState();
    const patch = reduceEvents(s, [
      { type: 'progress', task: 'compile', label: 'compiling', fraction: null, done: false },
      { type: 'progress', task: 'dataset', label: 'loading', fraction: 0.5, done: false },
      { type: 'progress', task: 'dataset', label: '', fraction: 1, done: true },
      metrics(1),
      metrics(2),
      { type: 'evaluation', step: 2, testAccuracy: 0.9 },
    ]);
    expect(Object.keys(patch.progress ?? {})).toEqual(['compile']);
    expect(patch.step).toBe(2);
    expect(Array.from(patch.gammas!.b!)).toEqual([3, 4, 5]);
    expect(patch.curve!.map((p) => p.step)).toEqual([1, 2]);
    expect(patch.costCurve!.at(-1)).toEqual({ step: 2, flops: 20, params: 5 });
    expect(patch.testAccuracy).toBe(0.9);
    expect(patch).not.toHaveProperty('settings');
  });

  it('keeps the identity of what a readback did not change, so views that select it skip rendering', () => {
    const s = { ...useStudio.getState(), ...reduceEvents(useStudio.getState(), [metrics(1)]) };
    const same = reduceEvents(s, [metrics(1)]);
    expect(same.alive).toBeUndefined();
    expect(same.cost).toBeUndefined();
    expect(same.gammas).toBeUndefined();
    const moved: MetricsEvent = {
      ...metrics(2),
      gammas: new Float32Array([1, 2, 3, 4, 6]),
      alive: { a: 2, b: 2 },
    };
    const next = reduceEvents(s, [moved]);
    expect(next.alive).toEqual({ a: 2, b: 2 });
    expect(next.cost).toEqual({ flops: 20, params: 5 });
    expect(next.gammas!.a).toBe(s.gammas.a);
    expect(Array.from(next.gammas!.b!)).toEqual([3, 4, 6]);
  });

  it('a ready event starts the metrics over; a spec error only sets specError', () => {
    const s = { ...useStudio.getState(), ...reduceEvents(useStudio.getState(), [metrics(3)]) };
    const seed = { name: 's', input: { height: 1, width: 1, channels: 1 }, classes: 2, layers: [] };
    const ready: WorkerEvent = {
      type: 'ready',
      spec: seed,
      seedSpec: seed,
      seedCost: { flops: 1, params: 1 },
      cycle: 1,
      history: [],
      datasetName: 'shapes',
      classNames: [],
    };
    const patch = reduceEvents(s, [ready, { type: 'error', kind: 'spec', message: 'bad' }]);
    expect(patch).toMatchObject({ ready: true, cycle: 1, step: 0, curve: [], specError: 'bad' });
    expect(patch.error).toBeUndefined();
  });
});

describe('createEventQueue', () => {
  it('applies at most once per gap, all queued events together', () => {
    let now = 0;
    const timers: { at: number; fn: () => void }[] = [];
    const scheduler: Scheduler = { now: () => now, later: (fn, ms) => timers.push({ at: now + ms, fn }) };
    const applied: number[] = [];
    const q = createEventQueue((events) => applied.push(events.length), scheduler, 100);
    q.push(metrics(1));
    q.push(metrics(2));
    expect(timers).toHaveLength(1);
    now = 5;
    timers.shift()!.fn();
    expect(applied).toEqual([2]);
    q.push(metrics(3));
    expect(timers[0]!.at).toBe(105);
  });
});

describe('reduceEvents with layer names that are Object.prototype keys', () => {
  it('unpacks |γ| of layers named __proto__ and constructor like any others', () => {
    const e: MetricsEvent = {
      ...metrics(1),
      gammaLayers: ['__proto__', 'constructor'],
      gammaSizes: [2, 1],
      gammas: new Float32Array([1, 2, 3]),
      alive: Object.fromEntries([['__proto__', 2], ['constructor', 1]]),
    };
    const patch = reduceEvents(useStudio.getState(), [e]);
    expect(Object.keys(patch.gammas!)).toEqual(['__proto__', 'constructor']);
    expect(Array.from(Object.getOwnPropertyDescriptor(patch.gammas, '__proto__')!.value as Float32Array)).toEqual([1, 2]);
    expect(Array.from(patch.gammas!['constructor']!)).toEqual([3]);
    // The same readback again changes nothing; a changed __proto__ vector is seen as changed.
    const s = { ...useStudio.getState(), ...patch };
    expect(reduceEvents(s, [{ ...e, step: 2, gammas: new Float32Array([1, 2, 3]) }]).gammas).toBeUndefined();
    const moved = reduceEvents(s, [{ ...e, step: 2, gammas: new Float32Array([1, 9, 3]) }]).gammas!;
    expect(Array.from(Object.getOwnPropertyDescriptor(moved, '__proto__')!.value as Float32Array)).toEqual([1, 9]);
    expect(moved['constructor']).toBe(patch.gammas!['constructor']);
  });

  it('a request error clears when the next expansion preview arrives; a fault trims the curves to its restored step', () => {
    const base = { ...useStudio.getState(), error: { kind: 'request', message: 'That budget cannot be reached.' } };
    const preview: WorkerEvent = {
      type: 'expansion',
      target: 'flops',
      budget: 10,
      omega: 1.5,
      learned: {},
      widths: {},
      spec: { name: 's', input: { height: 1, width: 1, channels: 1 }, classes: 2, layers: [] },
      cost: { flops: 9, params: 1 },
    };
    expect(reduceEvents(base, [preview]).error).toBeNull();
    const fatal = { ...base, error: { kind: 'fatal', message: 'x' } };
    expect(reduceEvents(fatal, [preview]).error).toBeUndefined();
    const trained = { ...base, ...reduceEvents(base, [metrics(10), metrics(20), metrics(30)]) };
    const patch = reduceEvents(trained, [{ type: 'fault', kind: 'diverged', step: 30, restored: 20, message: 'm' }]);
    expect(patch.curve!.map((p) => p.step)).toEqual([10, 20]);
    expect(patch.faults).toEqual([{ kind: 'diverged', step: 30, restored: 20, message: 'm' }]);
    expect(patch.notice).toBe('m');
  });
});

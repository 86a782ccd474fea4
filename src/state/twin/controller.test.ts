// The twin controller against fake workers: what each worker is asked for, that both stop at
// exactly the step count, that the main run is paused, and how the twin's store follows.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { networkCost } from '../../morphnet/cost.ts';
import type { Request, WorkerEvent } from '../../protocol/messages.ts';
import { flushEvents, startStudio, toggleTraining, type WorkerPort } from '../actions.ts';
import type { Scheduler } from '../events.ts';
import { useStudio } from '../store.ts';
import {
  configureTwin,
  flushTwin,
  pauseTwin,
  resumeTwin,
  setTwinPair,
  setTwinSteps,
  startTwin,
  stopTwin,
} from './controller.ts';
import { networkLatency } from '../../morphnet/latency.ts';
import { initialLatency } from '../latency.ts';
import type { RunRecord } from '../runs/record.ts';
import { parseRunFile, formatRunFile } from '../runs/validate.ts';
import { DEFAULT_TWIN_PAIR, useTwin } from './store.ts';

const spec = {
  name: 's',
  input: { height: 1, width: 1, channels: 1 },
  classes: 2,
  layers: [
    // As the validator normalizes a spec, so the round trip below compares like with like.
    {
      name: 'c',
      type: 'conv' as const,
      from: 'input',
      filters: 4,
      kernel: 1,
      stride: 1,
      bn: true,
      relu: true,
    },
    { name: 'pool', type: 'gap' as const, from: 'c' },
    { name: 'logits', type: 'dense' as const, from: 'pool', units: 2, relu: false },
  ],
};
let time = 0;
const manual: Scheduler = { now: () => 0, later: () => {} };
const readyOf = (s: typeof spec): Extract<WorkerEvent, { type: 'ready' }> => ({
  type: 'ready',
  spec: s,
  seedSpec: s,
  seedCost: { flops: networkCost(s).flops, params: networkCost(s).params },
  cycle: 0,
  history: [],
  datasetName: 'shapes',
  classNames: [],
});
/** The twin's clock: moved by hand to pass the save interval. */
const clock: Scheduler = { now: () => time, later: () => {} };

interface Fake {
  sent: Request[];
  terminated: boolean;
  port: WorkerPort;
}

function setup(search = '?dataset=shapes&net=plain-cnn&batch=4&strength=30') {
  const workers: Fake[] = [];
  const url = { search, read: () => url.search, write: (s: string) => (url.search = s) };
  startStudio(
    () => {
      const w: Fake = { sent: [], terminated: false, port: null as unknown as WorkerPort };
      w.port = {
        postMessage: (m) => w.sent.push(m),
        onmessage: null,
        terminate: () => (w.terminated = true),
      };
      workers.push(w);
      return w.port;
    },
    url,
    '/data/',
    manual,
  );
  const writes: { record: RunRecord; checkpoint: number | null }[] = [];
  configureTwin({
    scheduler: clock,
    ports: null,
    save: (record, checkpoint) => writes.push({ record, checkpoint: checkpoint?.step ?? null }),
  });
  /** Each run as last written (saves made as they train update the same run). */
  const saved: RunRecord[] = [];
  const latest = () => {
    const byId = new Map(writes.map((w) => [w.record.id, w.record]));
    saved.splice(0, saved.length, ...byId.values());
    return saved;
  };
  const emit = (w: Fake, e: WorkerEvent) => w.port.onmessage?.({ data: e } as MessageEvent<WorkerEvent>);
  const ready = (w: Fake) =>
    emit(w, {
      type: 'ready',
      spec,
      seedSpec: spec,
      seedCost: { flops: networkCost(spec).flops, params: networkCost(spec).params },
      cycle: 0,
      history: [],
      datasetName: 'shapes',
      classNames: [],
    });
  const metrics = (w: Fake, step: number, alive = 4) =>
    emit(w, {
      type: 'metrics',
      step,
      taskLoss: 1,
      regLoss: 0.1,
      regValue: 1,
      trainAccuracy: 0.5,
      gammaLayers: ['c'],
      gammaSizes: [4],
      gammas: new Float32Array(4),
      alive: { c: alive },
      cost: { flops: Math.max(1, 24 - step), params: networkCost(spec).params },
      stepMs: 5,
    });
  const steps = (w: Fake) => w.sent.filter((r) => r.type === 'step').length;
  return { workers, emit, ready, metrics, steps, saved, writes, latest };
}

describe('twin controller', () => {
  beforeEach(() => {
    time = 0;
    useTwin.setState({ phase: 'idle', steps: 300, message: null, pair: DEFAULT_TWIN_PAIR });
    useStudio.setState({ ...initialLatency });
  });

  it('starts a FLOPs and a size worker with the page’s settings, pausing the main run', () => {
    const { workers, ready } = setup();
    ready(workers[0]!);
    flushEvents();
    toggleTraining();
    expect(useStudio.getState().running).toBe(true);
    startTwin(3);
    expect(useStudio.getState().running).toBe(false);
    expect(workers[0]!.sent.at(-1)).toEqual({ type: 'pause' });
    expect(workers).toHaveLength(3);
    const inits = workers.slice(1).map((w) => w.sent[0]);
    const base = { type: 'init', dataBase: '/data/' };
    const config = { dataset: 'shapes', net: { kind: 'builtin', name: 'plain-cnn' } };
    const settings = { batch: 4, strength: 30, seed: 1, lr: 0.05 };
    expect(inits[0]).toMatchObject({
      ...base,
      config: { ...config, settings: { ...settings, target: 'flops' } },
    });
    expect(inits[1]).toMatchObject({
      ...base,
      config: { ...config, settings: { ...settings, target: 'size' } },
    });
    expect(useTwin.getState().phase).toBe('starting');
  });

  it('trains FLOPs against latency on the device the page prices for, and saves that device', () => {
    const { workers, ready, metrics, emit, latest } = setup();
    useStudio.setState({ latency: { ...initialLatency.latency, priceFor: 'T4', batch: 2 } });
    setTwinPair(['flops', 'latency']);
    startTwin(1);
    const t4 = { hardware: { name: 'T4', peakGflops: 8100, bandwidthGbs: 300 }, batch: 2 };
    const [flops, latency] = [workers[1]!, workers[2]!];
    expect(flops.sent[0]).toMatchObject({ config: { settings: { target: 'flops', latency: t4 } } });
    expect(latency.sent[0]).toMatchObject({ config: { settings: { target: 'latency', latency: t4 } } });
    expect(useTwin.getState().shown).toEqual(['flops', 'latency']);
    ready(flops);
    ready(latency);
    for (const w of [flops, latency]) {
      metrics(w, 1, w === flops ? 3 : 2);
      emit(w, { type: 'evaluation', step: 1, testAccuracy: 0.5 });
      metrics(w, 1, w === flops ? 3 : 2);
    }
    expect(useTwin.getState().phase).toBe('done');
    const run = useTwin.getState().runs.latency;
    // Priced by the pure model on the T4 at batch 2: the same numbers the cost panel shows.
    expect(run.latencyNs).toBe(networkLatency(spec, { c: 2 }, t4).latencyNs);
    expect(run.seedLatencyNs).toBe(networkLatency(spec, undefined, t4).latencyNs);
    expect(run.latency).toEqual(t4);
    expect(useTwin.getState().runs.flops.latency).toBeNull();
    const saved = latest();
    expect(saved.map((r) => [r.name, r.settings.target, r.latency])).toEqual([
      ['Twin · FLOPs', 'flops', undefined],
      ['Twin · latency', 'latency', t4],
    ]);
    for (const r of saved) expect(parseRunFile(formatRunFile(r))).toEqual(r);
  });

  it('a latency twin waits for this device to be measured, and says so', () => {
    const { workers } = setup();
    setTwinPair(['size', 'latency']);
    startTwin(2);
    expect(workers).toHaveLength(1);
    expect(useTwin.getState()).toMatchObject({
      phase: 'idle',
      message:
        'Twin run: the latency run needs this device measured first; it is being measured now, start again in a moment.',
    });
    expect(useStudio.getState().measuringDevice).toBe(true);
  });

  it('a twin worker that crashes is replaced from its checkpoint and steps on to the step count', () => {
    const { workers, ready, metrics, emit, steps } = setup();
    startTwin(4);
    const [flops, size] = [workers[1]!, workers[2]!];
    ready(flops);
    ready(size);
    metrics(flops, 1);
    metrics(flops, 2);
    const cycle = { spec, cycle: 0, history: [] };
    const checkpoint = {
      step: 2,
      settings: { target: 'flops' as const, strength: 30, threshold: 0.01, lr: 0.05, batch: 4, seed: 1 },
      variables: {},
      slots: {},
    };
    emit(flops, { type: 'checkpoint', checkpoint, cycle });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    flops.port.onerror?.(new Event('error') as ErrorEvent);
    expect(flops.terminated).toBe(true);
    expect(workers).toHaveLength(4);
    const next = workers[3]!;
    expect(next.sent).toEqual([
      expect.objectContaining({ type: 'init', resume: checkpoint, resumeCycle: cycle }),
    ]);
    expect(useTwin.getState()).toMatchObject({
      phase: 'training',
      message:
        "Twin FLOPs run: The twin FLOPs run's worker crashed. Started a new twin FLOPs run's worker from step 2.",
    });
    emit(next, { ...readyOf(spec), step: 2 });
    // Steps 3 and 4 only: the run goes on from the checkpoint to exactly the step count.
    expect(steps(next)).toBe(2);
    metrics(next, 3);
    metrics(next, 4);
    expect(steps(next)).toBe(2);
    expect(next.sent.at(-2)).toEqual({ type: 'evaluate' });
    stopTwin();
  });

  it('steps both runs to exactly the step count, evaluates, then saves both and frees the workers', () => {
    const { workers, ready, metrics, emit, steps, latest } = setup();
    startTwin(3);
    const [flops, size] = [workers[1]!, workers[2]!];
    ready(flops);
    expect(steps(flops)).toBe(0); // waits for both, so neither gets ahead
    ready(size);
    expect(useTwin.getState().phase).toBe('training');
    expect([steps(flops), steps(size)]).toEqual([2, 2]);
    metrics(flops, 1, 3);
    expect(steps(flops)).toBe(3);
    metrics(flops, 2, 2);
    metrics(flops, 3, 1);
    expect(steps(flops)).toBe(3);
    // Evaluate, then a fence whose readback says the evaluation is over.
    expect(flops.sent.slice(-2)).toEqual([
      { type: 'evaluate' },
      { type: 'settings', patch: { threshold: 0.01 } },
    ]);
    emit(flops, { type: 'evaluation', step: 3, testAccuracy: 0.75 });
    metrics(flops, 3, 1);
    expect(useTwin.getState().phase).toBe('training');
    flushTwin();
    expect(useTwin.getState().runs.flops).toMatchObject({ step: 3, alive: { c: 1 }, testAccuracy: 0.75 });
    expect(useTwin.getState().runs.size).toMatchObject({ step: 0, ready: true });
    for (const s of [1, 2, 3, 3]) metrics(size, s, 4);
    expect(steps(size)).toBe(3);
    expect(useTwin.getState().phase).toBe('done');
    expect([flops.terminated, size.terminated]).toEqual([true, true]);
    const saved = latest();
    expect(saved.map((r) => [r.name, r.origin, r.settings.target, r.step, r.alive])).toEqual([
      ['Twin · FLOPs', 'twin', 'flops', 3, { c: 1 }],
      ['Twin · size', 'twin', 'size', 3, { c: 4 }],
    ]);
    expect(saved[0]!.group).toBe(saved[1]!.group);
    expect(saved[0]!.testAccuracy).toBe(0.75);
    // Valid saved runs: an export → import round trip gives each back unchanged.
    for (const r of saved) expect(parseRunFile(formatRunFile(r))).toEqual(r);
    expect(saved[0]!.metrics.curve.map((p) => [p.cycle, p.step])).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [0, 3],
    ]);
  });

  it('pause holds the steps back, resume sends them, stop ends both workers', () => {
    const { workers, ready, metrics, steps, latest } = setup();
    startTwin(10);
    const [flops, size] = [workers[1]!, workers[2]!];
    ready(flops);
    ready(size);
    pauseTwin();
    expect(useTwin.getState().phase).toBe('paused');
    metrics(flops, 1);
    metrics(flops, 2);
    expect(steps(flops)).toBe(2);
    expect(flops.sent.at(-1)).toEqual({ type: 'pause' });
    resumeTwin();
    expect(steps(flops)).toBe(4);
    // The step count can come down mid-run: a run already there finishes.
    setTwinSteps(2);
    expect(flops.sent.at(-2)).toEqual({ type: 'evaluate' });
    stopTwin();
    expect([flops.terminated, size.terminated]).toEqual([true, true]);
    expect(useTwin.getState().phase).toBe('stopped');
    expect(useTwin.getState().runs.flops.step).toBe(2);
    // What a stopped twin learned is saved too (the size run never stepped: nothing to keep).
    expect(latest().map((r) => [r.name, r.step])).toEqual([['Twin · FLOPs', 2]]);
  });

  it('the main run starting pauses the twin; a failed run stops it with a message', () => {
    const { workers, ready, emit } = setup();
    ready(workers[0]!);
    flushEvents();
    startTwin(5);
    ready(workers[1]!);
    ready(workers[2]!);
    toggleTraining();
    expect(useTwin.getState().phase).toBe('paused');
    resumeTwin();
    expect(useStudio.getState().running).toBe(false);
    emit(workers[2]!, { type: 'error', kind: 'device', message: 'The GPU device was lost.' });
    expect(useTwin.getState()).toMatchObject({
      phase: 'error',
      message: 'Twin size run: The GPU device was lost.',
    });
    flushTwin();
    expect(useTwin.getState().runs.size.error).toBe('The GPU device was lost.');
    // A new twin starts clean and lets the old workers go.
    startTwin(5);
    expect(workers[1]!.terminated && workers[2]!.terminated).toBe(true);
    expect(useTwin.getState().runs.size.error).toBeNull();
  });

  it('saves both runs as they train, with their checkpoints, not only when they finish', () => {
    const { workers, ready, metrics, emit, writes, latest } = setup();
    // A page to go away from (the tests run in Node).
    vi.stubGlobal('window', new EventTarget());
    vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'visible' }));
    startTwin(300);
    const [flops, size] = [workers[1]!, workers[2]!];
    ready(flops);
    ready(size);
    const checkpoint = (w: Fake, step: number) =>
      emit(w, {
        type: 'checkpoint',
        checkpoint: {
          step,
          settings: { target: 'flops', strength: 30, threshold: 0.01, lr: 0.05, batch: 4, seed: 1 },
          variables: {},
          slots: {},
        },
        cycle: { spec, cycle: 0, history: [] },
      });
    for (let s = 1; s <= 200; s++) {
      metrics(flops, s);
      metrics(size, s);
      if (s % 50 === 0) {
        checkpoint(flops, s);
        checkpoint(size, s);
      }
      if (s % 20 === 0) {
        time += 2000;
        flushTwin();
      }
    }
    // Step 200 of 300, and the page reloads: both runs were saved on the way, with weights.
    expect(useTwin.getState().phase).toBe('training');
    expect(latest().map((r) => [r.name, r.step])).toEqual([
      ['Twin · FLOPs', 200],
      ['Twin · size', 200],
    ]);
    expect(new Set(writes.map((w) => w.record.id)).size).toBe(2);
    expect(writes.filter((w) => w.checkpoint !== null).map((w) => [w.record.name, w.checkpoint])).toEqual([
      ['Twin · FLOPs', 50],
      ['Twin · size', 50],
      ['Twin · FLOPs', 100],
      ['Twin · size', 100],
      ['Twin · FLOPs', 150],
      ['Twin · size', 150],
      ['Twin · FLOPs', 200],
      ['Twin · size', 200],
    ]);
    // Saved about every two seconds, not at every readback.
    expect(writes.length).toBe(20);
    // The page going away writes both at once.
    metrics(flops, 201);
    window.dispatchEvent(new Event('pagehide'));
    expect(writes.at(-2)!.record).toMatchObject({ name: 'Twin · FLOPs', step: 201 });
    expect(writes.at(-1)!.record).toMatchObject({ name: 'Twin · size', step: 200 });
    vi.unstubAllGlobals();
  });
});

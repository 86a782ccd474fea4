// The recorder against the page's real actions and store, a fake worker, fake timers and
// fake-indexeddb: what gets saved, when, and which events start a new run.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Cost, Request, WorkerEvent } from '../../protocol/messages.ts';
import {
  flushEvents,
  retrain,
  setSetting,
  startStudio,
  toggleTraining,
  type WorkerPort,
} from '../actions.ts';
import type { Scheduler } from '../events.ts';
import { useStudio } from '../store.ts';
import { seedSpec } from './fixture.test-util.ts';
import { startRunRecorder, type Recorder } from './recorder.ts';
import { createRunRepository } from './repository.ts';
import { resumeRun } from './resume.ts';
import { getRun, getRunCheckpoint, setRunRepository, useRuns } from './runs.ts';

const manual: Scheduler = { now: () => 0, later: () => {} };
let clock = 0;
let pending: { at: number; fn: () => void }[] = [];
const timers = {
  now: () => clock,
  setTimeout: (fn: () => void, ms: number) => {
    const t = { at: clock + ms, fn };
    pending.push(t);
    return t;
  },
  clearTimeout: (h: unknown) => (pending = pending.filter((t) => t !== h)),
};
function advance(ms: number) {
  clock += ms;
  const due = pending.filter((t) => t.at <= clock);
  pending = pending.filter((t) => t.at > clock);
  for (const t of due) t.fn();
}

let n = 0;
/** IndexedDB writes of a run (the repository's `save` and `saveNow`). */
let writes = 0;
let recorder: Recorder;
/** What the page asked its worker for. */
let sent: Request[] = [];
let worker: WorkerPort;
const emit = (e: WorkerEvent) => {
  worker.onmessage?.({ data: e } as MessageEvent<WorkerEvent>);
  flushEvents();
};
const cost: Cost = { flops: 1000, params: 100 };
const readyEvent = (cycle = 0): Extract<WorkerEvent, { type: 'ready' }> => ({
  type: 'ready',
  spec: seedSpec,
  seedSpec,
  seedCost: cost,
  cycle,
  history: [],
  datasetName: 'shapes',
  classNames: [],
});
const ready = (cycle = 0) => emit(readyEvent(cycle));
const checkpoint = (step: number) =>
  emit({
    type: 'checkpoint',
    checkpoint: {
      step,
      settings: { target: 'flops', strength: 1, threshold: 0.01, lr: 0.05, batch: 4, seed: 1 },
      variables: { k: { shape: [1], values: new Float32Array([step]) } },
      slots: {},
    },
    cycle: { spec: seedSpec, cycle: 0, history: [] },
  });
const metrics = (step: number, flops = 1000) =>
  emit({
    type: 'metrics',
    step,
    taskLoss: 2 - step / 10,
    regLoss: 0.5,
    regValue: 0.1,
    trainAccuracy: step / 10,
    gammaLayers: [],
    gammaSizes: [],
    gammas: new Float32Array(),
    alive: { conv1: 16 - step },
    cost: { flops, params: 100 },
    stepMs: 5,
  });
/** Lets the queued IndexedDB writes finish. */
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 1));
};
const saved = () => useRuns.getState().runs;

beforeEach(() => {
  const repo = createRunRepository(`recorder-${n++}`);
  writes = 0;
  setRunRepository({
    ...repo,
    save: (r, c) => {
      writes += 1;
      return repo.save(r, c);
    },
    saveNow: (r, c) => {
      writes += 1;
      return repo.saveNow(r, c);
    },
  });
  clock = 0;
  pending = [];
  sent = [];
  const url = {
    search: '?net=plain-cnn&dataset=shapes&batch=4',
    read: () => url.search,
    write: (s: string) => (url.search = s),
  };
  startStudio(
    () => {
      worker = { postMessage: (m: Request) => void sent.push(m), onmessage: null, terminate: () => {} };
      return worker;
    },
    url,
    '/data/',
    manual,
  );
  recorder = startRunRecorder(timers);
});
afterEach(() => recorder.stop());

describe('run recorder', () => {
  it('saves a run once it has trained a step, then at most every 2 s, and at once on pause', async () => {
    ready();
    metrics(0);
    await settle();
    expect(saved()).toEqual([]); // nothing trained yet
    emit({ type: 'running', running: true });
    metrics(1);
    await settle();
    expect(saved().map((r) => r.step)).toEqual([1]);
    const id = saved()[0]!.id;
    expect(useRuns.getState().currentId).toBe(id);
    metrics(2);
    metrics(3);
    await settle();
    expect(saved()[0]!.step).toBe(1); // throttled
    advance(2000);
    await settle();
    expect(saved()[0]!.step).toBe(3);
    metrics(4);
    const before = writes;
    toggleTraining(); // pause: saved at once, and once
    emit({ type: 'running', running: false });
    await settle();
    expect(saved()[0]!.step).toBe(4);
    expect(writes - before).toBe(1);
    const record = (await getRun(id))!;
    expect(record).toMatchObject({
      format: 'morphnet-run',
      version: 1,
      settings: { net: 'plain-cnn', dataset: 'shapes', batch: 4 },
      step: 4,
      cycle: 0,
      alive: { conv1: 12 },
      name: 'plain-cnn · shapes · FLOPs · seed 1',
    });
    expect(record.metrics.curve.map((p) => [p.cycle, p.step])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [0, 3],
      [0, 4],
    ]);
  });

  it('keeps one run across a retrain (its next cycle, with the earlier metrics) and starts a new one on a rebuild', async () => {
    ready();
    metrics(0);
    metrics(1);
    metrics(2);
    emit({ type: 'evaluation', step: 2, testAccuracy: 0.5 });
    useStudio.setState({ budget: 1000, preview: { type: 'expansion' } as never });
    retrain();
    await settle();
    ready(1);
    metrics(0);
    metrics(1, 1100);
    await settle();
    expect(saved()[0]).toMatchObject({ cycle: 1, step: 0 }); // the new cycle is saved at once
    advance(2000);
    await settle();
    expect(saved()).toHaveLength(1);
    const run = (await getRun(saved()[0]!.id))!;
    expect(run.cycle).toBe(1);
    expect(run.step).toBe(1);
    expect(run.metrics.costCurve.map((p) => [p.cycle, p.step])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
    ]);
    expect(run.metrics.testCurve).toEqual([{ cycle: 0, step: 2, accuracy: 0.5 }]);

    setSetting('seed', 5); // a structural setting: a new run
    await settle();
    ready();
    metrics(0);
    metrics(1);
    await settle();
    expect(saved()).toHaveLength(2);
    expect(saved()[0]).toMatchObject({ seed: 5, step: 1, cycle: 0 });
    expect(saved()[1]).toMatchObject({ seed: 1, cycle: 1 });
  });

  it('goes on with the old run when the worker rejects the new network and shows the old one again', async () => {
    ready();
    metrics(0);
    metrics(1);
    metrics(2);
    await settle();
    setSetting('dataset', 'mnist');
    // The dataset failed to load: the worker announces the old network at its old step.
    ready();
    metrics(2);
    emit({ type: 'error', kind: 'dataset', message: 'no mnist' });
    metrics(3);
    advance(2000);
    await settle();
    expect(saved()).toHaveLength(1);
    expect(saved()[0]!.step).toBe(3);
  });

  it('does not bring back a run the person deleted while it trains', async () => {
    const { deleteRun } = await import('./runs.ts');
    ready();
    metrics(0);
    metrics(1);
    await settle();
    await deleteRun(saved()[0]!.id);
    metrics(2);
    advance(2000);
    await settle();
    expect(saved()).toEqual([]);
  });

  it('keeps the worker’s checkpoints with the run as they come, and the faults the run went through', async () => {
    ready();
    metrics(0);
    checkpoint(0);
    metrics(1);
    await settle();
    const id = saved()[0]!.id;
    expect((await getRunCheckpoint(id))?.step).toBe(0);
    for (let s = 2; s <= 50; s++) metrics(s);
    checkpoint(50);
    metrics(51);
    advance(2000);
    await settle();
    expect((await getRunCheckpoint(id))?.variables['k']?.values).toEqual(new Float32Array([50]));
    expect(saved()[0]).toMatchObject({ step: 51, resumeStep: 50 });
    const message = 'Training diverged at step 60 (the loss became NaN). Restored step 50 and paused.';
    emit({ type: 'fault', kind: 'diverged', step: 60, restored: 50, message });
    advance(2000);
    await settle();
    expect((await getRun(id))!.faults).toEqual([{ kind: 'diverged', step: 60, restored: 50, message }]);
    expect(saved()[0]!.faults).toEqual([{ kind: 'diverged', step: 60, restored: 50, message }]);
  });

  it('writes the run the moment the page goes away, not 2 s later (the write is queued before it returns)', async () => {
    recorder.stop();
    const page = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    vi.stubGlobal('window', new EventTarget());
    vi.stubGlobal('document', page);
    try {
      recorder = startRunRecorder(timers);
      ready();
      metrics(0);
      metrics(1);
      await settle();
      metrics(2);
      checkpoint(2);
      metrics(3);
      await settle();
      expect(saved()[0]!.step).toBe(1); // throttled: the next save is due in 2 s
      const put = vi.spyOn(globalThis.IDBObjectStore.prototype, 'put');
      window.dispatchEvent(new Event('pagehide'));
      expect(put.mock.calls.map((c) => (c[0] as { step: number }).step)).toEqual([3, 2]);
      await settle();
      expect(saved()[0]).toMatchObject({ step: 3, resumeStep: 2 });
      expect((await getRun(saved()[0]!.id))!.step).toBe(3);
      metrics(4);
      page.visibilityState = 'hidden';
      document.dispatchEvent(new Event('visibilitychange'));
      await settle();
      expect((await getRun(saved()[0]!.id))!.step).toBe(4);
    } finally {
      vi.restoreAllMocks();
      vi.unstubAllGlobals();
    }
  });

  it('Resume continues the saved run from its checkpoint: the same record, the worker started from it', async () => {
    ready();
    metrics(0);
    for (let s = 1; s <= 50; s++) metrics(s);
    checkpoint(50);
    for (let s = 51; s <= 60; s++) metrics(s);
    advance(2000);
    await settle();
    const id = saved()[0]!.id;
    expect(saved()[0]).toMatchObject({ step: 60, resumeStep: 50 });
    setSetting('seed', 5); // the page moves on to another run (or was reloaded)
    ready();
    metrics(0);
    metrics(1);
    await settle();
    expect(saved()).toHaveLength(2);

    sent = [];
    expect(await resumeRun(id)).toBeNull();
    const init = sent.find((m) => m.type === 'init');
    expect(init).toMatchObject({
      type: 'init',
      config: {
        net: { kind: 'builtin', name: 'plain-cnn' },
        dataset: 'shapes',
        settings: { seed: 1, batch: 4 },
      },
      resume: { step: 50 },
      resumeCycle: { cycle: 0, history: [] },
    });
    expect(useStudio.getState().settings.seed).toBe(1);
    // The worker builds the network at the checkpoint's step and trains on from there.
    emit({ ...readyEvent(0), step: 50 });
    metrics(51);
    metrics(52);
    advance(2000);
    await settle();
    expect(saved()).toHaveLength(2);
    expect(useRuns.getState().currentId).toBe(id);
    const run = (await getRun(id))!;
    expect(run.step).toBe(52);
    const steps = run.metrics.curve.map((p) => p.step);
    expect(steps.slice(-4)).toEqual([49, 50, 51, 52]); // 51..60 of the lost timeline are gone
    expect(steps).toHaveLength(53);
  });

  it('says why a run cannot be resumed', async () => {
    ready();
    metrics(0);
    metrics(1);
    await settle();
    expect(await resumeRun(saved()[0]!.id)).toBe(
      'This run has no saved weights to resume from; open it to see what it learned.',
    );
    expect(await resumeRun('gone')).toBe('This run is no longer in the list.');
  });

  it('keeps the name and pin the person gives the run while it trains (its writes are blind)', async () => {
    const { renameRun, pinRun } = await import('./runs.ts');
    ready();
    metrics(0);
    metrics(1);
    await settle();
    const id = saved()[0]!.id;
    await renameRun(id, 'mine');
    await pinRun(id, true);
    metrics(2);
    advance(2000);
    await settle();
    expect(await getRun(id)).toMatchObject({ step: 2, name: 'mine', pinned: true });
  });

  it('storage full: says so in plain words, the run trains on, and saving picks up once there is room', async () => {
    const { fillStorage } = await import('./storage-full.test-util.ts');
    const { STORAGE_FULL_MESSAGE } = await import('./runs.ts');
    ready();
    metrics(0);
    metrics(1);
    await settle();
    const id = saved()[0]!.id;
    const unfill = fillStorage();
    try {
      emit({ type: 'running', running: true });
      metrics(2);
      checkpoint(2);
      advance(2000);
      await settle();
      expect(useRuns.getState()).toMatchObject({ saveError: STORAGE_FULL_MESSAGE, storageFull: true });
      metrics(3);
      expect(useStudio.getState()).toMatchObject({ running: true, step: 3 });
    } finally {
      unfill();
    }
    expect(await getRun(id)).toMatchObject({ step: 1 }); // nothing half-written
    expect(await getRunCheckpoint(id)).toBeUndefined();
    metrics(4);
    advance(2000);
    await settle();
    expect(useRuns.getState().saveError).toBeNull();
    expect(await getRun(id)).toMatchObject({ step: 4 });
    // The checkpoint the full storage refused is written with the next save that fits.
    expect((await getRunCheckpoint(id))?.step).toBe(2);
  });
});

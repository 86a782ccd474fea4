// The page's actions when things go wrong: a dead worker is replaced from the last checkpoint and
// the run trains on; the page gives up after three failed starts and "Try again" works; Reset
// always works; a divergence is marked in the run.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Checkpoint } from '../engine/types.ts';
import type { Request, WorkerEvent } from '../protocol/messages.ts';
import {
  applyImportedSpec,
  dismissNotice,
  flushEvents,
  resetRun,
  retryWorker,
  startStudio,
  toggleTraining,
  type WorkerPort,
} from './actions.ts';
import type { Scheduler } from './events.ts';
import { useStudio } from './store.ts';

const spec = { name: 's', input: { height: 1, width: 1, channels: 1 }, classes: 2, layers: [] };
const manual: Scheduler = { now: () => 0, later: () => {} };
const checkpoint: Checkpoint = {
  step: 50,
  settings: { target: 'flops', strength: 5, threshold: 0.01, lr: 0.05, batch: 4, seed: 1 },
  variables: { k: { shape: [1], values: new Float32Array([1]) } },
  slots: {},
};

function setup() {
  const workers: { sent: Request[]; port: WorkerPort }[] = [];
  const url = { search: '?dataset=shapes', read: () => url.search, write: (s: string) => (url.search = s) };
  startStudio(
    () => {
      const w = { sent: [] as Request[], port: null as unknown as WorkerPort };
      w.port = { postMessage: (m) => w.sent.push(m), onmessage: null, onerror: null, terminate: () => {} };
      workers.push(w);
      return w.port;
    },
    url,
    '/data/',
    manual,
  );
  const emit = (e: WorkerEvent) => {
    workers.at(-1)!.port.onmessage?.({ data: e } as MessageEvent<WorkerEvent>);
    flushEvents();
  };
  const crash = () => workers.at(-1)!.port.onerror?.(new Event('error') as ErrorEvent);
  const ready = (step?: number) =>
    emit({
      type: 'ready',
      spec,
      seedSpec: spec,
      seedCost: { flops: 100, params: 7 },
      cycle: 0,
      history: [],
      datasetName: 'shapes',
      classNames: [],
      ...(step === undefined ? {} : { step }),
    });
  const metrics = (step: number) =>
    emit({
      type: 'metrics',
      step,
      taskLoss: 1,
      regLoss: 0,
      regValue: 0,
      trainAccuracy: 0.5,
      gammaLayers: [],
      gammaSizes: [],
      gammas: new Float32Array(0),
      alive: {},
      cost: { flops: 1, params: 1 },
      stepMs: 1,
    });
  return { workers, emit, crash, ready, metrics, sent: () => workers.at(-1)!.sent };
}

beforeEach(() => vi.spyOn(console, 'error').mockImplementation(() => {}));
afterEach(() => vi.restoreAllMocks());

describe('actions when the worker fails', () => {
  it('a worker that dies while training is replaced from the last checkpoint and trains on', () => {
    const t = setup();
    t.ready();
    toggleTraining();
    t.emit({ type: 'running', running: true });
    t.metrics(40);
    t.emit({ type: 'checkpoint', checkpoint, cycle: { spec, cycle: 0, history: [] } });
    expect(useStudio.getState().lastCheckpoint?.step).toBe(50);
    t.metrics(60);
    t.crash();
    expect(t.workers).toHaveLength(2);
    expect(t.sent()).toEqual([
      expect.objectContaining({ type: 'init', resume: checkpoint, resumeCycle: { spec, cycle: 0, history: [] } }),
      { type: 'train' },
    ]);
    const s = useStudio.getState();
    expect(s).toMatchObject({ ready: false, running: false, error: null });
    expect(s.notice).toBe('The training worker crashed. Started a new training worker from step 50.');
    expect(s.faults).toEqual([{ kind: 'crashed', step: 60, restored: 50, message: s.notice }]);
    // The new worker picks up at step 50: the curve keeps what came before it.
    t.ready(50);
    expect(useStudio.getState()).toMatchObject({ ready: true, step: 50 });
    expect(useStudio.getState().curve.map((p) => p.step)).toEqual([40]);
    dismissNotice('notice');
    expect(useStudio.getState().notice).toBeNull();
  });

  it('gives up after three failed starts; Try again starts a new worker; Reset always works', () => {
    const t = setup();
    t.crash();
    t.crash();
    t.crash();
    expect(t.workers).toHaveLength(3);
    const gaveUp = useStudio.getState();
    expect(gaveUp.error).toEqual({
      kind: 'worker',
      message:
        'The training worker could not start. The training worker failed 3 times in a row, so the page stopped trying. Press Try again, or reload the page.',
    });
    retryWorker();
    expect(t.workers).toHaveLength(4);
    expect(useStudio.getState().error).toBeNull();
    expect(t.sent()[0]).toMatchObject({ type: 'init' });
    // Reset with nothing ready: a fresh worker, a fresh run (no checkpoint carried over).
    resetRun();
    expect(t.workers).toHaveLength(5);
    expect(t.sent()).toEqual([expect.objectContaining({ type: 'init' })]);
    expect(t.sent()[0]).not.toHaveProperty('resume');
  });

  it('an import that cannot be built leaves nothing to show: the page goes back to its built-in network', () => {
    const t = setup();
    t.ready();
    applyImportedSpec(spec);
    expect(t.sent().at(-1)).toMatchObject({ type: 'init', config: { net: { kind: 'spec' } } });
    t.emit({ type: 'error', kind: 'spec', message: 'This network could not be used.' });
    expect(useStudio.getState()).toMatchObject({ importedSpec: null, specError: 'This network could not be used.' });
    expect(t.sent().at(-1)).toMatchObject({ type: 'init', config: { net: { kind: 'builtin' } } });
  });

  it('a divergence is marked in the run and its curve goes back to the restored step', () => {
    const t = setup();
    t.ready();
    t.metrics(10);
    t.metrics(20);
    t.emit({ type: 'fault', kind: 'diverged', step: 20, restored: 10, message: 'Training diverged at step 20.' });
    const s = useStudio.getState();
    expect(s.faults).toEqual([{ kind: 'diverged', step: 20, restored: 10, message: 'Training diverged at step 20.' }]);
    expect(s.notice).toBe('Training diverged at step 20.');
    expect(s.curve.map((p) => p.step)).toEqual([10]);
    // A new run starts without the old run's marks.
    resetRun();
    expect(useStudio.getState()).toMatchObject({ faults: [], notice: null });
  });
});

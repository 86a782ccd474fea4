// The supervisor against fake workers and fake timers: death by error event, by silence, a
// malformed message, a restart from the last checkpoint, giving up after N failed starts, retry.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Checkpoint } from '../engine/types.ts';
import type { Request, WorkerEvent } from '../protocol/messages.ts';
import { superviseWorker, type DeathReport, type SavedCheckpoint, type WorkerPort } from './supervisor.ts';

interface Fake {
  port: WorkerPort;
  sent: Request[];
  terminated: boolean;
}

function setup(options: { maxStarts?: number } = {}) {
  const workers: Fake[] = [];
  const events: WorkerEvent[] = [];
  const deaths: DeathReport[] = [];
  const restarts: (SavedCheckpoint | null)[] = [];
  const make = () => {
    const w: Fake = {
      sent: [],
      terminated: false,
      port: { postMessage: (m) => w.sent.push(m), onmessage: null, onerror: null, onmessageerror: null, terminate: () => (w.terminated = true) },
    };
    workers.push(w);
    return w.port;
  };
  const s = superviseWorker(
    make,
    {
      onEvent: (e) => events.push(e),
      restart: (saved) => {
        restarts.push(saved);
        return [{ type: 'train' }];
      },
      onDeath: (d) => deaths.push(d),
    },
    { name: 'training worker', ...options },
  );
  const emit = (data: unknown, w = workers.at(-1)!) => w.port.onmessage?.({ data } as MessageEvent<WorkerEvent>);
  const crash = (w = workers.at(-1)!) => w.port.onerror?.(new Event('error') as ErrorEvent);
  return { s, workers, events, deaths, restarts, emit, crash };
}

const checkpoint = (step: number): Checkpoint => ({
  step,
  settings: { target: 'flops', strength: 1, threshold: 0.01, lr: 0.05, batch: 4, seed: 1 },
  variables: { k: { shape: [1], values: new Float32Array([step]) } },
  slots: {},
});
const cycle = { spec: { name: 'n', input: { height: 1, width: 1, channels: 1 }, classes: 2, layers: [] }, cycle: 0, history: [] };
const metrics = (step: number): WorkerEvent => ({
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

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('superviseWorker', () => {
  it('restarts a crashed worker from the last checkpoint it saw, and says so', () => {
    const t = setup();
    t.emit(metrics(10));
    t.emit({ type: 'checkpoint', checkpoint: checkpoint(50), cycle });
    t.emit(metrics(60));
    t.crash();
    expect(t.workers).toHaveLength(2);
    expect(t.workers[0]!.terminated).toBe(true);
    expect(t.restarts.map((r) => r?.checkpoint.step)).toEqual([50]);
    expect(t.workers[1]!.sent).toEqual([{ type: 'train' }]);
    expect(t.deaths).toEqual([
      {
        message: 'The training worker crashed. Started a new training worker from step 50.',
        restarting: true,
        restored: 50,
        step: 60,
        kind: 'crashed',
      },
    ]);
    // The dead worker's late messages are not the page's business any more.
    t.emit(metrics(61), t.workers[0]);
    expect(t.events.filter((e) => e.type === 'metrics').map((e) => (e as { step: number }).step)).toEqual([10, 60]);
  });

  it('takes a silent worker for dead: pings it after 2 s, restarts after 10 s without an answer', () => {
    const t = setup();
    t.emit(metrics(1));
    vi.advanceTimersByTime(2_500);
    expect(t.workers[0]!.sent).toEqual([{ type: 'ping', id: 1 }]);
    t.emit({ type: 'pong', id: 1 });
    vi.advanceTimersByTime(9_000);
    expect(t.deaths).toEqual([]);
    vi.advanceTimersByTime(2_000);
    expect(t.deaths.map((d) => d.message)).toEqual(['The training worker stopped answering. Started a new training worker from the start.']);
    expect(t.workers).toHaveLength(2);
    // Pongs are the supervisor's own: the page never sees them.
    expect(t.events.map((e) => e.type)).toEqual(['metrics']);
  });

  it('waits for four of its training chunks when those take longer than 10 s (a slow CPU)', () => {
    const t = setup();
    t.emit({ ...metrics(1), chunk: { steps: 1, ms: 6_000, readMs: 10 } } as WorkerEvent);
    vi.advanceTimersByTime(23_000);
    expect(t.deaths).toEqual([]);
    vi.advanceTimersByTime(2_000);
    expect(t.deaths).toHaveLength(1);
  });

  it('waits longer while the worker has announced a long wait (a shader compile blocks its thread)', () => {
    const t = setup();
    t.emit({ type: 'progress', task: 'compile', label: 'First step', fraction: null, done: false });
    vi.advanceTimersByTime(60_000);
    expect(t.deaths).toEqual([]);
    t.emit({ type: 'progress', task: 'compile', label: '', fraction: 1, done: true });
    vi.advanceTimersByTime(11_000);
    expect(t.deaths).toHaveLength(1);
  });

  it('drops a malformed message with a console warning and keeps the worker', () => {
    const t = setup();
    t.emit({ type: 'metrics', step: 'x' });
    t.emit(null);
    t.emit({ type: 'nonsense' });
    t.workers[0]!.port.onmessageerror?.(new MessageEvent('messageerror'));
    t.emit(metrics(3));
    expect(t.events.map((e) => e.type)).toEqual(['metrics']);
    expect(console.warn).toHaveBeenCalledTimes(4);
    expect(t.workers).toHaveLength(1);
    expect(t.deaths).toEqual([]);
  });

  it('gives up after 3 failed starts in a row, and retry() starts again from the checkpoint', () => {
    const t = setup();
    t.emit({ type: 'checkpoint', checkpoint: checkpoint(100), cycle });
    t.emit(metrics(120));
    t.crash();
    // The new worker dies before getting past step 120, twice: a worker that cannot go on.
    t.emit(metrics(110));
    t.crash();
    t.crash();
    expect(t.workers).toHaveLength(3);
    expect(t.s.gaveUp).toBe(true);
    expect(t.deaths.map((d) => d.restarting)).toEqual([true, true, false]);
    expect(t.deaths[2]!.message).toBe(
      'The training worker could not start. The training worker failed 3 times in a row, so the page stopped trying. Press Try again, or reload the page.',
    );
    vi.advanceTimersByTime(60_000);
    expect(t.workers).toHaveLength(3);
    t.s.retry();
    expect(t.workers).toHaveLength(4);
    expect(t.s.gaveUp).toBe(false);
    expect(t.restarts.map((r) => r?.checkpoint.step)).toEqual([100, 100, 100]);
  });

  it('a step past the one it died at means the restart worked: failures start over', () => {
    const t = setup();
    t.emit(metrics(20));
    t.crash();
    t.emit(metrics(21));
    t.crash();
    t.emit(metrics(22));
    t.crash();
    expect(t.s.gaveUp).toBe(false);
    expect(t.workers).toHaveLength(4);
  });

  it('a script that never loads (404) counts as a failed start each time', () => {
    const t = setup();
    t.crash();
    t.crash();
    t.crash();
    expect(t.deaths.map((d) => d.message.split('.')[0])).toEqual([
      'The training worker could not start',
      'The training worker could not start',
      'The training worker could not start',
    ]);
    expect(t.s.gaveUp).toBe(true);
  });

  it('forgets the checkpoint when a new network is asked for, and ignores stale ones until it is ready', () => {
    const t = setup();
    t.emit({ type: 'checkpoint', checkpoint: checkpoint(50), cycle });
    t.s.post({ type: 'reset' });
    expect(t.s.saved).toBeNull();
    t.emit({ type: 'checkpoint', checkpoint: checkpoint(100), cycle });
    expect(t.s.saved).toBeNull();
    t.emit({ type: 'ready', spec: cycle.spec, seedSpec: cycle.spec, seedCost: { flops: 1, params: 1 }, cycle: 0, history: [], datasetName: 'shapes', classNames: [] });
    t.emit({ type: 'checkpoint', checkpoint: checkpoint(0), cycle });
    expect(t.s.saved?.checkpoint.step).toBe(0);
  });

  it('a lost GPU device replaces the worker (a new one gets a new device)', () => {
    const t = setup();
    t.emit({ type: 'checkpoint', checkpoint: checkpoint(50), cycle });
    t.emit({ type: 'fault', kind: 'device-lost', step: 70, restored: null, message: 'The GPU device was lost (destroyed).' });
    expect(t.events.at(-1)?.type).toBe('fault');
    expect(t.workers).toHaveLength(2);
    expect(t.deaths.map((d) => [d.kind, d.message])).toEqual([
      ['device-lost', 'The GPU device was lost (destroyed). Started a new training worker from step 50.'],
    ]);
  });
});

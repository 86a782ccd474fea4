// The baseline queue against fake workers that answer like the real one (ready, one metrics
// readback per step, an evaluation on pause, a readback for the fence), and fake-indexeddb.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Request, WorkerEvent } from '../../protocol/messages.ts';
import { uniformSpec } from '../../morphnet/baselines.ts';
import { networkCost } from '../../morphnet/cost.ts';
import type { NetworkSpec } from '../../morphnet/types.ts';
import { useStudio } from '../store.ts';
import { fillStorage } from '../runs/storage-full.test-util.ts';
import { loadPoints, loadQueueProgress } from './cache.ts';
import {
  configureQueue,
  loadQueuePoints,
  pauseQueue,
  queueContext,
  queueProgressWritten,
  resumeInterruptedQueue,
  resumeQueue,
  startQueue,
  LATENCY_QUEUE_MESSAGE,
  stopQueue,
} from './queue.ts';
import { initialQueueState, storedGrid, storeGrid, useQueueStore, type QueueGrid } from './queue-store.ts';

/** Only uniform points unless the test asks for more. */
const grid = (multipliers: number[], steps: number, more: Partial<QueueGrid> = {}): QueueGrid => ({
  steps,
  multipliers,
  fractions: [],
  finetune: 2,
  strengths: [],
  budgets: [1],
  ...more,
});

const seed: NetworkSpec = {
  name: 'tiny',
  input: { height: 8, width: 8, channels: 1 },
  classes: 2,
  layers: [
    { name: 'c1', type: 'conv', from: 'input', filters: 8, kernel: 3 },
    { name: 'c2', type: 'conv', from: 'c1', filters: 16, kernel: 3 },
    { name: 'pool', type: 'gap', from: 'c2' },
    { name: 'logits', type: 'dense', from: 'pool', units: 2, relu: false },
  ],
};

interface Fake {
  spec: NetworkSpec | null;
  /** What a prune starts from: the network the last init built. */
  source: NetworkSpec | null;
  sent: Request[];
  inbox: Request[];
  step: number;
  terminated: boolean;
  onmessage: ((e: MessageEvent<WorkerEvent>) => void) | null;
}

let workers: Fake[];
let n = 0;
let dbName: string;

/** Answers every request the workers have received so far, in order, until all are quiet. */
function deliver(opts: { evaluate?: boolean; limit?: number } = {}) {
  for (let guard = 0; guard < (opts.limit ?? 1000); guard++) {
    const w = workers.find((x) => x.inbox.length > 0 && !x.terminated);
    if (!w) return;
    const req = w.inbox.shift()!;
    const emit = (e: WorkerEvent) => w.onmessage?.({ data: e } as MessageEvent<WorkerEvent>);
    const metrics = () =>
      emit({
        type: 'metrics',
        step: w.step,
        taskLoss: 1,
        regLoss: 0,
        regValue: 0,
        trainAccuracy: 0.5,
        gammaLayers: [],
        gammaSizes: [],
        gammas: new Float32Array(0),
        // Half of every conv's filters alive: a learned structure for MorphNet to expand.
        alive: Object.fromEntries(
          (w.spec?.layers ?? []).flatMap((l) =>
            l.type === 'conv' ? [[l.name, Math.ceil(l.filters / 2)]] : [],
          ),
        ),
        cost: { flops: 1, params: 1 },
        stepMs: 1,
      });
    if (req.type === 'init' || req.type === 'prune') {
      let spec = req.type === 'init' && req.config.net.kind === 'spec' ? req.config.net.spec : seed;
      if (req.type === 'prune') {
        const keep = (f: number) => Math.round((1 - req.fraction) * f);
        spec = {
          ...w.source!,
          layers: w.source!.layers.map((l) => (l.type === 'conv' ? { ...l, filters: keep(l.filters) } : l)),
        };
      } else w.source = spec;
      w.spec = spec;
      // A resumed network starts at its checkpoint's step.
      w.step = req.type === 'init' ? (req.resume?.step ?? 0) : 0;
      const c1 = spec.layers[0]?.type === 'conv' ? spec.layers[0].filters : 0;
      emit({ type: 'progress', task: 'build', label: 'Building the network', fraction: null, done: false });
      emit({
        type: 'ready',
        spec,
        seedSpec: spec,
        // A cost that grows with the width, to tell the points apart.
        seedCost: { flops: c1 * 1000, params: c1 * 10 },
        cycle: 0,
        history: [],
        datasetName: 'shapes',
        classNames: [],
        step: w.step,
      });
    } else if (req.type === 'step') {
      w.step += 1;
      metrics();
      // The real worker's checkpoints come every CHECKPOINT_EVERY steps; here every 4.
      if (w.step % 4 === 0 && w.spec) {
        emit({
          type: 'checkpoint',
          checkpoint: {
            step: w.step,
            settings: { target: 'flops', strength: 0, threshold: 0.01, lr: 0.05, batch: 4, seed: 3 },
            variables: { k: { shape: [1], values: new Float32Array([w.step]) } },
            slots: {},
          },
          cycle: { spec: w.spec, cycle: 0, history: [] },
        });
      }
    } else if (req.type === 'evaluate') {
      if (opts.evaluate !== false)
        emit({ type: 'evaluation', step: w.step, testAccuracy: 0.5 + w.step / 100 });
    } else if (req.type === 'settings') {
      metrics();
    }
  }
  if (opts.limit === undefined) throw new Error('the fake workers never went quiet');
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const quiet = () => !workers.some((w) => w.inbox.length > 0 && !w.terminated);

/** Answers the workers and lets the queue's promises and IndexedDB run, until nothing moves. */
async function drain(opts: { evaluate?: boolean } = {}) {
  let still = 0;
  for (let i = 0; i < 2000 && still < 5; i++) {
    deliver(opts);
    await tick();
    still = quiet() ? still + 1 : 0;
  }
}

beforeEach(() => {
  workers = [];
  dbName = `queue-test-${n++}`;
  stopQueue();
  useQueueStore.setState({ ...initialQueueState });
  useStudio.setState({
    seedSpec: seed,
    running: false,
    ready: true,
    backend: 'webgpu',
    importedSpec: null,
    settings: {
      ...useStudio.getState().settings,
      net: 'tiny',
      dataset: 'shapes',
      batch: 4,
      lr: 0.05,
      seed: 3,
    },
  });
  configureQueue({
    dbName,
    dataBase: '/data/',
    makeWorker: () => {
      const w: Fake = {
        spec: null,
        source: null,
        sent: [],
        inbox: [],
        step: 0,
        terminated: false,
        onmessage: null,
      };
      workers.push(w);
      return {
        postMessage: (m: Request) => {
          w.sent.push(m);
          w.inbox.push(m);
        },
        get onmessage() {
          return w.onmessage;
        },
        set onmessage(f) {
          w.onmessage = f;
        },
        terminate: () => (w.terminated = true),
      };
    },
  });
});

describe('the baseline queue', () => {
  it('does not start toward latency, and says why in one line', async () => {
    const before = useStudio.getState().settings;
    useStudio.setState({ settings: { ...before, target: 'latency' } });
    await startQueue(grid([0.5], 5));
    useStudio.setState({ settings: before });
    expect(useQueueStore.getState().message).toBe(LATENCY_QUEUE_MESSAGE);
    expect(useQueueStore.getState().phase).not.toBe('running');
    expect(workers).toHaveLength(0);
  });

  it('trains each multiplier from scratch for exactly the steps, without the penalty, and keeps it', async () => {
    await startQueue(grid([0.5, 1], 5));
    expect(useQueueStore.getState().phase).toBe('running');
    await drain();
    const s = useQueueStore.getState();
    expect(s.phase).toBe('done');
    expect(workers).toHaveLength(2);
    expect(workers.every((w) => w.terminated)).toBe(true);
    const init = workers[0]!.sent[0]!;
    expect(init.type === 'init' && init.config.settings).toMatchObject({
      strength: 0,
      batch: 4,
      lr: 0.05,
      seed: 3,
    });
    expect(
      init.type === 'init' && init.config.net.kind === 'spec' && init.config.net.spec.layers[0],
    ).toMatchObject({
      filters: 4,
    });
    for (const w of workers) expect(w.sent.filter((m) => m.type === 'step')).toHaveLength(5);
    // Costs from the cost model, as `morphnet sweep` records them.
    expect(s.points.map((p) => [p.label, p.flops, p.testAccuracy, p.steps])).toEqual([
      ['×0.5', networkCost(uniformSpec(seed, 0.5)).flops, 0.55, 5],
      ['×1', networkCost(seed).flops, 0.55, 5],
    ]);
    expect(s.points[0]?.widths).toEqual({ c1: 4, c2: 8 });
    const kept = await loadPoints(queueContext()!, dbName);
    expect(kept.map((r) => r.label).sort()).toEqual(['×0.5', '×1']);
  });

  it('on the next visit shows the kept points and trains only the missing ones', async () => {
    await startQueue(grid([0.5], 5));
    await drain();
    useQueueStore.setState({ ...initialQueueState });
    await loadQueuePoints();
    expect(useQueueStore.getState().points.map((p) => p.label)).toEqual(['×0.5']);
    await startQueue(grid([0.5, 0.25], 5));
    await drain();
    expect(workers).toHaveLength(2);
    const init = workers[1]!.sent[0]!;
    expect(
      init.type === 'init' && init.config.net.kind === 'spec' && init.config.net.spec.layers[0],
    ).toMatchObject({
      filters: 2,
    });
    expect(useQueueStore.getState().points.map((p) => p.label)).toEqual(['×0.25', '×0.5']);
    // Another step count trains its own points; both are kept and shown, by steps.
    await startQueue(grid([0.5], 7));
    await drain();
    expect(workers).toHaveLength(3);
    expect(useQueueStore.getState().points.map((p) => `${p.label}@${p.steps}`)).toEqual([
      '×0.25@5',
      '×0.5@5',
      '×0.5@7',
    ]);
    // Another network (a different seed spec) is another context: nothing kept for it.
    useStudio.setState({ seedSpec: { ...seed, name: 'other' } });
    await loadQueuePoints();
    expect(useQueueStore.getState().points).toEqual([]);
  });

  it('trains the whole queue with the settings it started with', async () => {
    await startQueue(grid([0.25, 0.5], 3));
    const context = queueContext();
    useStudio.setState({ settings: { ...useStudio.getState().settings, batch: 16 } });
    await drain();
    const inits = workers.map((w) => w.sent[0]!);
    expect(inits.map((m) => (m.type === 'init' ? m.config.settings.batch : null))).toEqual([4, 4]);
    expect(useQueueStore.getState().points.map((p) => p.context)).toEqual([context, context]);
    // The page moves on to other settings while a queue trains: its point is kept, not shown there.
    useStudio.setState({ settings: { ...useStudio.getState().settings, batch: 4 } });
    await startQueue(grid([1], 3));
    useStudio.setState({ settings: { ...useStudio.getState().settings, batch: 8 } });
    await loadQueuePoints();
    expect(useQueueStore.getState().context).not.toBe(context);
    await drain();
    expect(useQueueStore.getState().points).toEqual([]);
    expect((await loadPoints(context!, dbName)).map((r) => r.label).sort()).toEqual(['×0.25', '×0.5', '×1']);
  });

  it('records no accuracy when the worker did not measure one', async () => {
    await startQueue(grid([1], 3));
    await drain({ evaluate: false });
    expect(useQueueStore.getState().points[0]?.testAccuracy).toBeNull();
  });

  it('sends no steps while paused, resumes, and stops', async () => {
    useStudio.setState({ running: true });
    await startQueue(grid([1], 4));
    // toggleTraining needs the page's worker; here it is enough that the queue asked for it.
    expect(useQueueStore.getState().phase).toBe('running');
    deliver({ limit: 1 });
    await tick();
    pauseQueue();
    await drain();
    // Only the first DEPTH steps were sent before the pause; nothing more while paused.
    expect(workers[0]!.sent.filter((m) => m.type === 'step')).toHaveLength(2);
    resumeQueue();
    await drain();
    expect(useQueueStore.getState().phase).toBe('done');
    expect(workers[0]!.sent.filter((m) => m.type === 'step')).toHaveLength(4);

    await startQueue(grid([0.25], 4));
    stopQueue();
    expect(useQueueStore.getState().phase).toBe('stopped');
    expect(workers[1]!.terminated).toBe(true);
  });

  it('names a failing network and stops', async () => {
    await startQueue(grid([1, 0.5], 4));
    workers[0]!.onmessage?.({
      data: { type: 'error', kind: 'device', message: 'GPU lost' },
    } as MessageEvent<WorkerEvent>);
    await tick();
    expect(useQueueStore.getState()).toMatchObject({ phase: 'error', message: 'uniform ×1: GPU lost' });
    expect(workers).toHaveLength(1);
    expect(workers[0]!.terminated).toBe(true);
  });

  it('prunes one trained seed at each fraction, fine-tunes each, and keeps them', async () => {
    await startQueue(grid([], 4, { fractions: [0.5, 0.25], finetune: 2 }));
    expect(useQueueStore.getState()).toMatchObject({ total: 2, totalSteps: 4 + 2 * 2 });
    await drain();
    const s = useQueueStore.getState();
    expect(s.phase).toBe('done');
    expect(s.doneSteps).toBe(8);
    // One worker: the seed trained once, then each fraction pruned from it and fine-tuned.
    expect(workers).toHaveLength(1);
    expect(workers[0]!.sent.map((m) => (m.type === 'prune' ? `prune ${m.fraction}` : m.type))).toEqual([
      'init',
      ...Array<string>(4).fill('step'),
      'prune 0.5',
      'step',
      'step',
      'evaluate',
      'settings',
      'prune 0.25',
      'step',
      'step',
      'evaluate',
      'settings',
    ]);
    expect(s.points.map((p) => [p.family, p.label, p.steps, p.settings])).toEqual([
      ['pruning', '50%', 4, { family: 'pruning', fraction: 0.5, finetune: 2 }],
      ['pruning', '25%', 4, { family: 'pruning', fraction: 0.25, finetune: 2 }],
    ]);
    expect(s.points[0]!.widths).toEqual({ c1: 4, c2: 8 });
    expect(s.points[1]!.widths).toEqual({ c1: 6, c2: 12 });
    // Kept, and found again by the same request: nothing more trains.
    await startQueue(grid([], 4, { fractions: [0.5, 0.25], finetune: 2 }));
    expect(workers).toHaveLength(1);
    // Another fine-tuning length is another point.
    await startQueue(grid([], 4, { fractions: [0.5], finetune: 3 }));
    await drain();
    expect(workers).toHaveLength(2);
    expect(useQueueStore.getState().points).toHaveLength(3);
  });

  it('learns a structure per strength, expands it to each budget and retrains without the penalty', async () => {
    useStudio.setState({ settings: { ...useStudio.getState().settings, target: 'size', threshold: 0.02 } });
    await startQueue(grid([], 3, { strengths: [4], budgets: [0.5, 1, 1e-6] }));
    expect(useQueueStore.getState()).toMatchObject({ total: 3, totalSteps: 3 * 4 });
    await drain();
    const s = useQueueStore.getState();
    expect(s.phase).toBe('done');
    expect(s.doneSteps).toBe(12);
    const inits = workers[0]!.sent.flatMap((m) => (m.type === 'init' ? [m.config] : []));
    // Learning: the seed at strength 4 toward size; then each expansion from scratch at strength 0.
    expect(inits.map((c) => [c.settings.strength, c.settings.target, c.settings.threshold])).toEqual([
      [4, 'size', 0.02],
      [0, 'size', 0.02],
      [0, 'size', 0.02],
    ]);
    expect(inits[0]!.net).toEqual({ kind: 'spec', spec: seed });
    const seedParams = networkCost(seed).params;
    const points = s.points;
    expect(points.map((p) => p.label)).toEqual(['strength 4, budget 50%', 'strength 4']);
    for (const [p, budget] of [
      [points[0]!, 0.5],
      [points[1]!, 1],
    ] as const) {
      expect(p.params).toBeLessThanOrEqual(budget * seedParams);
      expect(p.params).toBeGreaterThan(0.8 * budget * seedParams);
      // The learned structure is the last readback's alive counts (the fake keeps half).
      expect(p.alive).toEqual({ c1: 4, c2: 8 });
      expect(p.settings).toMatchObject({
        family: 'morphnet',
        strength: 4,
        target: 'size',
        threshold: 0.02,
        budget,
      });
    }
    expect(points[0]!.learned?.params).toBe(networkCost(seed, { c1: 4, c2: 8 }).params);
    // A budget the learned structure cannot shrink to is named, not trained.
    expect(s.skipped).toEqual([
      { label: 'MorphNet strength 4, budget 0%', reason: expect.any(String) as string },
    ]);
    expect(workers[0]!.sent.filter((m) => m.type === 'step')).toHaveLength(9);
  });

  it('waits for the page to build its network', async () => {
    useStudio.setState({ seedSpec: null });
    await startQueue(grid([1], 4));
    expect(useQueueStore.getState().message).toBe(
      'The page has not built its network yet; try again in a moment.',
    );
    expect(workers).toHaveLength(0);
  });

  it('remembers the last grid for the next visit, and ignores a stored one it cannot read', () => {
    const box = new Map<string, string>();
    const storage = {
      getItem: (k: string) => box.get(k) ?? null,
      setItem: (k: string, v: string) => void box.set(k, v),
    };
    const g = grid([0.5], 7, { fractions: [0.25], strengths: [3] });
    storeGrid(g, storage);
    expect(storedGrid(storage)).toEqual(g);
    box.set('morphnet-studio-queue-grid', JSON.stringify({ ...g, steps: -1 }));
    expect(storedGrid(storage)).toBeNull();
    box.set('morphnet-studio-queue-grid', '{not json');
    expect(storedGrid(storage)).toBeNull();
    expect(storedGrid(undefined)).toBeNull();
  });

  /** Answers one request at a time until `done` holds (the queue's promises run in between). */
  async function until(done: () => boolean) {
    for (let i = 0; i < 2000 && !done(); i++) {
      deliver({ limit: 1 });
      await tick();
    }
    if (!done()) throw new Error('never got there');
  }

  /** The page goes away mid-run: its workers stop answering and a new page starts with an empty store. */
  async function reload() {
    await queueProgressWritten();
    for (const w of workers) w.terminated = true;
    useQueueStore.setState({ ...initialQueueState });
  }

  it('resumes by itself on the next visit, the interrupted network from its checkpoint', async () => {
    await startQueue(grid([0.5, 1], 10));
    await until(() => (workers[0]?.step ?? 0) >= 9);
    await reload();
    expect(await loadQueueProgress(dbName)).toMatchObject({
      label: 'uniform ×0.5',
      checkpoint: { step: 8 },
      cycle: { cycle: 0 },
    });
    expect(await resumeInterruptedQueue()).toBe(true);
    expect(useQueueStore.getState()).toMatchObject({
      phase: 'running',
      resumed: 'Picked up the measuring where your last visit left it (uniform ×0.5 from step 8).',
    });
    await drain();
    expect(useQueueStore.getState().phase).toBe('done');
    const resumed = workers[1]!;
    expect(resumed.sent[0]).toMatchObject({ type: 'init', resume: { step: 8 }, resumeCycle: { cycle: 0 } });
    // Steps 9 and 10 only, then the next network from scratch.
    expect(resumed.sent.filter((m) => m.type === 'step')).toHaveLength(2);
    expect(workers[2]!.sent[0]).not.toHaveProperty('resume');
    expect(workers[2]!.sent.filter((m) => m.type === 'step')).toHaveLength(10);
    expect(useQueueStore.getState().points.map((p) => [p.label, p.steps])).toEqual([
      ['×0.5', 10],
      ['×1', 10],
    ]);
    expect(useQueueStore.getState().doneSteps).toBe(20);
    await queueProgressWritten();
    expect(await loadQueueProgress(dbName)).toBeNull(); // finished: nothing to resume next time
    expect(await resumeInterruptedQueue()).toBe(false);
  });

  it('does not resume a queue the person stopped, nor one of another network or settings', async () => {
    await startQueue(grid([0.5], 10));
    await until(() => (workers[0]?.step ?? 0) >= 5);
    stopQueue();
    await reload();
    expect(await resumeInterruptedQueue()).toBe(false);

    await startQueue(grid([0.5], 10));
    await until(() => (workers.at(-1)?.step ?? 0) >= 5);
    await reload();
    useStudio.setState({ settings: { ...useStudio.getState().settings, seed: 4 } });
    expect(await resumeInterruptedQueue()).toBe(false);
    expect(useQueueStore.getState().phase).toBe('idle');
  });

  it('says when the browser’s storage is full: the points are shown but not kept', async () => {
    const unfill = fillStorage();
    try {
      await startQueue(grid([0.5], 3));
      await drain();
    } finally {
      unfill();
    }
    const s = useQueueStore.getState();
    expect(s.phase).toBe('done');
    expect(s.points.map((p) => p.label)).toEqual(['×0.5']);
    expect(s.keepError).toBe(
      'The browser’s storage is full: the measured points shown here will not be kept for your next visit. Delete old runs in the runs list to make room.',
    );
    expect(await loadPoints(queueContext()!, dbName)).toEqual([]);
  });
});

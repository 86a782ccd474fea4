// A fake engine for the handler's tests (fast, deterministic): a session whose loss falls, whose
// γ die after the first step, and which diverges at a learning rate past 1e6 (past 1e12, one
// finite step later).
import type { Dataset, Metrics, Session, SessionOptions } from '../engine/types.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import type { RunConfig, WorkerEvent } from '../protocol/messages.ts';
import type { StudioDeps } from './deps.ts';
import { StudioHandler } from './handler.ts';

export const spec: NetworkSpec = {
  name: 'tiny',
  input: { height: 4, width: 4, channels: 1 },
  classes: 2,
  layers: [
    { type: 'conv', name: 'c1', from: 'input', filters: 4, kernel: 3 },
    { type: 'gap', name: 'pool', from: 'c1' },
    { type: 'dense', name: 'logits', from: 'pool', units: 2 },
  ],
};
export const dataset = { name: 'shapes', classNames: ['a', 'b'] } as unknown as Dataset;

function fakeSession(opts: SessionOptions, log: string[]): Session {
  let step = opts.resume?.step ?? 0;
  /** Past lr 1e12 the weights explode one step after the change and the loss is NaN the next. */
  let hotSince = Infinity;
  let settings = { ...opts.settings };
  const width = (opts.spec.layers[0] as { filters: number }).filters;
  return {
    spec: opts.spec,
    get step() {
      return step;
    },
    updateSettings: (p) => {
      settings = { ...settings, ...p };
      if (settings.lr > 1e12 && hotSince === Infinity) hotSince = step;
      log.push(`settings ${JSON.stringify(p)}`);
    },
    trainStep: () => {
      step++;
    },
    checkpoint: async () => ({ step, settings: { ...settings }, variables: { w: { shape: [1], values: new Float32Array([step]) } }, slots: {} }),
    readMetrics: async (): Promise<Metrics> => ({
      step,
      // A learning rate past 1e6 diverges, as a real one would.
      taskLoss: (settings.lr > 1e12 ? step > hotSince + 1 : settings.lr > 1e6 && step > 0) ? NaN : 1 / (step + 1),
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

export function setup(pacing: { pauseEvalMs?: number } = {}, extra: Partial<StudioDeps> = {}) {
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
    ...extra,
  };
  const handler = new StudioHandler((e, t) => (events.push(e), transfers.push(t ?? [])), deps, {
    readIntervalMs: 30,
    evalIntervalMs: 1e9,
    ...pacing,
  });
  return { handler, events, transfers, log, built };
}

export const config: RunConfig = {
  backend: 'auto',
  net: { kind: 'builtin', name: 'tiny' },
  dataset: 'shapes',
  settings: { target: 'flops', strength: 1, threshold: 0.01, lr: 0.1, batch: 4, seed: 1 },
};

export const of = <T extends WorkerEvent['type']>(events: WorkerEvent[], type: T) =>
  events.filter((e): e is Extract<WorkerEvent, { type: T }> => e.type === type);


// Worker events → store. Events are queued as they arrive and applied together at most once per
// animation frame and at most ~10 times a second (STYLE.md, issue: "updates at most ~10 times a
// second"), so a fast GPU never makes React re-render per step.
import type { WorkerEvent } from '../protocol/messages.ts';
import { initialMetrics, type Store } from './store.ts';
import { emptyRecord, own } from '../morphnet/records.ts';

/** Points kept per curve; older ones are thinned so a long run stays cheap to draw. */
const MAX_POINTS = 1500;

function capped<T>(list: T[]): T[] {
  if (list.length <= MAX_POINTS) return list;
  // Keep every other point of the older half: the recent past keeps full resolution.
  const half = Math.floor(list.length / 2);
  return [...list.slice(0, half).filter((_, i) => i % 2 === 0), ...list.slice(half)];
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Same keys, each with the identical value (numbers, or objects kept by sameValues above). */
function sameRecord<T extends object>(a: T, b: T): boolean {
  const ka = Object.keys(a) as (keyof T)[];
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/** Folds a batch of events into one state patch (pure: tested in Node). */
export function reduceEvents(state: Store, events: readonly WorkerEvent[]): Partial<Store> {
  let s: Store = state;
  const set = (patch: Partial<Store>) => {
    s = { ...s, ...patch };
  };
  for (const e of events) {
    switch (e.type) {
      case 'backend':
        set({ backend: e.backend, adapter: e.adapter, backendNote: e.note });
        break;
      case 'progress': {
        const progress = { ...s.progress };
        if (e.done) delete progress[e.task];
        else progress[e.task] = e;
        set({ progress });
        break;
      }
      case 'ready': {
        // A new network (init, reset or retrain): its metrics start over. A resumed one (a new
        // worker after a fault) keeps the curves up to the checkpoint it starts from.
        const from = e.step ?? 0;
        const kept =
          from > 0
            ? {
                curve: s.curve.filter((p) => p.step <= from),
                testCurve: s.testCurve.filter((p) => p.step <= from),
                costCurve: s.costCurve.filter((p) => p.step <= from),
              }
            : { lastCheckpoint: null, checkpointCycle: null };
        set({
          ...initialMetrics,
          ...kept,
          ready: true,
          error: null,
          step: from,
          spec: e.spec,
          seedSpec: e.seedSpec,
          seedCost: e.seedCost,
          cycle: e.cycle,
          history: e.history,
          classNames: e.classNames,
          expanding: false,
          preview: null,
          expandOpen: false,
        });
        break;
      }
      case 'checkpoint':
        set({ lastCheckpoint: e.checkpoint, checkpointCycle: e.cycle });
        break;
      case 'fault': {
        const r = e.restored;
        set({
          faults: [...s.faults, { kind: e.kind, step: e.step, restored: r, message: e.message }],
          notice: e.message,
          // The steps after the restored checkpoint never happened as far as the run goes.
          ...(r === null
            ? {}
            : {
                curve: s.curve.filter((p) => p.step <= r),
                testCurve: s.testCurve.filter((p) => p.step <= r),
                costCurve: s.costCurve.filter((p) => p.step <= r),
              }),
        });
        break;
      }
      case 'pong':
        break;
      case 'device':
        set({ device: e.measurement, deviceCached: e.cached, measuringDevice: false });
        break;
      case 'inference-time':
        set({ inference: e, timingInference: false });
        break;
      case 'running':
        set({ running: e.running });
        break;
      case 'metrics': {
        const gammas = emptyRecord<Float32Array>(); // keyed by layer names, `__proto__` included
        let offset = 0;
        e.gammaLayers.forEach((name, i) => {
          const n = e.gammaSizes[i] ?? 0;
          const next = e.gammas.subarray(offset, offset + n);
          const prev = own(s.gammas, name);
          gammas[name] = prev && sameValues(prev, next) ? prev : next;
          offset += n;
        });
        set({
          step: e.step,
          // What did not change keeps its identity, so the views that select it skip their work.
          gammas: sameRecord(s.gammas, gammas) ? s.gammas : gammas,
          alive: sameRecord(s.alive, e.alive) ? s.alive : e.alive,
          cost: s.cost && sameRecord(s.cost, e.cost) ? s.cost : e.cost,
          taskLoss: e.taskLoss,
          regLoss: e.regLoss,
          trainAccuracy: e.trainAccuracy,
          stepMs: e.stepMs,
          curve: capped([
            ...s.curve,
            { step: e.step, taskLoss: e.taskLoss, regLoss: e.regLoss, trainAccuracy: e.trainAccuracy },
          ]),
          costCurve: capped([...s.costCurve, { step: e.step, flops: e.cost.flops, params: e.cost.params }]),
        });
        break;
      }
      case 'evaluation':
        set({
          testAccuracy: e.testAccuracy,
          testCurve: capped([...s.testCurve, { step: e.step, accuracy: e.testAccuracy }]),
        });
        break;
      case 'expansion':
        // A budget the last preview could not reach is no longer the question.
        set({ preview: e, expanding: false, ...(s.error?.kind === 'request' ? { error: null } : {}) });
        break;
      case 'error':
        // The worker rejected the imported spec and went back to the run it had.
        if (e.kind === 'spec') set({ specError: e.message, importedSpec: null });
        else
          set({
            error: { kind: e.kind, message: e.message },
            ...(e.kind === 'request' ? {} : { running: false }),
          });
        if (e.kind === 'spec' || e.kind === 'request') set({ expanding: false, measuringDevice: false, timingInference: false });
        break;
      default: {
        const never: never = e;
        throw new Error(`unknown event ${JSON.stringify(never)}`);
      }
    }
  }
  const patch: Partial<Store> = {};
  for (const key of Object.keys(s) as (keyof Store)[]) {
    if (s[key] !== state[key]) (patch as Record<string, unknown>)[key] = s[key];
  }
  return patch;
}

export interface Scheduler {
  now(): number;
  /** Runs `fn` after `ms` and then on the next animation frame (or right away where there is none). */
  later(fn: () => void, ms: number): void;
}

export const browserScheduler: Scheduler = {
  now: () => performance.now(),
  later(fn, ms) {
    setTimeout(() => {
      // A hidden tab never runs animation frames; the timer alone keeps the queue bounded there.
      if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') {
        requestAnimationFrame(() => fn());
      } else fn();
    }, ms);
  },
};

/** A queue that applies worker events to the store in batches, ≥ `minGapMs` apart. */
export function createEventQueue(
  apply: (events: WorkerEvent[]) => void,
  scheduler: Scheduler = browserScheduler,
  minGapMs = 100,
) {
  let queue: WorkerEvent[] = [];
  let scheduled = false;
  let last = -Infinity;
  const flush = () => {
    scheduled = false;
    last = scheduler.now();
    const events = queue;
    queue = [];
    if (events.length > 0) apply(events);
  };
  return {
    push(event: WorkerEvent) {
      queue.push(event);
      if (scheduled) return;
      scheduled = true;
      scheduler.later(flush, Math.max(0, minGapMs - (scheduler.now() - last)));
    },
    /** Applies whatever is queued now (tests, and before the page acts on fresh state). */
    flush,
  };
}

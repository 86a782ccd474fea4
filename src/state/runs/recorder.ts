// Keeps the run the page is training saved as it goes. A run is what the page trains between one
// (re)build of the network and the next (an expansion's retrain stays in the same run, as its next
// cycle). It is saved once it has trained a step, then at most every SAVE_EVERY_MS while it
// changes, and at once on pause, retrain, a new cycle, a new run and when the page is hidden.
// Saving is asynchronous and coalesced (one write in flight), so it never holds up the page.
import { onRunChange, type RunChange } from '../actions.ts';
import { useStudio, type Store } from '../store.ts';
import { createRunRecord, type RunMetrics, type RunRecord } from './record.ts';
import { saveRun, setCurrentRun } from './runs.ts';

export const SAVE_EVERY_MS = 2000;

/** The current cycle's points from the store, after the saved ones of earlier cycles/steps. */
function mergePoints<P extends { step: number }>(
  saved: readonly (P & { cycle: number })[],
  live: readonly P[],
  cycle: number,
): (P & { cycle: number })[] {
  const first = live[0]?.step ?? Infinity;
  return [
    ...saved.filter((p) => p.cycle < cycle || (p.cycle === cycle && p.step < first)),
    ...live.map((p) => ({ ...p, cycle })),
  ];
}

/**
 * The run as the store shows it now, continuing `base` (the same run's last snapshot: its id,
 * name, creation time and earlier cycles' metrics), or a new record when `base` is null.
 * Null while no network is built. Pure.
 */
export function snapshotRun(s: Store, base: RunRecord | null, now: Date = new Date()): RunRecord | null {
  if (!s.spec || !s.seedSpec || !s.seedCost) return null;
  const empty: RunMetrics = { curve: [], costCurve: [], testCurve: [] };
  const m = base?.metrics ?? empty;
  // Only the live settings change during a run; the others (network, data, batch, seed, backend)
  // are what it was built with, even once the page has moved on to build the next run.
  const { target, strength, threshold, lr } = s.settings;
  const fields = {
    settings: base ? { ...base.settings, target, strength, threshold, lr } : { ...s.settings },
    importedSpec: s.importedSpec !== null,
    seedSpec: s.seedSpec,
    spec: s.spec,
    seedCost: s.seedCost,
    step: s.step,
    cycle: s.cycle,
    history: s.history,
    metrics: {
      curve: mergePoints(m.curve, s.curve, s.cycle),
      costCurve: mergePoints(m.costCurve, s.costCurve, s.cycle),
      testCurve: mergePoints(m.testCurve, s.testCurve, s.cycle),
    },
    alive: s.alive,
    cost: s.cost,
    testAccuracy: s.testAccuracy,
    backend: s.backend,
  };
  if (!base) return createRunRecord(fields, now);
  return {
    ...base,
    ...fields,
    // Fixed when the run was built, like the structural settings.
    importedSpec: base.importedSpec,
    updatedAt: now.toISOString(),
  };
}

/** Trained at least one step, so worth keeping. */
const trained = (s: Store) => s.step > 0 || s.cycle > 0;

interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface Recorder {
  /** Saves the current run now (if it has trained); resolves when written. */
  flush(): Promise<void>;
  /** The current run as it is now (all its cycles' metrics), without saving it. */
  snapshot(): RunRecord | null;
  stop(): void;
}

let running: Recorder | null = null;

/** The run the page is training, as it is now (exports); null before a network is built. */
export function currentRunSnapshot(): RunRecord | null {
  return running ? running.snapshot() : snapshotRun(useStudio.getState(), null);
}

/**
 * Starts recording (once; later calls return the same recorder). `timers` differ in tests.
 */
export function startRunRecorder(timers: Timers = realTimers): Recorder {
  if (running) return running;
  let current: RunRecord | null = null;
  /** The run before the last new-run request, in case the worker goes back to it. */
  let previous: RunRecord | null = null;
  let pendingNew = false;
  let lastSave = -Infinity;
  let timer: unknown = null;
  const queue = new Map<string, RunRecord>();
  let writing: Promise<void> | null = null;

  const drain = async () => {
    while (queue.size > 0) {
      const [id, record] = queue.entries().next().value as [string, RunRecord];
      queue.delete(id);
      await saveRun(record);
    }
    writing = null;
  };
  const write = (record: RunRecord) => {
    queue.set(record.id, record);
    writing ??= drain();
    return writing;
  };

  /** Takes a snapshot of the current run and, if it has trained, writes it. */
  const saveNow = (): Promise<void> => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    const s = useStudio.getState();
    if (!current || !s.ready) return writing ?? Promise.resolve();
    const snap = snapshotRun(s, current);
    if (!snap) return writing ?? Promise.resolve();
    current = snap;
    if (!trained(s)) return writing ?? Promise.resolve();
    lastSave = timers.now();
    setCurrentRun(snap.id);
    return write(snap);
  };
  const saveSoon = () => {
    if (timer !== null) return;
    const wait = Math.max(0, lastSave + SAVE_EVERY_MS - timers.now());
    if (wait === 0) void saveNow();
    else timer = timers.setTimeout(() => void saveNow(), wait);
  };

  const onChange = (change: RunChange) => {
    // Said before the store changes: the run is still there to save.
    void saveNow();
    if (change === 'new-run') {
      previous = current;
      current = null;
      pendingNew = true;
      setCurrentRun(null);
    }
  };

  const onStore = (s: Store, prev: Store) => {
    // Wait for a built network's first readback (cost is null from a build until then).
    if (!s.ready || !s.spec || !s.seedSpec || !s.seedCost || s.cost === null) return;
    if (pendingNew || !current) {
      // A fresh network's first readback is at step 0; a later step means the worker rejected
      // the new network and went back to the old one (a bad spec file): that run goes on.
      const back = pendingNew && s.step > 0 && previous !== null && previous.cycle === s.cycle;
      pendingNew = false;
      current = back ? previous : snapshotRun(s, null);
      previous = null;
      if (!back) lastSave = -Infinity; // a new run's first trained step is saved at once
      if (current && trained(s)) void saveNow();
      return;
    }
    if (s.cycle !== current.cycle || (prev.running && !s.running)) {
      void saveNow();
      return;
    }
    if (
      s.step !== prev.step ||
      s.testAccuracy !== prev.testAccuracy ||
      s.settings !== prev.settings ||
      s.alive !== prev.alive
    ) {
      saveSoon();
    }
  };

  const unsubscribeStore = useStudio.subscribe(onStore);
  const unsubscribeRun = onRunChange(onChange);
  const onHide = () => {
    if (typeof document === 'undefined' || document.visibilityState === 'hidden') void saveNow();
  };
  if (typeof window !== 'undefined') {
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onHide);
  }
  running = {
    flush: saveNow,
    snapshot: () => snapshotRun(useStudio.getState(), current),
    stop() {
      unsubscribeStore();
      unsubscribeRun();
      if (timer !== null) timers.clearTimeout(timer);
      if (typeof window !== 'undefined') {
        window.removeEventListener('pagehide', onHide);
        document.removeEventListener('visibilitychange', onHide);
      }
      running = null;
    },
  };
  // The network may already be built (the recorder starts after the page's first render).
  onStore(useStudio.getState(), useStudio.getState());
  return running;
}

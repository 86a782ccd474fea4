// Keeps the run the page is training saved as it goes. A run is what the page trains between one
// (re)build of the network and the next (an expansion's retrain stays in the same run, as its next
// cycle). It is saved once it has trained a step, then at most every SAVE_EVERY_MS while it
// changes, and at once on pause, retrain, a new cycle, a new run, a new checkpoint of its weights
// (the worker's, every CHECKPOINT_EVERY steps) and when the page is hidden or goes away.
// Saving is asynchronous and coalesced (one write in flight), so it never holds up the page; the
// save as the page goes away is queued synchronously instead (runs.ts saveRunNow), since an
// asynchronous one does not get to run. A run resumed from the list (./resume.ts) continues its
// own record.
import type { Checkpoint } from '../../engine/types.ts';
import { onRunChange, type RunChange } from '../actions.ts';
import { latencySettings } from '../latency.ts';
import { useStudio, type Store } from '../store.ts';
import { createRunRecord, type RunFault, type RunMetrics, type RunRecord } from './record.ts';
import { saveRunNow, setCurrentRun } from './runs.ts';

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

/** The base's faults, then the store's new ones (a resumed run keeps those it had). */
function mergeFaults(saved: readonly RunFault[] = [], live: readonly RunFault[] = []): RunFault[] {
  const key = (f: RunFault) => `${f.kind}|${f.step}|${f.restored}|${f.message}`;
  const seen = new Set(saved.map(key));
  return [...saved, ...live.filter((f) => !seen.has(key(f)))];
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
  const faults = mergeFaults(base?.faults, s.faults);
  if (faults.length > 0) Object.assign(fields, { faults });
  const record: RunRecord = base
    ? // importedSpec is fixed when the run was built, like the structural settings.
      { ...base, ...fields, importedSpec: base.importedSpec, updatedAt: now.toISOString() }
    : createRunRecord(fields, now);
  // A latency run keeps the device it prices for now (not the one of an earlier target).
  const latency = target === 'latency' ? latencySettings(s) : null;
  if (latency) record.latency = latency;
  else delete record.latency;
  return record;
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
/** A saved run the page is about to resume (./resume.ts): the next network continues it. */
let resuming: RunRecord | null = null;

/**
 * The next network the page builds continues `record` from `step` (its checkpoint): the same id,
 * name and earlier metrics, without the points after the checkpoint, which the resumed run trains
 * again. Said before the page asks the worker for it.
 */
export function continueRun(record: RunRecord, step: number): void {
  const keep = <P extends { cycle: number; step: number }>(list: P[]) =>
    list.filter((p) => p.cycle < record.cycle || (p.cycle === record.cycle && p.step <= step));
  const m = record.metrics;
  resuming = {
    ...record,
    step,
    metrics: { curve: keep(m.curve), costCurve: keep(m.costCurve), testCurve: keep(m.testCurve) },
  };
}

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
  let pendingResume: RunRecord | null = null;
  let lastSave = -Infinity;
  let timer: unknown = null;
  const queue = new Map<string, { record: RunRecord; checkpoint: Checkpoint | null }>();
  let writing: Promise<void> | null = null;
  /** The checkpoint in the store when the current run began (the previous run's), and the last written. */
  let staleCheckpoint: Checkpoint | null = null;
  let savedCheckpoint: Checkpoint | null = null;

  const drain = async () => {
    while (queue.size > 0) {
      const [id, w] = queue.entries().next().value as [
        string,
        { record: RunRecord; checkpoint: Checkpoint | null },
      ];
      queue.delete(id);
      // Blind writes, committed at once: a read-then-write in flight as the page goes away would
      // hold up (and lose, with itself) the write made on pagehide, queued behind it.
      refused(await saveRunNow(w.record, w.checkpoint), w.checkpoint);
    }
    writing = null;
  };
  const write = (record: RunRecord, checkpoint: Checkpoint | null) => {
    // A write that replaces a queued one keeps its checkpoint when it brings none.
    queue.set(record.id, { record, checkpoint: checkpoint ?? queue.get(record.id)?.checkpoint ?? null });
    writing ??= drain();
    return writing;
  };

  /** A write that did not land (storage full): its checkpoint goes with the next save. */
  const refused = (result: unknown, checkpoint: Checkpoint | null) => {
    if (result === null && checkpoint && savedCheckpoint === checkpoint) savedCheckpoint = null;
  };

  /** The store's checkpoint if it is this run's and not written yet; marks it written. */
  const newCheckpoint = (s: Store, snap: RunRecord): Checkpoint | null => {
    const c = s.lastCheckpoint;
    if (!c || c === staleCheckpoint || c === savedCheckpoint) return null;
    if (s.checkpointCycle?.cycle !== snap.cycle || c.step > snap.step) return null;
    savedCheckpoint = c;
    return c;
  };

  /** The current run as it is now, if it has trained (null otherwise). */
  const take = (): RunRecord | null => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    const s = useStudio.getState();
    if (!current || !s.ready) return null;
    const snap = snapshotRun(s, current);
    if (!snap) return null;
    current = snap;
    if (!trained(s)) return null;
    lastSave = timers.now();
    setCurrentRun(snap.id);
    return snap;
  };

  /** Takes a snapshot of the current run and, if it has trained, writes it. */
  const saveNow = (): Promise<void> => {
    const snap = take();
    if (!snap) return writing ?? Promise.resolve();
    return write(snap, newCheckpoint(useStudio.getState(), snap));
  };

  /** The page goes away: the write is queued before this returns (an asynchronous one never runs). */
  const saveBeforeLeaving = () => {
    const snap = take();
    if (!snap) return;
    const queued = queue.get(snap.id);
    queue.delete(snap.id);
    const checkpoint = newCheckpoint(useStudio.getState(), snap) ?? queued?.checkpoint ?? null;
    void saveRunNow(snap, checkpoint).then((r) => refused(r, checkpoint));
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
      // The new-run said by the resume itself arms it; any later one drops it.
      pendingResume = resuming;
      resuming = null;
      previous = current;
      current = null;
      pendingNew = true;
      staleCheckpoint = useStudio.getState().lastCheckpoint;
      setCurrentRun(null);
    }
  };

  const onStore = (s: Store, prev: Store) => {
    // Wait for a built network's first readback (cost is null from a build until then).
    if (!s.ready || !s.spec || !s.seedSpec || !s.seedCost || s.cost === null) return;
    if (pendingNew || !current) {
      // A fresh network's first readback is at step 0; a later step means the worker rejected
      // the new network and went back to the old one (a bad spec file): that run goes on. A
      // resumed run's first readback is past its checkpoint: it continues its saved record.
      const resumed = pendingNew ? pendingResume : null;
      const back = !resumed && pendingNew && s.step > 0 && previous !== null && previous.cycle === s.cycle;
      pendingNew = false;
      pendingResume = null;
      current = resumed ?? (back ? previous : snapshotRun(s, null));
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
      s.alive !== prev.alive ||
      s.faults !== prev.faults
    ) {
      saveSoon();
    }
    // New weights are worth a write of their own, but not one per checkpoint if they come fast.
    if (s.lastCheckpoint !== prev.lastCheckpoint) saveSoon();
  };

  const unsubscribeStore = useStudio.subscribe(onStore);
  const unsubscribeRun = onRunChange(onChange);
  const onHide = (e?: Event) => {
    if (e?.type === 'pagehide' || typeof document === 'undefined' || document.visibilityState === 'hidden') {
      saveBeforeLeaving();
    }
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

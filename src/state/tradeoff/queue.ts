// The page's own uniform baseline (issue 4: "Baselines run as a background queue with progress and
// are cached"): the page's current seed network × each width multiplier, trained from scratch in
// a training worker of its own, one after the other, with the page's dataset and settings and no
// MorphNet penalty; each measured point is kept in IndexedDB, so a second visit shows it at once
// and only the missing ones train.
//
// Driven like the twin run (../twin/controller.ts): single `step` requests, at most DEPTH in
// flight, so every point stops at exactly `steps`; then `evaluate` (test accuracy, however slow
// the backend) and a fence. Only one thing trains at a time: starting the
// queue pauses the main run, and the main run starting pauses the queue.
import { uniformSpec, seedWidths } from '../../morphnet/baselines.ts';
import type { NetworkSpec } from '../../morphnet/types.ts';
import type { RunConfig, WorkerEvent } from '../../protocol/messages.ts';
import { studioPorts, toggleTraining, type WorkerPort } from '../actions.ts';
import { useStudio } from '../store.ts';
import type { StudioSettings } from '../url.ts';
import { loadBaselines, saveBaseline, type BaselineRecord } from './cache.ts';
import { useQueueStore } from './queue-store.ts';

const DEPTH = 2;
/** Progress reaches the store at most this often: a GPU steps far faster than React paints. */
const PROGRESS_GAP_MS = 100;

export interface QueuePorts {
  makeWorker: () => WorkerPort;
  dataBase: string;
  dbName?: string;
  now?: () => number;
}

/** What one start of the queue trains with, fixed then: settings changed meanwhile wait for the next. */
interface Run {
  ports: QueuePorts;
  context: string;
  seed: NetworkSpec;
  settings: StudioSettings;
}

interface Job {
  run: Run;
  multiplier: number;
  /** The backend the worker reports it trains on. */
  backend: string | null;
  worker: WorkerPort;
  spec: NetworkSpec;
  ready: boolean;
  sent: number;
  trained: number;
  finished: boolean;
  awaiting: number;
  accuracy: number | null;
  cost: { flops: number; params: number } | null;
  started: number;
  lastShown: number;
}

let ports: QueuePorts | null = null;
let job: Job | null = null;
let pending: number[] = [];
let watching = false;

/** Tests inject fake workers and a database name; the page uses the studio's own worker factory. */
export function configureQueue(p: QueuePorts | null): void {
  ports = p;
}

const now = () => (ports?.now ?? Date.now)();

/**
 * What makes two points comparable: the seed network as built for the dataset, the dataset,
 * and every training setting but the steps (each point records its own, and the table shows
 * them). A string (the cache's index), short enough to read in a debugger.
 */
export function queueContext(): string | null {
  const { seedSpec, settings, importedSpec } = useStudio.getState();
  if (!seedSpec) return null;
  const s = settings;
  const specHash = hashString(JSON.stringify(seedSpec));
  const net = importedSpec ? `spec:${specHash}` : `${s.net}:${specHash}`;
  return `${net}|${s.dataset}|seed ${s.seed}|batch ${s.batch}|lr ${s.lr}|${s.backend}`;
}

/** By steps, then multiplier: each step count's curve reads top to bottom. */
export function sortBaselines(points: BaselineRecord[]): BaselineRecord[] {
  return points.sort((a, b) => a.steps - b.steps || a.multiplier - b.multiplier);
}

/** FNV-1a, 32 bits, as hex: enough to tell specs apart in a cache key. */
export function hashString(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Shows what the cache holds for the page's current network and settings. */
export async function loadQueuePoints(): Promise<void> {
  const context = queueContext();
  if (!context) return;
  const points = await loadBaselines(context, ports?.dbName).catch(() => [] as BaselineRecord[]);
  // The network or settings may have changed while the database answered.
  if (queueContext() !== context) return;
  useQueueStore.setState({ context, points: sortBaselines(points) });
}

/** Trains every multiplier the cache lacks, one after the other. */
export async function startQueue(multipliers: number[], steps: number): Promise<void> {
  const p = ports ?? studioPorts();
  const context = queueContext();
  if (!p || !context) {
    useQueueStore.setState({ message: 'The page has not built its network yet; try again in a moment.' });
    return;
  }
  stopQueue();
  useQueueStore.setState({ steps, multipliers, message: null });
  await loadQueuePoints();
  const have = new Set(
    useQueueStore.getState().points.flatMap((r) => (r.steps === steps ? [r.multiplier] : [])),
  );
  pending = multipliers.filter((m) => !have.has(m));
  if (pending.length === 0) {
    useQueueStore.setState({ phase: 'done', current: null });
    return;
  }
  const { seedSpec, settings } = useStudio.getState();
  if (!seedSpec) return;
  if (useStudio.getState().running) toggleTraining();
  watchMainRun();
  useQueueStore.setState({ phase: 'running', total: pending.length, done: 0 });
  next({ ports: p, context, seed: seedSpec, settings });
}

function next(run: Run) {
  const multiplier = pending.shift();
  if (multiplier === undefined) {
    job = null;
    useQueueStore.setState({ phase: 'done', current: null });
    return;
  }
  const { seed, settings } = run;
  let spec: NetworkSpec;
  try {
    spec = uniformSpec(seed, multiplier);
  } catch (e) {
    return fail(`×${multiplier}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const j: Job = {
    run,
    multiplier,
    backend: null,
    worker: run.ports.makeWorker(),
    spec,
    ready: false,
    sent: 0,
    trained: 0,
    finished: false,
    awaiting: 0,
    accuracy: null,
    cost: null,
    started: now(),
    lastShown: 0,
  };
  job = j;
  useQueueStore.setState({ current: { multiplier, step: 0, label: 'Building the network' } });
  j.worker.onmessage = (event) => receive(j, run, event.data);
  const config: RunConfig = {
    backend: settings.backend,
    net: { kind: 'spec', spec },
    dataset: settings.dataset,
    // Strength 0: no MorphNet penalty; the baseline is the plain network trained as the page trains.
    settings: {
      target: 'flops',
      strength: 0,
      threshold: settings.threshold,
      lr: settings.lr,
      batch: settings.batch,
      seed: settings.seed,
    },
  };
  j.worker.postMessage({ type: 'init', config, dataBase: run.ports.dataBase });
}

function pump(j: Job) {
  const { phase, steps } = useQueueStore.getState();
  if (phase !== 'running' || !j.ready || j.finished) return;
  while (j.sent < steps && j.sent - j.trained < DEPTH) {
    j.worker.postMessage({ type: 'step' });
    j.sent += 1;
  }
  if (j.trained < steps) return;
  j.finished = true;
  j.worker.postMessage({ type: 'evaluate' });
  // A fence: an unchanged threshold makes a paused worker read back once more, after the
  // evaluation (requests run in order), so its reply means "all done".
  j.worker.postMessage({ type: 'settings', patch: { threshold: j.run.settings.threshold } });
  j.awaiting = j.sent - j.trained + 1;
}

function showProgress(j: Job, label: string | null, force = false) {
  const t = now();
  if (!force && t - j.lastShown < PROGRESS_GAP_MS) return;
  j.lastShown = t;
  useQueueStore.setState({ current: { multiplier: j.multiplier, step: j.trained, label } });
}

function receive(j: Job, run: Run, e: WorkerEvent) {
  if (job !== j) return;
  const steps = useQueueStore.getState().steps;
  switch (e.type) {
    case 'backend':
      j.backend = e.backend;
      break;
    case 'ready':
      j.ready = true;
      j.cost = e.seedCost;
      showProgress(j, null, true);
      pump(j);
      break;
    case 'progress':
      showProgress(j, e.done ? null : e.label, true);
      break;
    case 'evaluation':
      if (e.step === steps) j.accuracy = e.testAccuracy;
      break;
    case 'metrics':
      if (j.finished) {
        j.awaiting -= 1;
        if (j.awaiting <= 0) void complete(j, run);
        break;
      }
      j.trained = e.step;
      showProgress(j, null, j.trained >= steps);
      pump(j);
      break;
    case 'error':
      // A rejected request leaves the worker as it was; anything else ends the queue.
      if (e.kind !== 'request') fail(`×${j.multiplier}: ${e.message}`);
      break;
    default:
      break;
  }
}

async function complete(j: Job, run: Run) {
  j.worker.terminate();
  const { context } = run;
  const { steps } = useQueueStore.getState();
  const record: BaselineRecord = {
    key: `${context}|steps ${steps}|×${j.multiplier}`,
    context,
    multiplier: j.multiplier,
    label: `×${j.multiplier}`,
    widths: seedWidths(run.seed, j.spec),
    flops: j.cost?.flops ?? 0,
    params: j.cost?.params ?? 0,
    testAccuracy: j.accuracy,
    steps,
    backend: j.backend,
    seconds: (now() - j.started) / 1000,
    savedAt: Date.now(),
  };
  // Shown only while the page still has the network it belongs to (it is kept either way).
  useQueueStore.setState((s) => ({
    points:
      s.context === context
        ? sortBaselines([...s.points.filter((r) => r.key !== record.key), record])
        : s.points,
    done: s.done + 1,
  }));
  // Shown even if it cannot be kept (private windows may refuse IndexedDB).
  await saveBaseline(record, run.ports.dbName).catch(() => undefined);
  if (job === j) next(run);
}

function fail(message: string) {
  job?.worker.terminate();
  job = null;
  pending = [];
  useQueueStore.setState({ phase: 'error', message, current: null });
}

/** Ends the queue; finished points stay (and stay cached), the one in training is dropped. */
export function stopQueue(): void {
  job?.worker.terminate();
  job = null;
  pending = [];
  const { phase } = useQueueStore.getState();
  if (phase === 'running' || phase === 'paused') useQueueStore.setState({ phase: 'stopped', current: null });
}

export function pauseQueue(): void {
  if (useQueueStore.getState().phase !== 'running') return;
  useQueueStore.setState({ phase: 'paused' });
}

export function resumeQueue(): void {
  if (useQueueStore.getState().phase !== 'paused' || !job) return;
  if (useStudio.getState().running) toggleTraining();
  useQueueStore.setState({ phase: 'running' });
  pump(job);
}

/** Only one thing trains at a time: the main run starting pauses the queue. */
function watchMainRun() {
  if (watching) return;
  watching = true;
  useStudio.subscribe((s, prev) => {
    if (s.running && !prev.running) pauseQueue();
  });
}

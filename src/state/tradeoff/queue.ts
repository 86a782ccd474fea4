// The page's own trade-off (issue 4: "Baselines run as a background queue with progress and are
// cached, so a second visit is instant"): the page's seed network measured the three ways the
// chart compares, in a training worker of its own, one network after the other, with the page's
// dataset and settings:
// - uniform: the seed × each multiplier, trained from scratch, no penalty;
// - pruning: the seed trained once, then pruned at each fraction and fine-tuned (`prune`);
// - MorphNet: a structure learned at each strength (the page's target and threshold), expanded
//   to each budget and retrained from scratch, no penalty.
// Each measured point is kept in IndexedDB under its context and settings (plan.ts `pointKey`),
// so a second visit shows it at once and only missing points train. Only one thing trains at a
// time: starting the queue pauses the main run, and the main run starting pauses the queue.
// A queue in progress is kept too (cache.ts QueueProgress: its grid, the network in training and
// that network's latest checkpoint), so after a reload or a crash the next visit resumes it by
// itself, the interrupted network from its checkpoint; stopping or finishing forgets it.
import { seedWidths, uniformSpec } from '../../morphnet/baselines.ts';
import { networkCost, targetCost } from '../../morphnet/cost.ts';
import { ExpandError, expandSpec } from '../../morphnet/expand.ts';
import { fractionLabel, sweepLabel, type SweepPointSettings } from '../../morphnet/sweep.ts';
import type { AliveCounts, NetworkSpec, Target } from '../../morphnet/types.ts';
import type { RunConfig } from '../../protocol/messages.ts';
import { studioPorts, toggleTraining, type WorkerPort } from '../actions.ts';
import { useStudio } from '../store.ts';
import type { StudioSettings } from '../url.ts';
import {
  loadPoints,
  loadQueueProgress,
  savePoint,
  type PagePointRecord,
  type QueueProgress,
} from './cache.ts';
import { DriverStopped, WorkerDriver } from './driver.ts';
import { clearProgress, notKept, writeProgress } from './queue-progress.ts';
export { queueProgressWritten } from './queue-progress.ts';
import { planJobs, pointKey, type Job, type PlannedPoint, type QueueRequest } from './plan.ts';
import { storeGrid, useQueueStore, type QueueGrid } from './queue-store.ts';

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
  request: QueueRequest;
  generation: number;
  /** What is kept to resume from; `label` is the network in training (null in a phase that cannot resume). */
  progress: QueueProgress;
  /** The interrupted network of an earlier visit, used once by the network of that label. */
  resume: QueueProgress | null;
}

let ports: QueuePorts | null = null;
let generation = 0;
let driver: WorkerDriver | null = null;
let resume: (() => void) | null = null;
let gate: Promise<void> | null = null;
let watching = false;
let lastShown = 0;

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

const FAMILY_ORDER = { uniform: 0, pruning: 1, morphnet: 2 } as const;

/** By steps, then family, then cost: each step count's families read top to bottom. */
export function sortPoints(points: PagePointRecord[]): PagePointRecord[] {
  return points.sort(
    (a, b) => a.steps - b.steps || FAMILY_ORDER[a.family] - FAMILY_ORDER[b.family] || a.flops - b.flops,
  );
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
  const points = await loadPoints(context, ports?.dbName).catch(() => [] as PagePointRecord[]);
  // The network or settings may have changed while the database answered.
  if (queueContext() !== context) return;
  useQueueStore.setState({ context, points: sortPoints(points) });
}

/** Measures every point of the grid the cache lacks, one network after the other. */
/** The page's own trade-off learns toward FLOPs or size only (the chart can still time its points). */
export const LATENCY_QUEUE_MESSAGE =
  'The page’s own trade-off learns toward FLOPs or model size: switch the target to one of them to measure it (the chart’s “measured latency” axis then times its points on this device).';

export async function startQueue(grid: QueueGrid, resume: QueueProgress | null = null): Promise<void> {
  const p = ports ?? studioPorts();
  const context = queueContext();
  if (!p || !context) {
    useQueueStore.setState({ message: 'The page has not built its network yet; try again in a moment.' });
    return;
  }
  if ((resume?.target ?? useStudio.getState().settings.target) === 'latency') {
    // Its points are kept by the settings they were made with, and a device is not one of them.
    useQueueStore.setState({ message: LATENCY_QUEUE_MESSAGE });
    return;
  }
  stopQueue();
  storeGrid(grid);
  useQueueStore.setState({ ...grid, message: null, skipped: [], ...(resume ? {} : { resumed: null }) });
  await loadQueuePoints();
  const { seedSpec, settings } = useStudio.getState();
  if (!seedSpec) return;
  // A resumed queue measures what it was asked for then, whatever the page's target is now.
  const request: QueueRequest = {
    ...grid,
    target: resume?.target ?? settings.target,
    threshold: resume?.threshold ?? settings.threshold,
  };
  const have = new Set(useQueueStore.getState().points.map((r) => r.key));
  const plan = planJobs(request, context, have);
  if (plan.jobs.length === 0) {
    useQueueStore.setState({ phase: 'done', current: null });
    forgetProgress(p);
    return;
  }
  if (useStudio.getState().running) toggleTraining();
  watchMainRun();
  generation += 1;
  stepsDone = 0;
  useQueueStore.setState({
    phase: 'running',
    total: plan.points,
    done: 0,
    totalSteps: plan.steps,
    doneSteps: 0,
  });
  const progress: QueueProgress = {
    context,
    grid,
    target: request.target,
    threshold: request.threshold,
    label: null,
    checkpoint: null,
    cycle: null,
    savedAt: Date.now(),
  };
  const run: Run = { ports: p, context, seed: seedSpec, settings, request, generation, progress, resume };
  keepProgress(run);
  void runJobs(run, plan.jobs);
}

/** Writes where the queue is (one small record; the checkpoint is the network's weights). */
function keepProgress(run: Run) {
  if (stale(run)) return;
  run.progress = { ...run.progress, savedAt: Date.now() };
  writeProgress(run.progress, run.ports.dbName);
}

function forgetProgress(p: QueuePorts | null = ports ?? studioPorts()) {
  if (p) clearProgress(p.dbName);
}

/**
 * On a visit after a reload or a crash: resumes the queue an earlier visit left running, if it
 * belongs to the network and settings the page has now. Resolves true when it did.
 */
export async function resumeInterruptedQueue(): Promise<boolean> {
  const p: QueuePorts | null = ports ?? studioPorts();
  const context = queueContext();
  if (!p || !context || useQueueStore.getState().phase !== 'idle') return false;
  const progress = await loadQueueProgress(p.dbName).catch(() => null);
  if (!progress || progress.context !== context || queueContext() !== context) return false;
  if (useQueueStore.getState().phase !== 'idle') return false;
  const where =
    progress.label && progress.checkpoint ? ` (${progress.label} from step ${progress.checkpoint.step})` : '';
  useQueueStore.setState({ resumed: `Picked up the measuring where your last visit left it${where}.` });
  await startQueue(progress.grid, progress);
  return true;
}

async function runJobs(run: Run, jobs: Job[]) {
  for (const job of jobs) {
    const label = jobLabel(job);
    const d = new WorkerDriver(run.ports.makeWorker, {
      gate: () => gate ?? Promise.resolve(),
      onStep: () => {
        stepsDone += 1;
        phaseStep += 1;
        stepped(run);
      },
      onWait: (wait) => waiting(run, wait),
      onCheckpoint: (e) => {
        // Only a network trained from scratch resumes (a pruned one would need pruning again).
        if (!run.progress.label) return;
        run.progress = { ...run.progress, checkpoint: e.checkpoint, cycle: e.cycle };
        keepProgress(run);
      },
    });
    driver = d;
    try {
      await runJob(run, job, d);
    } catch (e) {
      if (e instanceof DriverStopped || run.generation !== generation) return;
      fail(`${label}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      return;
    } finally {
      d.terminate();
    }
    if (run.generation !== generation) return;
  }
  driver = null;
  useQueueStore.setState({ phase: 'done', current: null });
  forgetProgress(run.ports);
}

function jobLabel(job: Job): string {
  if (job.family === 'uniform') return `uniform ${sweepLabel(job)}`;
  if (job.family === 'pruning') return `pruning ${job.fractions.map(fractionLabel).join(', ')}`;
  return `MorphNet strength ${job.strength}`;
}

function config(run: Run, spec: NetworkSpec, strength: number, target: Target): RunConfig {
  const s = run.settings;
  return {
    backend: s.backend,
    net: { kind: 'spec', spec },
    dataset: s.dataset,
    settings: { target, strength, threshold: run.request.threshold, lr: s.lr, batch: s.batch, seed: s.seed },
  };
}

/** Builds `spec` and trains it the request's steps from scratch; resolves with the last readback. */
async function trainFresh(
  run: Run,
  d: WorkerDriver,
  label: string,
  task: string,
  spec: NetworkSpec,
  strength = 0,
  target: Target = 'flops',
) {
  const steps = run.request.steps;
  begin(run, label, task, steps, 'Building the network');
  run.progress = { ...run.progress, label, checkpoint: null, cycle: null };
  keepProgress(run);
  const r = run.resume;
  const from = r?.label === label && r.checkpoint && r.cycle && r.checkpoint.step < steps ? r : null;
  if (from?.checkpoint && from.cycle) {
    run.resume = null;
    const at = from.checkpoint.step;
    await d.init(config(run, spec, strength, target), run.ports.dataBase, {
      resume: from.checkpoint,
      resumeCycle: from.cycle,
    });
    // The steps before the checkpoint count as done, in the bar and in this network's count.
    stepsDone += at;
    phaseStep = at;
    stepped(run, true);
    return d.train(steps - at);
  }
  await d.init(config(run, spec, strength, target), run.ports.dataBase);
  return d.train(steps);
}

async function runJob(run: Run, job: Job, d: WorkerDriver): Promise<void> {
  const { seed, request } = run;
  const started = now();
  if (job.family === 'uniform') {
    const spec = uniformSpec(seed, job.multiplier);
    await trainFresh(run, d, `uniform ${sweepLabel(job)}`, 'training from scratch', spec);
    const settings: SweepPointSettings = { family: 'uniform', multiplier: job.multiplier };
    return keep(run, job, settings, spec, await d.evaluate(request.threshold), started, d);
  }
  if (job.family === 'pruning') {
    await trainFresh(run, d, jobLabel(job), 'training the seed to prune', seed);
    for (const fraction of job.fractions) {
      const point: PlannedPoint = { family: 'pruning', fraction, finetune: job.finetune };
      const t0 = now();
      begin(run, `pruning ${sweepLabel(point)}`, 'fine-tuning the pruned seed', job.finetune, 'Pruning');
      run.progress = { ...run.progress, label: null, checkpoint: null, cycle: null };
      const ready = await d.prune(fraction);
      if (job.finetune > 0) await d.train(job.finetune);
      await keep(run, point, point, ready.spec, await d.evaluate(request.threshold), t0, d);
    }
    return;
  }
  const learned = await trainFresh(
    run,
    d,
    jobLabel(job),
    'learning the structure',
    seed,
    job.strength,
    job.target,
  );
  const alive: AliveCounts = learned.alive;
  const seedCost = targetCost(networkCost(seed), job.target);
  for (const budget of job.budgets) {
    const point: PlannedPoint = {
      family: 'morphnet',
      strength: job.strength,
      budget,
      target: job.target,
      threshold: job.threshold,
    };
    let expanded;
    try {
      expanded = expandSpec(seed, alive, { target: job.target, budget: budget * seedCost });
    } catch (e) {
      if (!(e instanceof ExpandError)) throw e;
      stepsDone += request.steps; // the retraining that will not happen
      useQueueStore.setState((s) => ({
        skipped: [...s.skipped, { label: `MorphNet ${sweepLabel(point)}`, reason: e.message }],
        done: s.done + 1,
        doneSteps: stepsDone,
      }));
      continue;
    }
    await trainFresh(
      run,
      d,
      `MorphNet ${sweepLabel(point)}`,
      'retraining the expanded network',
      expanded.spec,
      0,
      job.target,
    );
    const cost = networkCost(seed, alive);
    const settings: SweepPointSettings = { ...point, omega: expanded.omega };
    await keep(run, point, settings, expanded.spec, await d.evaluate(request.threshold), started, d, {
      alive,
      learned: { flops: cost.flops, params: cost.params },
    });
  }
}

/** This start's trained steps (the progress bar) and the current network's. */
let stepsDone = 0;
let phaseStep = 0;

const stale = (run: Run) => run.generation !== generation;

/** A new network (or fine-tuning) begins: its label, what it does, its steps. */
function begin(run: Run, label: string, task: string, steps: number, wait: string | null) {
  if (stale(run)) return;
  phaseStep = 0;
  lastShown = now();
  useQueueStore.setState({ current: { label, task, step: 0, steps, wait }, doneSteps: stepsDone });
}

function waiting(run: Run, wait: string | null) {
  if (stale(run)) return;
  useQueueStore.setState((s) => (s.current ? { current: { ...s.current, wait } } : {}));
}

function stepped(run: Run, force = false) {
  if (stale(run)) return;
  const t = now();
  if (!force && t - lastShown < PROGRESS_GAP_MS) return;
  lastShown = t;
  useQueueStore.setState((s) => ({
    doneSteps: stepsDone,
    current: s.current && { ...s.current, step: phaseStep, wait: null },
  }));
}

async function keep(
  run: Run,
  point: PlannedPoint,
  settings: SweepPointSettings,
  spec: NetworkSpec,
  testAccuracy: number | null,
  started: number,
  d: WorkerDriver,
  extra: Pick<PagePointRecord, 'alive' | 'learned'> = {},
) {
  const { context, request } = run;
  stepped(run, true);
  const cost = networkCost(spec);
  const record: PagePointRecord = {
    key: pointKey(context, request.steps, point),
    context,
    family: point.family,
    label: sweepLabel(point),
    settings,
    spec,
    widths: seedWidths(run.seed, spec),
    ...extra,
    flops: cost.flops,
    params: cost.params,
    testAccuracy,
    steps: request.steps,
    backend: d.backend,
    seconds: (now() - started) / 1000,
    savedAt: Date.now(),
  };
  // Shown only while the page still has the network it belongs to (it is kept either way).
  useQueueStore.setState((s) => ({
    points:
      s.context === context
        ? sortPoints([...s.points.filter((r) => r.key !== record.key), record])
        : s.points,
    done: s.done + 1,
  }));
  // Shown even if it cannot be kept (storage full, a private window): the page then says so.
  await savePoint(record, run.ports.dbName).catch((e: unknown) => notKept(e));
}

function fail(message: string) {
  driver?.terminate();
  driver = null;
  generation += 1;
  useQueueStore.setState({ phase: 'error', message, current: null });
  forgetProgress(); // resuming would only fail again
}

/** Ends the queue; finished points stay (and stay cached), the one in training is dropped. */
export function stopQueue(): void {
  generation += 1;
  driver?.terminate();
  driver = null;
  openGate();
  const { phase } = useQueueStore.getState();
  if (phase === 'running' || phase === 'paused') {
    useQueueStore.setState({ phase: 'stopped', current: null });
    forgetProgress(); // the person stopped it: the next visit does not start it again
  }
}

function openGate() {
  resume?.();
  resume = null;
  gate = null;
}

export function pauseQueue(): void {
  if (useQueueStore.getState().phase !== 'running') return;
  gate ??= new Promise((r) => (resume = r));
  useQueueStore.setState({ phase: 'paused' });
}

export function resumeQueue(): void {
  if (useQueueStore.getState().phase !== 'paused') return;
  if (useStudio.getState().running) toggleTraining();
  useQueueStore.setState({ phase: 'running' });
  openGate();
}

/** Only one thing trains at a time: the main run starting pauses the queue. */
function watchMainRun() {
  if (watching) return;
  watching = true;
  useStudio.subscribe((s, prev) => {
    if (s.running && !prev.running) pauseQueue();
  });
}

// The twin run's controller: two training workers, started through the same protocol and worker
// factory as the page's own, one per target of the chosen pair (FLOPs, size or latency, the last
// priced for the device the page has chosen), and otherwise the page's current settings: same
// seed network, seed (so the same initialization and data order), strength, threshold, lr, batch
// and backend. Module-level actions, like ../actions.ts.
//
// Each run is driven with single `step` requests, at most DEPTH in flight, rather than `train`:
// the worker's continuous training reads back every ~250 ms of steps and would overshoot the step
// count, while a twin is only a fair comparison when both runs stop at the same step. Both train
// at once, so both show progress; the worker's own event stream is folded by the page's reducer.
//
// Both runs are saved as they train (at most every SAVE_EVERY_MS, with the worker's latest
// checkpoint as their weights), on pause, stop and finish, and as the page goes away, so a reload
// mid-twin finds both in the runs list, resumable.
import type { Checkpoint } from '../../engine/types.ts';
import type { LatencySettings } from '../../morphnet/types.ts';
import type { WorkerEvent } from '../../protocol/messages.ts';
import { studioPorts, toggleTraining, type WorkerPort } from '../actions.ts';
import { superviseWorker, type DeathReport, type SavedCheckpoint } from '../supervisor.ts';
import { createEventQueue, reduceEvents, type Scheduler } from '../events.ts';
import { useStudio } from '../store.ts';
import { saveRunNow } from '../runs/runs.ts';
import { newRunId, type RunRecord } from '../runs/record.ts';
import { SAVE_EVERY_MS } from '../runs/recorder.ts';
import { onPageHide } from './hide.ts';
import { blankStore, project, twinConfig, twinLatency, type Driver } from './driver.ts';
import { runLabel } from './labels.ts';
import { twinRecord } from './save.ts';
import { emptyTwinRuns, useTwin, type TwinPair, type TwinTarget as Target } from './store.ts';

/** Step requests queued in a worker at once: keeps a GPU busy through each readback. */
const DEPTH = 2;

export interface TwinPorts {
  makeWorker: () => WorkerPort;
  dataBase: string;
}

let drivers: Driver[] = [];
let scheduler: Scheduler | undefined;
let ports: TwinPorts | null = null;
type Save = (record: RunRecord, checkpoint?: Checkpoint | null) => unknown;
/**
 * Blind writes committed at once (runs.ts saveRunNow), also while training: a read-then-write in
 * flight as the page goes away would hold up, and lose, the write made on pagehide.
 */
let save: Save = saveRunNow;
let saveNow: Save = saveRunNow;
let group = '';
let watching = false;

/** Tests inject a manual scheduler, fake workers and saves; the page uses the studio's own. */
export function configureTwin(options: {
  scheduler?: Scheduler;
  ports?: TwinPorts | null;
  save?: Save;
}): void {
  if (options.scheduler) scheduler = options.scheduler;
  if (options.ports !== undefined) ports = options.ports;
  if (options.save) save = saveNow = options.save;
}

const clock = () => (scheduler ?? { now: () => Date.now() }).now();

function apply(d: Driver, events: WorkerEvent[]) {
  d.folded = { ...d.folded, ...reduceEvents(d.folded, events) };
  if (!drivers.includes(d)) return;
  useTwin.setState((s) => ({ runs: { ...s.runs, [d.target]: project(d) } }));
  if (clock() - d.lastSave >= SAVE_EVERY_MS) saveDriver(d, save);
}

/** Writes the run as it is now, with the latest checkpoint if it is new and of this network. */
function saveDriver(d: Driver, write: Save) {
  const record = twinRecord(d, group);
  if (!record || record.step === 0) return;
  d.lastSave = clock();
  const c = d.checkpoint;
  const fresh =
    c && c !== d.savedCheckpoint && c.cycle.cycle === record.cycle && c.checkpoint.step <= record.step;
  if (fresh) d.savedCheckpoint = c;
  void Promise.resolve(write(record, fresh ? c.checkpoint : null)).then((r) => {
    // Not written (storage full): the checkpoint goes with the next save.
    if (r === null && fresh && d.savedCheckpoint === c) d.savedCheckpoint = null;
  });
}

function fail(d: Driver, message: string) {
  d.failed = true;
  const phase = useTwin.getState().phase;
  if (phase === 'stopped' || phase === 'error') return;
  useTwin.setState({ phase: 'error', message: `Twin ${runLabel(d.target)}: ${message}` });
}

/** Sends steps up to the step count, then asks a finished run to measure its test accuracy. */
function pump(d: Driver) {
  const { phase, steps } = useTwin.getState();
  if (phase !== 'training' || !d.ready || d.failed || d.finished) return;
  while (d.sent < steps && d.sent - d.trained < DEPTH) {
    d.worker.post({ type: 'step' });
    d.sent += 1;
  }
  if (d.trained < steps) return;
  d.finished = true;
  d.worker.post({ type: 'evaluate' });
  // A fence: an unchanged threshold makes a paused worker read back once more, after the
  // evaluation (requests run in order), so its reply means "all done".
  d.worker.post({ type: 'settings', patch: { threshold: d.settings.threshold } });
  d.awaiting = d.sent - d.trained + 1;
}

/** Both runs finished: save them and let their workers (and GPU memory) go. */
function finish() {
  flushTwin();
  useTwin.setState({ phase: 'done' });
  saveAll();
  release();
}

function saveAll(write: Save = save) {
  for (const d of drivers) saveDriver(d, write);
}

function receive(d: Driver, e: WorkerEvent) {
  if (!drivers.includes(d)) return;
  // Queued first, so a flush when the twin finishes includes this event.
  d.queue.push(e);
  switch (e.type) {
    case 'ready': {
      d.ready = true;
      // A new worker after a fault picks up at its checkpoint's step.
      d.sent = d.trained = e.step ?? 0;
      const phase = useTwin.getState().phase;
      if (phase === 'starting' && drivers.every((x) => x.ready || x === d)) {
        useTwin.setState({ phase: 'training' });
        drivers.forEach(pump);
      } else if (phase === 'training') pump(d);
      break;
    }
    case 'metrics':
      if (d.finished) {
        d.awaiting -= 1;
        if (d.awaiting <= 0 && drivers.every((x) => x.finished && x.awaiting <= 0)) finish();
        break;
      }
      d.trained = e.step;
      pump(d);
      break;
    case 'checkpoint':
      d.checkpoint = e;
      break;
    case 'error':
      // A rejected request leaves the run as it was; anything else ends this run.
      if (e.kind !== 'request') fail(d, e.message);
      break;
    default:
      break;
  }
}

/** A new worker for a run whose worker died: from its last checkpoint, then on to the step count. */
function restartRun(d: Driver, p: TwinPorts, saved: SavedCheckpoint | null) {
  d.ready = false;
  d.finished = false;
  d.awaiting = 0;
  const resume = saved ? { resume: saved.checkpoint, resumeCycle: saved.cycle } : {};
  return [
    { type: 'init' as const, config: twinConfig(d.target, d.latency), dataBase: p.dataBase, ...resume },
  ];
}

function runDied(d: Driver, report: DeathReport) {
  if (!drivers.includes(d)) return;
  if (report.restarting) useTwin.setState({ message: `Twin ${runLabel(d.target)}: ${report.message}` });
  else fail(d, report.message);
}

function spawn(target: Target, p: TwinPorts, latency: LatencySettings | null): Driver {
  const d: Driver = {
    target,
    worker: superviseWorker(
      p.makeWorker,
      {
        onEvent: (e) => receive(d, e),
        restart: (saved) => restartRun(d, p, saved),
        onDeath: (report) => runDied(d, report),
      },
      { name: `twin ${runLabel(target)}'s worker` },
    ),
    queue: createEventQueue((events) => apply(d, events), scheduler),
    folded: blankStore(),
    ready: false,
    sent: 0,
    trained: 0,
    finished: false,
    awaiting: 0,
    failed: false,
    settings: { ...useStudio.getState().settings, target },
    latency,
    importedSpec: useStudio.getState().importedSpec !== null,
    runId: newRunId(),
    createdAt: new Date().toISOString(),
    checkpoint: null,
    savedCheckpoint: null,
    lastSave: -Infinity,
  };
  d.worker.post({ type: 'init', config: twinConfig(target, latency), dataBase: p.dataBase });
  return d;
}

function release() {
  for (const d of drivers) {
    d.queue.flush();
    d.worker.stop();
  }
  drivers = [];
}

/** Only one thing trains at a time: the main run starting pauses the twin. */
function watchMainRun() {
  if (watching) return;
  watching = true;
  useStudio.subscribe((s, prev) => {
    if (s.running && !prev.running && useTwin.getState().phase === 'training') pauseTwin();
  });
}

/** Starts both runs of the chosen pair from the page's current settings, pausing the main run. */
export function startTwin(steps = useTwin.getState().steps): void {
  const p = ports ?? studioPorts();
  if (!p) {
    useTwin.setState({ message: 'Twin run: the page has not started its training worker yet.' });
    return;
  }
  const { pair } = useTwin.getState();
  const latency = twinLatency(pair);
  if (latency === undefined) return;
  release();
  if (useStudio.getState().running) toggleTraining();
  group = `twin-${Date.now().toString(36)}`;
  useTwin.setState({
    phase: 'starting',
    steps,
    message: null,
    shown: pair,
    runs: emptyTwinRuns(),
  });
  drivers = pair.map((t) => spawn(t, p, latency));
  watchMainRun();
  onPageHide(() => {
    flushTwin();
    saveAll(saveNow);
  });
}

export function pauseTwin(): void {
  if (useTwin.getState().phase !== 'training') return;
  useTwin.setState({ phase: 'paused' });
  // Steps already queued finish; a paused worker evaluates when that is cheap.
  for (const d of drivers) if (!d.finished && !d.failed) d.worker.post({ type: 'pause' });
  flushTwin();
  saveAll();
}

export function resumeTwin(): void {
  if (useTwin.getState().phase !== 'paused') return;
  if (useStudio.getState().running) toggleTraining();
  useTwin.setState({ phase: 'training' });
  drivers.forEach(pump);
}

/** Ends both workers; what they learned stays shown and is saved. */
export function stopTwin(): void {
  const { phase } = useTwin.getState();
  if (phase !== 'starting' && phase !== 'training' && phase !== 'paused') return;
  flushTwin();
  saveAll();
  release();
  useTwin.setState((s) => ({
    phase: 'stopped',
    runs: {
      flops: { ...s.runs.flops, progress: null },
      size: { ...s.runs.size, progress: null },
      latency: { ...s.runs.latency, progress: null },
    },
  }));
}

/** Chooses the two targets of the next twin (a running twin keeps its own). */
export function setTwinPair(pair: TwinPair): void {
  useTwin.setState({ pair, message: null });
}

/** Sets the step count for the next twin (or the running one, if not yet past it). */
export function setTwinSteps(steps: number): void {
  useTwin.setState({ steps, message: null });
  drivers.forEach(pump);
}

export function rejectTwinSteps(message: string): void {
  useTwin.setState({ message });
}

/** Applies queued worker events now (tests; the page relies on the scheduled flush). */
export function flushTwin(): void {
  for (const d of drivers) d.queue.flush();
}

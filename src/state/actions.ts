// What controls do: module-level actions (zustand's "no store actions" guide). They update the
// store, keep the URL in step with the settings, and send requests to the worker.
import type { NetworkSpec } from '../morphnet/types.ts';
import type { DebugAction, LiveSettings, Request, RunConfig } from '../protocol/messages.ts';
import { createEventQueue, reduceEvents, type Scheduler } from './events.ts';
import { initialMetrics, initialRun, useStudio, type RunFault } from './store.ts';
import { superviseWorker, type DeathReport, type SavedCheckpoint, type Supervised, type WorkerPort } from './supervisor.ts';
import { parseSettings, serializeSettings, type StudioSettings } from './url.ts';
import { networkLatency } from '../morphnet/latency.ts';
import { latencySettings } from './latency.ts';
import { configTarget, latencyEvent, sendTargetAndLatency } from './latency-actions.ts';
import { startFromUrl, startsTrained, startWeightsNow, whenStartReady } from './pretrained/start.ts';

export type { WorkerPort } from './supervisor.ts';

/** Where the settings are read from and written to: the address bar, or a stub in tests. */
export interface UrlPort {
  read(): string;
  write(search: string): void;
}

interface Connection {
  makeWorker: () => WorkerPort;
  url: UrlPort;
  dataBase: string;
  worker: Supervised;
  queue: ReturnType<typeof createEventQueue>;
}

let connection: Connection | null = null;
/** Whether the worker that just died was training: its successor trains on. */
let trainAfterRestart = false;

/**
 * What happens to the run the page is training, said *before* the store changes, so a listener
 * (the saved-runs recorder) can still read the run as it was: `new-run` when the page asks for a
 * new network (start, a structural setting, an imported spec, reset), `retrain` when an expansion
 * starts the next cycle. A pause needs no word: the store's `running` turning false says it.
 */
export type RunChange = 'new-run' | 'retrain';
const runListeners = new Set<(change: RunChange) => void>();
export function onRunChange(listener: (change: RunChange) => void): () => void {
  runListeners.add(listener);
  return () => runListeners.delete(listener);
}
function runChanges(change: RunChange) {
  for (const l of runListeners) l(change);
}

const LIVE_KEYS = [
  'target',
  'strength',
  'threshold',
  'lr',
] as const satisfies readonly (keyof LiveSettings)[];
type LiveKey = (typeof LIVE_KEYS)[number];
function isLive(key: keyof StudioSettings): key is LiveKey {
  return (LIVE_KEYS as readonly string[]).includes(key);
}

function send(request: Request): void {
  connection?.worker.post(request);
}

/** `send` for the other action modules (./latency-actions.ts). */
export function sendRequest(request: Request): void {
  send(request);
}

/** What a worker is built with: the page's settings and network (the twin reuses it per target). */
export function runConfig(): RunConfig {
  const { settings, importedSpec } = useStudio.getState();
  return {
    backend: settings.backend,
    net: importedSpec ? { kind: 'spec', spec: importedSpec } : { kind: 'builtin', name: settings.net },
    dataset: settings.dataset,
    settings: {
      ...configTarget(),
      strength: settings.strength,
      threshold: settings.threshold,
      lr: settings.lr,
      batch: settings.batch,
      seed: settings.seed,
    },
  };
}

/** A new worker picks the run up from its last checkpoint (or starts it over when there is none). */
function restartRequests(c: Omit<Connection, 'worker'>, saved: SavedCheckpoint | null): Request[] {
  const init: Request = {
    type: 'init',
    config: runConfig(),
    dataBase: c.dataBase,
    ...(saved ? { resume: saved.checkpoint, resumeCycle: saved.cycle } : withStart(startWeightsNow(runConfig()))),
  };
  return trainAfterRestart ? [init, { type: 'train' }] : [init];
}

/** The worker died: say so, mark the run, and wait for its successor (or for Try again). */
function workerDied(c: Omit<Connection, 'worker'>, report: DeathReport) {
  // Whatever the dead worker said last is folded first, so the run's marks stay in order.
  c.queue.flush();
  const s = useStudio.getState();
  // A worker that dies while its predecessor's restart is still starting keeps that one's intent.
  trainAfterRestart = s.running || (trainAfterRestart && !s.ready);
  const fault: RunFault = { kind: report.kind, step: report.step, restored: report.restored, message: report.message };
  const last = s.faults.at(-1);
  // A lost device is reported by the worker first; the restart completes that same mark.
  const faults = report.kind === 'device-lost' && last?.kind === 'device-lost' ? [...s.faults.slice(0, -1), fault] : [...s.faults, fault];
  useStudio.setState({
    ready: false,
    running: false,
    progress: {},
    faults,
    ...(report.restarting
      ? { notice: report.message }
      : { notice: null, error: { kind: 'worker', message: report.message } }),
  });
}

function supervise(c: Omit<Connection, 'worker'>): Supervised {
  return superviseWorker(c.makeWorker, {
    onEvent: (e) => {
      c.queue.push(e);
      if (e.type === 'device' || e.type === 'backend') latencyEvent(e);
      if (e.type !== 'error' || e.kind !== 'spec') return;
      // A rejected import with no network left to show (its build failed, not its checks): the
      // reducer dropped it, so the page goes back to its built-in network rather than sit there.
      c.queue.flush();
      if (!useStudio.getState().ready) rebuild();
    },
    restart: (saved) => restartRequests(c, saved),
    onDeath: (report) => workerDied(c, report),
  });
}

/** A fresh init's starting weights ("Start from", state/pretrained), when it has any. */
const withStart = (initialWeights: ReturnType<typeof startWeightsNow>) => (initialWeights ? { initialWeights } : {});

/** A fresh run's init, sent once its starting weights are fetched and checked (at once when untrained). */
function sendInit(dataBase: string) {
  whenStartReady(runConfig(), (w) => send({ type: 'init', config: runConfig(), dataBase, ...withStart(w) }));
}

/** A new run starts: the old run's marks and notices go with it. */
const freshRun = { faults: [], notice: null, error: null, lastCheckpoint: null, checkpointCycle: null };

/** Reads the URL, starts the worker and builds the first network. */
export function startStudio(
  makeWorker: () => WorkerPort,
  url: UrlPort,
  dataBase: string,
  scheduler?: Scheduler,
) {
  connection?.worker.stop();
  runChanges('new-run');
  const { settings, invalid, warnings } = parseSettings(url.read());
  // Unknown and repeated keys are shown with the invalid values, and clear the same way.
  useStudio.setState({ settings, invalid: [...invalid, ...warnings, ...startFromUrl(url)], ...initialRun, ...initialMetrics });
  const queue = createEventQueue((events) => useStudio.setState((s) => reduceEvents(s, events)), scheduler);
  const partial = { makeWorker, url, dataBase, queue };
  trainAfterRestart = false;
  connection = { ...partial, worker: supervise(partial) };
  sendInit(dataBase);
  return connection;
}

/** Applies queued worker events now (tests; the page relies on the scheduled flush). */
export function flushEvents(): void {
  connection?.queue.flush();
}

function writeUrl(settings: StudioSettings) {
  if (!connection) return;
  connection.url.write(serializeSettings(settings, new URLSearchParams(connection.url.read())));
}

/** Rebuilds from the seed with the current settings (a new run); the worker keeps its backend. */
function rebuild() {
  if (!connection) return;
  runChanges('new-run');
  trainAfterRestart = false;
  useStudio.setState({ ...initialMetrics, ...freshRun, ready: false, running: false, step: 0, cycle: 0 });
  sendInit(connection.dataBase);
}

/**
 * Changes one setting. Target, strength, threshold and learning rate take effect at the next
 * step, mid-run; the others (dataset, network, batch, seed) start a new run, and a backend change
 * starts a new worker, since tfjs cannot cleanly swap backends under a live model.
 */
export function setSetting<K extends keyof StudioSettings>(key: K, value: StudioSettings[K]): void {
  const { settings: before, importedSpec } = useStudio.getState();
  // Choosing the built-in network the page had before an import brings it back: the import goes.
  if (before[key] === value && !(key === 'net' && importedSpec !== null)) return;
  const settings = { ...before, [key]: value };
  // A URL value that was rejected is no longer in force once the person sets it.
  const invalid = useStudio.getState().invalid.filter((i) => i.key !== key);
  useStudio.setState({
    settings,
    invalid,
    ...(key === 'net' ? { importedSpec: null, specError: null } : {}),
  });
  writeUrl(settings);
  if (isLive(key)) {
    // The target goes with the latency settings it may need (or waits for this device's measurement).
    if (key === 'target') sendTargetAndLatency();
    else send({ type: 'settings', patch: { [key]: value } });
    if (key === 'target') useStudio.setState({ budget: null, preview: null });
  } else if (key === 'backend' && connection) {
    connection.worker.replace();
    useStudio.setState({ ...initialRun });
    rebuild();
  } else rebuild();
}

/** Uses a spec the page has already parsed and validated (ui/SpecImport does that). */
export function applyImportedSpec(spec: NetworkSpec): void {
  useStudio.setState({ importedSpec: spec, specError: null });
  rebuild();
}

export function rejectImportedSpec(message: string): void {
  useStudio.setState({ specError: message });
}

export function toggleTraining(): void {
  const { running, ready } = useStudio.getState();
  if (!ready) return;
  // Optimistic: the button flips at once; the worker's `running` event confirms it.
  useStudio.setState({ running: !running });
  send({ type: running ? 'pause' : 'train' });
}

export function stepOnce(): void {
  const { running, ready } = useStudio.getState();
  if (!ready || running) return;
  send({ type: 'step' });
}

/**
 * Back to a fresh run of the seed. It always works: with no network ready (a worker still
 * starting, or one the page gave up on) or after an error, a new worker starts the run over.
 */
export function resetRun(): void {
  const { ready, error } = useStudio.getState();
  if (!connection) return;
  // Trained starting weights come with an init: the worker's own reset starts untrained.
  if (ready && error === null && startsTrained(runConfig())) return rebuild();
  if (!ready || error !== null) {
    // tfjs cannot recover a lost GPU device, nor the page a stuck worker: a new worker starts clean.
    connection.worker.replace();
    useStudio.setState({ ...initialRun });
    rebuild();
    return;
  }
  runChanges('new-run');
  useStudio.setState({ ...initialMetrics, ...freshRun, running: false, ready: false, step: 0 });
  send({ type: 'reset' });
}

/** "Try again" after the page gave up on its worker: a new one, from the last checkpoint. */
export function retryWorker(): void {
  if (!connection) return;
  useStudio.setState({ error: null, ready: false, running: false, progress: {} });
  connection.worker.retry();
}

/** Closes the banner of a fault or an error; the run is not changed. */
export function dismissNotice(which: 'notice' | 'error'): void {
  useStudio.setState(which === 'notice' ? { notice: null } : { error: null });
}

/**
 * Faults on demand for the end-to-end tests (ui/testApi.ts): `terminate` ends the worker behind
 * the supervisor's back; the others ask the worker, which honours them only under test.
 */
export function debugWorker(action: DebugAction | 'terminate'): void {
  if (!connection) return;
  if (action === 'terminate') connection.worker.kill();
  else send({ type: 'debug', action });
}

/** The budget ζ the dialog starts from: the seed's own cost under the current target (§1). */
export function defaultBudget(): number | null {
  const s = useStudio.getState();
  const { seedCost, settings } = s;
  if (!seedCost) return null;
  if (settings.target === 'latency') {
    const latency = latencySettings(s);
    // Whole ns, as the budget field takes it.
    return latency && s.seedSpec ? Math.round(networkLatency(s.seedSpec, undefined, latency).latencyNs) : null;
  }
  return settings.target === 'flops' ? seedCost.flops : seedCost.params;
}

export function openExpand(): void {
  const { ready, running } = useStudio.getState();
  if (!ready) return;
  if (running) toggleTraining();
  const budget = useStudio.getState().budget ?? defaultBudget();
  useStudio.setState({ expandOpen: true, budget, preview: null, expanding: budget !== null });
  if (budget !== null) send({ type: 'expand-preview', budget });
}

export function setBudget(budget: number): void {
  if (!(budget > 0)) return;
  useStudio.setState({ budget, expanding: true });
  send({ type: 'expand-preview', budget });
}

export function closeExpand(): void {
  useStudio.setState({ expandOpen: false });
}

export function retrain(): void {
  const { budget, preview } = useStudio.getState();
  if (budget === null || !preview) return;
  runChanges('retrain');
  useStudio.setState({ expandOpen: false, ready: false, running: false });
  send({ type: 'retrain', budget });
}

/** The worker factory and data folder the page started with, so other runs (the twin) reuse them. */
export function studioPorts(): { makeWorker: () => WorkerPort; dataBase: string } | null {
  return connection ? { makeWorker: connection.makeWorker, dataBase: connection.dataBase } : null;
}

type InitOf = Extract<Request, { type: 'init' }>;

/**
 * Continues a saved run (the runs list's Resume, src/state/runs/resume.ts): its settings become
 * the page's (the backend stays the page's: a checkpoint is plain numbers), and the worker builds
 * the run's network from the checkpoint instead of afresh.
 */
export function resumeSavedRun(
  settings: StudioSettings,
  importedSpec: NetworkSpec | null,
  resume: NonNullable<InitOf['resume']>,
  resumeCycle: NonNullable<InitOf['resumeCycle']>,
): void {
  if (!connection) return;
  const merged = { ...settings, backend: useStudio.getState().settings.backend };
  runChanges('new-run');
  trainAfterRestart = false;
  useStudio.setState({
    settings: merged,
    invalid: [],
    importedSpec,
    specError: null,
    ...initialMetrics,
    ...freshRun,
    ready: false,
    running: false,
    step: 0,
    cycle: 0,
  });
  writeUrl(merged);
  send({ type: 'init', config: runConfig(), dataBase: connection.dataBase, resume, resumeCycle });
}

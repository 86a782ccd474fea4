// What controls do: module-level actions (zustand's "no store actions" guide). They update the
// store, keep the URL in step with the settings, and send requests to the worker.
import type { NetworkSpec } from '../morphnet/types.ts';
import type { LiveSettings, Request, RunConfig, WorkerEvent } from '../protocol/messages.ts';
import { createEventQueue, reduceEvents, type Scheduler } from './events.ts';
import { initialMetrics, initialRun, useStudio } from './store.ts';
import { parseSettings, serializeSettings, type StudioSettings } from './url.ts';

/** The part of a Worker the page uses (a fake one in tests). */
export interface WorkerPort {
  postMessage(message: Request): void;
  onmessage: ((event: MessageEvent<WorkerEvent>) => void) | null;
  terminate(): void;
}

/** Where the settings are read from and written to: the address bar, or a stub in tests. */
export interface UrlPort {
  read(): string;
  write(search: string): void;
}

interface Connection {
  makeWorker: () => WorkerPort;
  url: UrlPort;
  dataBase: string;
  worker: WorkerPort;
  queue: ReturnType<typeof createEventQueue>;
}

let connection: Connection | null = null;

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
  connection?.worker.postMessage(request);
}

/** What a worker is built with: the page's settings and network (the twin reuses it per target). */
export function runConfig(): RunConfig {
  const { settings, importedSpec } = useStudio.getState();
  return {
    backend: settings.backend,
    net: importedSpec ? { kind: 'spec', spec: importedSpec } : { kind: 'builtin', name: settings.net },
    dataset: settings.dataset,
    settings: {
      target: settings.target,
      strength: settings.strength,
      threshold: settings.threshold,
      lr: settings.lr,
      batch: settings.batch,
      seed: settings.seed,
    },
  };
}

function spawn(c: Omit<Connection, 'worker'>): WorkerPort {
  const worker = c.makeWorker();
  worker.onmessage = (event) => c.queue.push(event.data);
  return worker;
}

/** Reads the URL, starts the worker and builds the first network. */
export function startStudio(
  makeWorker: () => WorkerPort,
  url: UrlPort,
  dataBase: string,
  scheduler?: Scheduler,
) {
  connection?.worker.terminate();
  runChanges('new-run');
  const { settings, invalid } = parseSettings(url.read());
  useStudio.setState({ settings, invalid, ...initialRun, ...initialMetrics });
  const queue = createEventQueue((events) => useStudio.setState((s) => reduceEvents(s, events)), scheduler);
  const partial = { makeWorker, url, dataBase, queue };
  connection = { ...partial, worker: spawn(partial) };
  send({ type: 'init', config: runConfig(), dataBase });
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
  useStudio.setState({ ...initialMetrics, ready: false, running: false, step: 0, cycle: 0, error: null });
  send({ type: 'init', config: runConfig(), dataBase: connection.dataBase });
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
    send({ type: 'settings', patch: { [key]: value } });
    if (key === 'target') useStudio.setState({ budget: null, preview: null });
  } else if (key === 'backend' && connection) {
    connection.worker.terminate();
    useStudio.setState({ ...initialRun });
    connection.worker = spawn(connection);
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

export function resetRun(): void {
  const { ready, error } = useStudio.getState();
  if (error?.kind === 'device' && connection) {
    // tfjs cannot recover a lost GPU device: a new worker gets a new one.
    connection.worker.terminate();
    useStudio.setState({ ...initialRun });
    connection.worker = spawn(connection);
    rebuild();
    return;
  }
  if (!ready) return;
  runChanges('new-run');
  useStudio.setState({ ...initialMetrics, running: false, ready: false, step: 0 });
  send({ type: 'reset' });
}

/** The budget ζ the dialog starts from: the seed's own cost under the current target (§1). */
export function defaultBudget(): number | null {
  const { seedCost, settings } = useStudio.getState();
  if (!seedCost) return null;
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

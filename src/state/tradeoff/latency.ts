// The trade-off chart's measured-latency axis (issue 13): each point's network timed on this
// device, a forward pass at every channel it has with the page's latency batch, in a worker of
// its own (the `time-network` request), one network after the other, the seed first. Timings are
// kept per network (its spec's hash), batch and backend for the visit, so switching axes or
// sweeps back and forth times nothing twice. The main run is paused while it times: two things on
// one device would slow each other's clocks.
import { create } from 'zustand';
import type { SweepFile } from '../../morphnet/sweep.ts';
import type { NetworkSpec } from '../../morphnet/types.ts';
import { runConfig, studioPorts, toggleTraining, type WorkerPort } from '../actions.ts';
import { useStudio } from '../store.ts';
import { DriverStopped, WorkerDriver } from './driver.ts';
import { hashString } from './queue.ts';

export interface MeasuredLatency {
  medianMs: number;
  runs: number;
}

export interface TradeoffLatencyState {
  /** Timings by `latencyKey`. */
  times: Record<string, MeasuredLatency>;
  /** The backend the timings are of (the timing worker's), once one has run. */
  backend: string | null;
  /** Timing in progress: networks timed of those asked for, and what the worker waits on. */
  timing: { done: number; total: number; wait: string | null } | null;
  /** The last timing's failure, one line; the timings made before it stay. */
  error: string | null;
}

export const useTradeoffLatency = create<TradeoffLatencyState>()(() => ({
  times: {},
  backend: null,
  timing: null,
  error: null,
}));

export const latencyKey = (spec: NetworkSpec, batch: number, backend: string | null) =>
  `${backend ?? '?'}|${batch}|${hashString(JSON.stringify(spec))}`;

/** The measured time of `spec` at `batch` on the backend timed last, or undefined. */
export function measuredLatency(spec: NetworkSpec, batch: number): MeasuredLatency | undefined {
  const s = useTradeoffLatency.getState();
  return s.times[latencyKey(spec, batch, s.backend)];
}

interface Ports {
  makeWorker: () => WorkerPort;
  dataBase: string;
}
let ports: Ports | null = null;
let driver: WorkerDriver | null = null;

/** Tests inject fake workers; the page uses the studio's own factory. */
export function configureTradeoffLatency(options: { ports: Ports | null }): void {
  ports = options.ports;
}

/** The seed's and every point's network, each once, the seed first. */
export function sweepNetworks(sweep: SweepFile): NetworkSpec[] {
  const seen = new Set<string>();
  const out: NetworkSpec[] = [];
  for (const spec of [sweep.seed.spec, ...sweep.points.map((p) => p.spec)]) {
    const k = JSON.stringify(spec);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(spec);
  }
  return out;
}

/**
 * Times every network of `sweep` not timed yet at the page's latency batch. Resolves when done,
 * failed or stopped; a second call while one runs does nothing.
 */
export async function timeSweep(sweep: SweepFile): Promise<void> {
  if (useTradeoffLatency.getState().timing) return;
  const p = ports ?? studioPorts();
  if (!p) {
    useTradeoffLatency.setState({
      error: 'Measured latency: the page has not started its training worker yet.',
    });
    return;
  }
  const batch = useStudio.getState().latency.batch;
  // Before a worker says its backend, the page's own is the best guess at what is kept.
  const guess = useTradeoffLatency.getState().backend ?? useStudio.getState().backend;
  const missing = sweepNetworks(sweep).filter(
    (s) => !useTradeoffLatency.getState().times[latencyKey(s, batch, guess)],
  );
  if (missing.length === 0) {
    useTradeoffLatency.setState({ backend: guess, error: null });
    return;
  }
  if (useStudio.getState().running) toggleTraining();
  const timing = { done: 0, total: missing.length, wait: null as string | null };
  useTradeoffLatency.setState({ timing, error: null });
  const d = new WorkerDriver(p.makeWorker, {
    onWait: (wait) => useTradeoffLatency.setState((s) => (s.timing ? { timing: { ...s.timing, wait } } : {})),
  });
  driver = d;
  try {
    await d.init(runConfig(), p.dataBase);
    const backend = d.backend;
    useTradeoffLatency.setState({ backend });
    for (const spec of missing) {
      const key = latencyKey(spec, batch, backend);
      if (!useTradeoffLatency.getState().times[key]) {
        const t = await d.timeNetwork(spec, batch);
        useTradeoffLatency.setState((s) => ({
          times: { ...s.times, [key]: { medianMs: t.medianMs, runs: t.runs } },
        }));
      }
      useTradeoffLatency.setState((s) =>
        s.timing ? { timing: { ...s.timing, done: s.timing.done + 1 } } : {},
      );
    }
  } catch (err) {
    if (!(err instanceof DriverStopped)) {
      useTradeoffLatency.setState({
        error: `Measured latency: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  } finally {
    d.terminate();
    if (driver === d) driver = null;
    useTradeoffLatency.setState({ timing: null });
  }
}

/** Stops timing (the worker is let go); what was timed stays. */
export function stopTimingSweep(): void {
  driver?.terminate();
}

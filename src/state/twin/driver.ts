// One twin run's driver: its worker, its folded events and its place in the step count, and the
// pure pieces around it (the worker's config, the store projection). The lifecycle is
// ./controller.ts's.
import type { LatencySettings } from '../../morphnet/types.ts';
import { networkLatency } from '../../morphnet/latency.ts';
import type { CheckpointEvent, RunConfig } from '../../protocol/messages.ts';
import { runConfig } from '../actions.ts';
import { latencySettings } from '../latency.ts';
import { measureDevice } from '../latency-actions.ts';
import type { createEventQueue } from '../events.ts';
import { initialMetrics, initialRun, useStudio, type Store } from '../store.ts';
import type { Supervised } from '../supervisor.ts';
import type { StudioSettings } from '../url.ts';
import { useTwin, type TwinPair, type TwinRun, type TwinTarget } from './store.ts';

export interface Driver {
  target: TwinTarget;
  worker: Supervised;
  queue: ReturnType<typeof createEventQueue>;
  /** The run's events folded by the page's own reducer into a private store. */
  folded: Store;
  ready: boolean;
  sent: number;
  trained: number;
  /** The step count is reached and the worker was asked to evaluate. */
  finished: boolean;
  /** Readbacks still expected after finishing: steps in flight, then the fence's. */
  awaiting: number;
  failed: boolean;
  settings: StudioSettings;
  /**
   * The device the page priced latency for when the twin started (null while unknown): what a
   * latency run trains against, also after a restart, and what every run's latency is shown on.
   */
  latency: LatencySettings | null;
  importedSpec: boolean;
  runId: string;
  createdAt: string;
  /** The worker's latest checkpoint, and the one last written with the run. */
  checkpoint: CheckpointEvent | null;
  savedCheckpoint: CheckpointEvent | null;
  lastSave: number;
}

/** The page's own config with this run's target, and the latency settings fixed at the start. */
export function twinConfig(target: TwinTarget, latency: LatencySettings | null): RunConfig {
  const config = runConfig();
  const { latency: _pageLatency, ...settings } = config.settings;
  return { ...config, settings: { ...settings, target, ...(latency ? { latency } : {}) } };
}

/**
 * The device a twin of `pair` prices latency for: the page's choice now (null while unknown),
 * or undefined when the pair has a latency run and "this device" is not measured yet: then it
 * is measured, and the person is told to start again.
 */
export function twinLatency(pair: TwinPair): LatencySettings | null | undefined {
  const latency = latencySettings(useStudio.getState());
  if (latency || !pair.includes('latency')) return latency;
  if (!useStudio.getState().measuringDevice) measureDevice();
  useTwin.setState({
    message:
      'Twin run: the latency run needs this device measured first; it is being measured now, start again in a moment.',
  });
  return undefined;
}

/** A store shaped like the page's, so the page's event folding applies unchanged. */
export function blankStore(): Store {
  return {
    ...useStudio.getState(),
    ...initialRun,
    ...initialMetrics,
    invalid: [],
    importedSpec: null,
    specError: null,
    expandOpen: false,
    budget: null,
    preview: null,
    expanding: false,
  };
}

export function project(d: Driver): TwinRun {
  const s = d.folded;
  const progress = Object.values(s.progress).find((p) => p !== undefined);
  const priced = (spec: typeof s.spec, alive?: typeof s.alive) =>
    spec && d.latency ? networkLatency(spec, alive, d.latency).latencyNs : null;
  return {
    target: d.target,
    ready: s.ready,
    step: s.step,
    backend: s.backend,
    spec: s.spec,
    seedSpec: s.seedSpec,
    alive: s.alive,
    cost: s.cost,
    seedCost: s.seedCost,
    latencyNs: priced(s.spec, s.alive),
    seedLatencyNs: priced(s.seedSpec),
    latency: d.target === 'latency' ? d.latency : null,
    testAccuracy: s.testAccuracy,
    stepMs: s.stepMs,
    progress: progress?.label ?? null,
    error: s.error?.message ?? s.specError,
  };
}

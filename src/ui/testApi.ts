// window.__studio: a small typed read-only view of the page for end-to-end tests (tldraw's e2e
// fixtures), so tests assert on state rather than scraping text, and `fault()` to inject the
// faults the page must survive (e2e/faults.spec.ts).
import type { AliveCounts, Target } from '../morphnet/types.ts';
import type { AdapterDescription, BackendName, Cost, DebugAction } from '../protocol/messages.ts';
import { debugWorker } from '../state/actions.ts';
import type { RunSummary } from '../state/runs/record.ts';
import { failWritesForTest } from '../state/runs/repository.ts';
import { useRuns } from '../state/runs/runs.ts';
import { useStudio, type RunFault } from '../state/store.ts';
import { twinTestState, type TwinTestState } from './twin/testState.ts';
import { emptyRecord } from '../morphnet/records.ts';
import type { DeviceMeasurement } from '../engine/device-probe.ts';
import { predictedVsMeasured, type PredictedMeasured } from '../state/latency.ts';
import { currentFrame, replayTestState, useReplay } from '../state/replay/store.ts';

/** A saved run as the runs list shows it (`seed` is its settings' random seed). */
export type StudioTestRun = Pick<
  RunSummary,
  'id' | 'name' | 'target' | 'seed' | 'step' | 'cycle' | 'alive' | 'cost' | 'testAccuracy'
>;

export interface StudioTestState {
  ready: boolean;
  backend: BackendName | null;
  adapter: AdapterDescription | null;
  backendNote: string | null;
  running: boolean;
  step: number;
  cycle: number;
  target: Target;
  strength: number;
  threshold: number;
  seedCost: Cost | null;
  cost: Cost | null;
  alive: AliveCounts;
  /** Full widths of the network training now, per conv layer. */
  widths: Record<string, number>;
  testAccuracy: number | null;
  /** Mean |γ| per layer: a cheap fingerprint that changes as training moves the scales. */
  gammaMeans: Record<string, number>;
  progress: string[];
  budget: number | null;
  expansion: { omega: number; budget: number; cost: Cost; widths: AliveCounts } | null;
  error: string | null;
  /** `worker` when the page gave up restarting its worker. */
  errorKind: string | null;
  /** The latest recovered fault, in the words the page shows. */
  notice: string | null;
  faults: RunFault[];
  /** The step of the main run's last checkpoint. */
  checkpointStep: number | null;
  specError: string | null;
  invalid: string[];
  /** Saved runs, as the runs list shows them: pinned first, then newest first. */
  runs: StudioTestRun[];
  /** The twin run (FLOPs and size side by side), from ./twin/testState.ts. */
  twin: TwinTestState;
  /** The recorded run on screen (then `alive` is its widths at `step`), or null. */
  replay: { playing: boolean; step: number; steps: number; source: string } | null;
  /** The latency target: what it prices for, this device as measured, the last predicted-vs-measured numbers. */
  latency: {
    priceFor: string;
    batch: number;
    device: DeviceMeasurement | null;
    measuring: boolean;
    predictedVsMeasured: PredictedMeasured | null;
  };
}

export function testState(): StudioTestState {
  const s = useStudio.getState();
  // Under a recording, `alive` is what its diagram shows, read as a live run's would be.
  const replay = replayTestState();
  const r = useReplay.getState();
  const recorded = replay ? currentFrame(r.shown, r) : null;
  const widths = emptyRecord<number>(); // keyed by layer names, `__proto__` included
  for (const l of s.spec?.layers ?? []) if (l.type === 'conv') widths[l.name] = l.filters;
  const gammaMeans = emptyRecord<number>();
  for (const [k, v] of Object.entries(s.gammas))
    gammaMeans[k] = v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
  return {
    ready: s.ready,
    backend: s.backend,
    adapter: s.adapter,
    backendNote: s.backendNote,
    running: s.running,
    step: s.step,
    cycle: s.cycle,
    target: s.settings.target,
    strength: s.settings.strength,
    threshold: s.settings.threshold,
    seedCost: s.seedCost,
    cost: s.cost,
    alive: recorded ? { ...recorded.alive } : s.alive,
    widths,
    testAccuracy: s.testAccuracy,
    gammaMeans,
    progress: Object.keys(s.progress),
    budget: s.budget,
    expansion: s.preview
      ? { omega: s.preview.omega, budget: s.preview.budget, cost: s.preview.cost, widths: s.preview.widths }
      : null,
    error: s.error?.message ?? null,
    errorKind: s.error?.kind ?? null,
    notice: s.notice,
    faults: s.faults,
    checkpointStep: s.lastCheckpoint?.step ?? null,
    specError: s.specError,
    invalid: s.invalid.map((i) => i.key),
    runs: useRuns.getState().runs.map((r) => ({
      id: r.id,
      name: r.name,
      target: r.target,
      seed: r.seed,
      step: r.step,
      cycle: r.cycle,
      alive: r.alive,
      cost: r.cost,
      testAccuracy: r.testAccuracy,
    })),
    twin: twinTestState(),
    replay,
    latency: {
      priceFor: s.latency.priceFor,
      batch: s.latency.batch,
      device: s.device,
      measuring: s.measuringDevice,
      predictedVsMeasured: s.inference && s.device ? predictedVsMeasured(s.inference, s.device) : null,
    },
  };
}

declare global {
  interface Window {
    __studio?: {
      getState: () => StudioTestState;
      /**
       * `terminate` ends the training worker as a crash would; `storage-full` makes every save
       * fail as a full disk does until `storage-ok`; the rest the worker does itself. Under test only.
       */
      fault: (action: TestFault) => void;
    };
  }
}

export type TestFault = DebugAction | 'terminate' | 'storage-full' | 'storage-ok';

/** The same test as main.tsx's: `?test=1`, or the flag e2e/helpers.ts underTest sets. */
const underTest = () =>
  new URLSearchParams(window.location.search).get('test') === '1' ||
  (window as { __studioTest?: boolean }).__studioTest === true;

function fault(action: TestFault): void {
  if (action === 'storage-full' || action === 'storage-ok') {
    if (underTest()) failWritesForTest(action === 'storage-full');
    return;
  }
  debugWorker(action);
}

export function installTestApi(): void {
  window.__studio = { getState: testState, fault };
}

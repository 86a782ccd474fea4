// One zustand store made of typed slices (STYLE.md). The slices hold data only; the actions that
// worker events and controls trigger live at module level in ./actions.ts and ./events.ts and
// call setState (zustand's "no store actions" guide), so components just select.
import { create, type StateCreator } from 'zustand';
import type { Checkpoint } from '../engine/types.ts';
import type { AliveCounts, NetworkSpec } from '../morphnet/types.ts';
import type {
  AdapterDescription,
  BackendName,
  Cost,
  CycleRecord,
  ExpansionEvent,
  FaultKind,
  ProgressEvent,
  ProgressTask,
  ResumeCycle,
} from '../protocol/messages.ts';
import { DEFAULTS, type InvalidSetting, type StudioSettings } from './url.ts';
import { initialLatency, type LatencySlice } from './latency.ts';

export interface SettingsSlice {
  settings: StudioSettings;
  /** URL values that were rejected, named on the page. */
  invalid: InvalidSetting[];
  /** A spec the user imported from a file; it replaces the built-in `net` until cleared. */
  importedSpec: NetworkSpec | null;
  /** The one-line SpecError of the last rejected import, shown beside the network picker. */
  specError: string | null;
}

export interface RunSlice {
  backend: BackendName | null;
  adapter: AdapterDescription | null;
  backendNote: string | null;
  /** The worker has a network built and can train. */
  ready: boolean;
  running: boolean;
  step: number;
  cycle: number;
  spec: NetworkSpec | null;
  seedSpec: NetworkSpec | null;
  seedCost: Cost | null;
  history: CycleRecord[];
  classNames: string[];
  /** What the page is waiting for right now, by task; removed when done. */
  progress: Partial<Record<ProgressTask, ProgressEvent>>;
  /** A banner the person can dismiss; cleared when its cause is gone. `worker`: the page gave up restarting it. */
  error: { kind: string; message: string } | null;
  stepMs: number | null;
  /** What went wrong in this run and was recovered from (divergence, device loss, a dead worker), oldest first. */
  faults: RunFault[];
  /** The latest fault in plain words, shown until dismissed or the run moves on to a new network. */
  notice: string | null;
  /** The main run's last checkpoint and the network it belongs to (saved with the run, resumed from). */
  lastCheckpoint: Checkpoint | null;
  checkpointCycle: ResumeCycle | null;
}

/** A mark in the run: what happened at which step, and the step it went back to. */
export interface RunFault {
  kind: FaultKind;
  step: number;
  restored: number | null;
  message: string;
}

export interface CurvePoint {
  step: number;
  taskLoss: number;
  regLoss: number;
  trainAccuracy: number;
}
export interface CostPoint {
  step: number;
  flops: number;
  params: number;
}

export interface MetricsSlice {
  gammas: Record<string, Float32Array>;
  alive: AliveCounts;
  cost: Cost | null;
  taskLoss: number | null;
  regLoss: number | null;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  curve: CurvePoint[];
  testCurve: { step: number; accuracy: number }[];
  costCurve: CostPoint[];
}

export interface ExpansionSlice {
  expandOpen: boolean;
  /** The budget ζ in the current target's units; null until the dialog sets its default. */
  budget: number | null;
  preview: ExpansionEvent | null;
  expanding: boolean;
}

export type Store = SettingsSlice & RunSlice & MetricsSlice & ExpansionSlice & LatencySlice;

const settingsSlice: StateCreator<Store, [], [], SettingsSlice> = () => ({
  settings: { ...DEFAULTS },
  invalid: [],
  importedSpec: null,
  specError: null,
});

export const initialRun: RunSlice = {
  backend: null,
  adapter: null,
  backendNote: null,
  ready: false,
  running: false,
  step: 0,
  cycle: 0,
  spec: null,
  seedSpec: null,
  seedCost: null,
  history: [],
  classNames: [],
  progress: {},
  error: null,
  stepMs: null,
  faults: [],
  notice: null,
  lastCheckpoint: null,
  checkpointCycle: null,
};
const runSlice: StateCreator<Store, [], [], RunSlice> = () => ({ ...initialRun });

export const initialMetrics: MetricsSlice = {
  gammas: {},
  alive: {},
  cost: null,
  taskLoss: null,
  regLoss: null,
  trainAccuracy: null,
  testAccuracy: null,
  curve: [],
  testCurve: [],
  costCurve: [],
};
const metricsSlice: StateCreator<Store, [], [], MetricsSlice> = () => ({ ...initialMetrics });

const expansionSlice: StateCreator<Store, [], [], ExpansionSlice> = () => ({
  expandOpen: false,
  budget: null,
  preview: null,
  expanding: false,
});

export const useStudio = create<Store>()((...a) => ({
  ...settingsSlice(...a),
  ...runSlice(...a),
  ...metricsSlice(...a),
  ...expansionSlice(...a),
  ...initialLatency,
}));

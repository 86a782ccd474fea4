// One zustand store made of typed slices (STYLE.md). The slices hold data only; the actions that
// worker events and controls trigger live at module level in ./actions.ts and ./events.ts and
// call setState (zustand's "no store actions" guide), so components just select.
import { create, type StateCreator } from 'zustand';
import type { AliveCounts, NetworkSpec } from '../morphnet/types.ts';
import type {
  AdapterDescription,
  BackendName,
  Cost,
  CycleRecord,
  ExpansionEvent,
  ProgressEvent,
  ProgressTask,
} from '../protocol/messages.ts';
import { DEFAULTS, type InvalidSetting, type StudioSettings } from './url.ts';

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
  error: { kind: string; message: string } | null;
  stepMs: number | null;
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

export type Store = SettingsSlice & RunSlice & MetricsSlice & ExpansionSlice;

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
}));

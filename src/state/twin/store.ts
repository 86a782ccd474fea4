// The twin run's own store: two runs from the same seed, initialization and data order, each
// targeting one of a chosen pair of the three targets (FLOPs, model size, latency). Data only;
// ./controller.ts changes it.
import { create } from 'zustand';
import type { AliveCounts, LatencySettings, NetworkSpec, Target } from '../../morphnet/types.ts';
import type { BackendName, Cost } from '../../protocol/messages.ts';

/** Any of the three targets can be one side of a twin. */
export type TwinTarget = Target;
export const TWIN_TARGETS: readonly TwinTarget[] = ['flops', 'size', 'latency'];

/** The two targets a twin trains, in the order they are shown (left, right). */
export type TwinPair = readonly [TwinTarget, TwinTarget];
/** The pairs a person can choose; FLOPs against size first, the paper's figure and the default. */
export const TWIN_PAIRS: readonly TwinPair[] = [
  ['flops', 'size'],
  ['flops', 'latency'],
  ['size', 'latency'],
];
export const DEFAULT_TWIN_PAIR: TwinPair = TWIN_PAIRS[0]!;
/** A pair's key, as a form value: "flops-size". */
export const pairKey = (pair: TwinPair) => `${pair[0]}-${pair[1]}`;
export const pairFromKey = (key: string): TwinPair | undefined => TWIN_PAIRS.find((p) => pairKey(p) === key);

/** About a minute on a GPU for resnet-mini on MNIST, where the paper's pattern shows (README). */
export const DEFAULT_TWIN_STEPS = 300;
export const TWIN_STEP_LIMITS = { min: 1, max: 5000 } as const;

/**
 * idle: never started; starting: workers building; training; paused; done: both reached the
 * step count; stopped: the person stopped it (results stay shown); error: one run failed.
 */
export type TwinPhase = 'idle' | 'starting' | 'training' | 'paused' | 'done' | 'stopped' | 'error';

export interface TwinRun {
  target: TwinTarget;
  ready: boolean;
  /** Steps trained, as last read back. */
  step: number;
  backend: BackendName | null;
  spec: NetworkSpec | null;
  seedSpec: NetworkSpec | null;
  alive: AliveCounts;
  cost: Cost | null;
  seedCost: Cost | null;
  /** Predicted latency (ns) now and of the seed, on the device the page prices for, when known. */
  latencyNs: number | null;
  seedLatencyNs: number | null;
  /** The device a latency run prices for, and its batch (null for the other targets). */
  latency: LatencySettings | null;
  testAccuracy: number | null;
  stepMs: number | null;
  /** What the run waits for now (dataset, shader compilation, evaluation), or null. */
  progress: string | null;
  error: string | null;
}

export interface TwinState {
  phase: TwinPhase;
  /** The step count each run trains to. */
  steps: number;
  /** The two targets the next twin trains (the person's choice). */
  pair: TwinPair;
  /** The two targets of the twin started last: the runs shown. */
  shown: TwinPair;
  /** One run per target; the two of `pair` are the ones trained and shown. */
  runs: Record<TwinTarget, TwinRun>;
  /** A one-line message for the person (why the twin stopped, a rejected step count). */
  message: string | null;
}

export function emptyTwinRun(target: TwinTarget): TwinRun {
  return {
    target,
    ready: false,
    step: 0,
    backend: null,
    spec: null,
    seedSpec: null,
    alive: {},
    cost: null,
    seedCost: null,
    latencyNs: null,
    seedLatencyNs: null,
    latency: null,
    testAccuracy: null,
    stepMs: null,
    progress: null,
    error: null,
  };
}

export const emptyTwinRuns = (): Record<TwinTarget, TwinRun> => ({
  flops: emptyTwinRun('flops'),
  size: emptyTwinRun('size'),
  latency: emptyTwinRun('latency'),
});

export const useTwin = create<TwinState>()(() => ({
  phase: 'idle',
  steps: DEFAULT_TWIN_STEPS,
  pair: DEFAULT_TWIN_PAIR,
  shown: DEFAULT_TWIN_PAIR,
  runs: emptyTwinRuns(),
  message: null,
}));

/** A step count typed by a person: a whole number in range, or a one-line reason. */
export function parseTwinSteps(text: string): { steps: number } | { error: string } {
  const { min, max } = TWIN_STEP_LIMITS;
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    return { error: `Twin steps: “${text.trim()}” is not a whole number from ${min} to ${max}.` };
  }
  return { steps: n };
}

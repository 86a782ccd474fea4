// The twin run's own store: two runs from the same seed, initialization and data order, one
// targeting FLOPs and one model size. Data only; ./controller.ts changes it.
import { create } from 'zustand';
import type { AliveCounts, NetworkSpec, Target } from '../../morphnet/types.ts';
import type { BackendName, Cost } from '../../protocol/messages.ts';

/** The targets the twin trains (strictly FLOPs and size until it takes any two of three). */
export type TwinTarget = Exclude<Target, 'latency'>;
export const TWIN_TARGETS: readonly TwinTarget[] = ['flops', 'size'];

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
    testAccuracy: null,
    stepMs: null,
    progress: null,
    error: null,
  };
}

export const useTwin = create<TwinState>()(() => ({
  phase: 'idle',
  steps: DEFAULT_TWIN_STEPS,
  runs: { flops: emptyTwinRun('flops'), size: emptyTwinRun('size') },
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

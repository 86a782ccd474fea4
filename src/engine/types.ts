// The engine's public surface: what the worker handler and the CLI call. Implementation lives
// beside this file; these types are the contract between the engine and its two callers.
import type { AliveCounts, LatencySettings, NetworkSpec, Target } from '../morphnet/types.ts';
import type { ModelWeights } from './model.ts';

export type DatasetName = 'mnist' | 'fashion' | 'shapes';

/** A dataset held in memory as uint8 pixels (NHWC, 0..255) and uint8 labels. */
export interface Dataset {
  name: DatasetName;
  height: number;
  width: number;
  channels: number;
  classes: number;
  classNames: string[];
  train: { images: Uint8Array; labels: Uint8Array; count: number };
  test: { images: Uint8Array; labels: Uint8Array; count: number };
}

export interface TrainSettings {
  target: Target;
  /** Regularizer strength as a multiple of 1 / F(seed) under the current target. */
  strength: number;
  threshold: number;
  lr: number;
  batch: number;
  seed: number;
  /**
   * The device and batch the latency target prices for; required when target is 'latency'
   * (createSession and updateSettings refuse without it). Given with another target, Metrics
   * still report latencyNs.
   */
  latency?: LatencySettings;
}

/** One batched readback (BROWSER.md: one `data()` every N steps, never per tensor per step). */
export interface Metrics {
  step: number;
  /** Of the last step's batch; NaN before the first step (as is trainAccuracy). */
  taskLoss: number;
  /** strength-scaled regularizer term added to the loss, and R(γ) itself in resource units. */
  regLoss: number;
  regValue: number;
  trainAccuracy: number;
  /** |γ| per batch-normed layer. */
  gammas: Record<string, Float32Array>;
  alive: AliveCounts;
  flops: number;
  params: number;
  /** Predicted latency in ns at the alive counts, on settings.latency's device; absent without it. */
  latencyNs?: number;
}

/** One tensor's values, row-major, with its shape. */
export interface TensorData {
  shape: number[];
  values: Float32Array;
}

/**
 * Everything needed to continue a run exactly. Plain data + Float32Arrays: structured-cloneable
 * (postMessage with transfer, IndexedDB).
 */
export interface Checkpoint {
  step: number;
  settings: TrainSettings;
  /** Every model variable (kernels, γ, β, moving mean/variance, dense) by the model's weight key. */
  variables: Record<string, TensorData>;
  /** The momentum optimizer's accumulators, by the same keys (empty before the first step). */
  slots: Record<string, TensorData>;
  /**
   * Batches drawn so far by evaluate's batch-norm calibration (its own data stream), so that a
   * resumed run's later evaluations see the batches an uninterrupted run's would. Absent: 0.
   */
  calibrationBatches?: number;
}

export interface SessionOptions {
  spec: NetworkSpec;
  dataset: Dataset;
  settings: TrainSettings;
  /** The spec whose cost defines 1/F(seed) for `strength`; defaults to `spec`. */
  referenceSpec?: NetworkSpec;
  /**
   * Start from these weights instead of a seeded initialization (Session.exportWeights of a run,
   * or pruneWeights of one for a pruned spec). Copied: the caller still owns and disposes them.
   */
  initialWeights?: ModelWeights;
  /**
   * Continue a run: the session starts at `resume.step` with its variables and momentum slots,
   * and its batch sampler skips ahead, so resume(checkpoint at k) then n − k steps equals n
   * steps, bit for bit on cpu and wasm. `settings.batch` and `settings.seed` must equal the
   * checkpoint's (the data order depends on them); the other settings are taken from `settings`.
   * Not together with `initialWeights`.
   */
  resume?: Checkpoint;
}

/** A live training run. One per network; `createSession` in ./session.ts makes one. */
export interface Session {
  readonly spec: NetworkSpec;
  /** Steps taken so far. */
  readonly step: number;
  /** Takes effect at the next step; nothing is rebuilt (target, strength, threshold, lr). */
  updateSettings(patch: Partial<Omit<TrainSettings, 'batch' | 'seed'>>): void;
  /**
   * One optimizer step on the next batch; reads nothing back. Leaves tf.memory() as it found it,
   * except the first step, which creates the optimizer's momentum slots (one per variable).
   */
  trainStep(): void;
  /** One batched readback of the current state. */
  readMetrics(): Promise<Metrics>;
  /**
   * Accuracy on the first `limit` test examples (all by default), batch norm in inference mode.
   * `calibrate` > 0 first re-estimates the batch-norm moving averages from that many training
   * batches (forward passes only, a data stream of their own: training is not affected). Early
   * in a run the weights change faster than momentum-0.9 averages follow: on MNIST after 60
   * steps, 74.6% without and 87.2% with re-estimated statistics.
   */
  evaluate(limit?: number, opts?: { calibrate?: number }): Promise<number>;
  /**
   * A copy of everything needed to continue this run (SessionOptions.resume), read with one
   * `await data()`. Take it between steps, not during one.
   */
  checkpoint(): Promise<Checkpoint>;
  dispose(): void;
}

/**
 * What pruning needs from a run (the sweep's magnitude-pruning baseline): apart from `Session`
 * so that fakes of a Session need not implement it. `createSession` returns both.
 */
export interface WeightAccess {
  /** Copies of every weight and batch-norm statistic by `<layer>/<what>`; the caller disposes them. */
  exportWeights(): ModelWeights;
  /** L2 norm of each output filter of every conv kernel (seeds/003's ranking), one readback. */
  filterNorms(): Promise<Record<string, Float32Array>>;
}

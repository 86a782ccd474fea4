// The file `morphnet sweep` writes and the page imports (issue 4, "Headless"): the trade-off
// chart's three families of points. Types, and the one way a point is labelled (the CLI and the
// page's own queue both name points, and a file point must read like a page point);
// src/cli/README.md documents the format.
import type { AliveCounts, LatencySettings, NetworkSpec, Target } from './types.ts';
import type { ScheduleKind } from './schedule.ts';

export const SWEEP_FORMAT = 'morphnet-sweep';
/** Bumped whenever a field changes meaning or goes away (adding an optional field does not). */
export const SWEEP_VERSION = 1;

export type SweepFamily = 'uniform' | 'pruning' | 'morphnet';

export type SweepPointSettings =
  /** The seed's widths × multiplier (uniformSpec), trained from scratch. */
  | { family: 'uniform'; multiplier: number }
  /** The trained seed with round(fraction·width) filters of each layer removed, then fine-tuned. */
  | { family: 'pruning'; fraction: number; finetune: number }
  /**
   * Learned at `strength` (× 1/F(seed)) towards `target`, expanded to `budget` × the seed's cost
   * (ω the multiplier expansion found), retrained from scratch.
   */
  | {
      family: 'morphnet';
      strength: number;
      target: Target;
      threshold: number;
      budget: number;
      omega: number;
    };

export interface SweepPoint {
  family: SweepFamily;
  /** Short and unique within its family: "×0.5", "25%", "strength 5" (", budget 50%" when not 1). */
  label: string;
  settings: SweepPointSettings;
  /** The network that was evaluated. */
  spec: NetworkSpec;
  /** Output width of every conv and depthwise layer of the seed in `spec`; 0 where it was removed. */
  widths: Record<string, number>;
  /**
   * Alive counts per seed conv/depthwise layer: MorphNet's learned structure before expansion;
   * for the baselines, the same as `widths`.
   */
  alive: AliveCounts;
  /** MorphNet only: the cost of the learned structure (`alive`) before expansion. */
  learned?: { flops: number; params: number; latencyNs?: number };
  flops: number;
  params: number;
  /** Predicted latency in ns of `spec` on the sweep's device (settings.latency), when it names one. */
  latencyNs?: number;
  /** On the whole test set, batch-norm statistics re-estimated first. */
  testAccuracy: number;
  /** Training steps this point's network got from scratch or the trained seed (pruning: fine-tuning). */
  steps: number;
  seconds: number;
  /**
   * A merged file's point: one entry per seed, in `settings.seeds` order. The point itself is
   * the first seed's network (`spec`, `flops`, `params`) with `testAccuracy` the seeds' mean.
   */
  seeds?: SeedResult[];
}

/** One seed's network at a merged point: MorphNet's differs from seed to seed, the baselines' not. */
export interface SeedResult {
  seed: number;
  flops: number;
  params: number;
  testAccuracy: number;
}

export interface SweepFile {
  format: typeof SWEEP_FORMAT;
  version: typeof SWEEP_VERSION;
  /** The command's settings, defaults written out. */
  settings: {
    spec: string;
    dataset: string;
    steps: number;
    batch: number;
    lr: number;
    seed: number;
    threshold: number;
    target: Target;
    strengths: number[];
    multipliers: number[];
    prune: number[];
    finetune: number;
    budgets: number[];
    backend: string;
    /** The device latency is priced for, and the latency batch (--hardware or --peak-gflops/--bandwidth-gbs). */
    latency?: LatencySettings;
    /** The learning rate's schedule and warm-up steps (src/morphnet/schedule.ts); absent: constant, 0. */
    schedule?: ScheduleKind;
    /** Steps of each MorphNet structure-learning run; absent: `steps`. */
    learnSteps?: number;
    warmup?: number;
    /** A merged file (several seeds per point, `SweepPoint.seeds`): the seeds, `seed` the first. */
    seeds?: number[];
    /** What trained the networks (`--engine`); absent: tfjs. */
    engine?: 'tfjs' | 'pytorch';
  };
  seed: { spec: NetworkSpec; flops: number; params: number; latencyNs?: number };
  testExamples: number;
  points: SweepPoint[];
  /** Points that could not be made (a structure whose smallest expansion exceeds the budget). */
  skipped: { family: SweepFamily; label: string; reason: string }[];
  seconds: number;
}

/** "25%": a fraction as the labels write it. */
export const fractionLabel = (f: number): string => `${+(f * 100).toFixed(2)}%`;

/** A point's `label`: "×0.5", "25%", "strength 5" (", budget 50%" when the budget is not 1). */
export function sweepLabel(
  p:
    | { family: 'uniform'; multiplier: number }
    | { family: 'pruning'; fraction: number }
    | { family: 'morphnet'; strength: number; budget: number },
): string {
  switch (p.family) {
    case 'uniform':
      return `×${p.multiplier}`;
    case 'pruning':
      return fractionLabel(p.fraction);
    case 'morphnet':
      return `strength ${p.strength}${p.budget === 1 ? '' : `, budget ${fractionLabel(p.budget)}`}`;
  }
}

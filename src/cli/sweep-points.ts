// The trade-off chart's three families (issue 4): one function per family, each training its
// networks with the same settings and scoring them the same way.
import { pruneByMagnitude, seedWidths, uniformSpec } from '../morphnet/baselines.ts';
import { networkCost, targetCost } from '../morphnet/cost.ts';
import { ExpandError, expandSpec } from '../morphnet/expand.ts';
import { sweepLabel, type SweepPoint, type SweepPointSettings } from '../morphnet/sweep.ts';
import type { AliveCounts, NetworkSpec, Target } from '../morphnet/types.ts';
import type { ModelWeights } from '../engine/model.ts';
import { disposeWeights, pruneWeights } from '../engine/prune.ts';
import { createSession } from '../engine/session.ts';
import type { Dataset, Session, TrainSettings, WeightAccess } from '../engine/types.ts';
import { checkTrainable } from '../morphnet/spec-limits.ts';
import { importStructure } from '../morphnet/structure.ts';
import { divergenceCause } from '../engine/divergence.ts';
import { runTorch, type Engine } from './engine-pytorch.ts';
import { learningRateAt, type Schedule } from '../morphnet/schedule.ts';
import { DivergedError, InterruptedError } from './errors.ts';

/** Training batches that re-estimate batch-norm statistics before each score (as `train` does). */
export const EVAL_CALIBRATE = 20;

export interface SweepContext {
  seed: NetworkSpec;
  dataset: Dataset;
  /** Shared by every network; the strength is 0 except while MorphNet learns a structure. */
  settings: TrainSettings;
  steps: number;
  /** Steps of each MorphNet structure-learning run (its expansions train for `steps`). */
  learnSteps: number;
  /** The learning rate over each network's steps (pruning: over its fine-tuning steps). */
  schedule: Schedule;
  /** What trains the networks; pruning always runs on tfjs (it prunes the trained seed's weights in place). */
  engine: Engine;
  /** Called after every training step (progress). */
  tick(): void;
  /** Called with each finished point (progress). */
  done(point: SweepPoint): void;
  skip(entry: { family: SweepPoint['family']; label: string; reason: string }): void;
  /** The signal that asked the sweep to stop, or null; looked at between training steps. */
  stopRequested(): NodeJS.Signals | null;
}

type Trained = Session & WeightAccess;

/** Steps between readbacks that watch a network for divergence (as `train` reads back). */
const READ_EVERY = 10;

async function train(
  ctx: SweepContext,
  spec: NetworkSpec,
  steps: number,
  network: string,
  opts: { strength?: number; target?: Target; initialWeights?: ModelWeights } = {},
): Promise<Trained> {
  checkTrainable(spec, ctx.settings.batch, network);
  const session = await createSession({
    spec,
    dataset: ctx.dataset,
    settings: { ...ctx.settings, strength: opts.strength ?? 0, target: opts.target ?? ctx.settings.target },
    referenceSpec: ctx.seed,
    ...(opts.initialWeights === undefined ? {} : { initialWeights: opts.initialWeights }),
  });
  const scheduled = ctx.schedule.kind !== 'constant' || ctx.schedule.warmup > 0;
  for (let i = 1; i <= steps; i++) {
    // Signals are delivered only while the event loop runs: let it, between steps.
    await new Promise((resolve) => setImmediate(resolve));
    const signal = ctx.stopRequested();
    if (signal !== null) {
      session.dispose();
      throw new InterruptedError(signal, network);
    }
    if (scheduled) session.updateSettings({ lr: learningRateAt(i - 1, steps, ctx.settings.lr, ctx.schedule) });
    session.trainStep();
    ctx.tick();
    if (i % READ_EVERY !== 0 && i !== steps) continue;
    // A NaN network scores as chance and looks like a point; stop the sweep at the first sign.
    const cause = divergenceCause(await session.readMetrics());
    if (cause !== null) {
      session.dispose();
      throw new DivergedError(i, `${cause.what} ${cause.value}`, network);
    }
  }
  return session;
}

/**
 * One network trained by train.py (--engine pytorch), scored as `score` scores (the last step
 * evaluates the whole test set after re-estimating batch-norm statistics from 20 batches).
 */
async function trainTorch(
  ctx: SweepContext,
  spec: NetworkSpec,
  network: string,
  opts: { strength?: number; target?: Target; steps?: number } = {},
): Promise<{ testAccuracy: number; alive: AliveCounts }> {
  const steps = opts.steps ?? ctx.steps;
  checkTrainable(spec, ctx.settings.batch, network);
  let ticked = 0;
  let diverged: DivergedError | null = null;
  let result: { testAccuracy: number; alive: AliveCounts } | null = null;
  const end = await runTorch({
    spec,
    seed: ctx.seed,
    dataset: ctx.dataset.name,
    settings: { ...ctx.settings, strength: opts.strength ?? 0, target: opts.target ?? ctx.settings.target },
    steps,
    evalEvery: steps,
    schedule: ctx.schedule,
    stopRequested: ctx.stopRequested,
    onReadback: (r, aliveText) => {
      for (; ticked < r.step; ticked++) ctx.tick();
      const cause = divergenceCause({ ...r, gammas: {} });
      if (cause !== null) {
        diverged = new DivergedError(r.step, `${cause.what} ${cause.value}`, network);
        return 'stop';
      }
      if (r.testAccuracy !== undefined && aliveText !== null && r.step === steps) {
        result = { testAccuracy: r.testAccuracy, alive: importStructure(aliveText, spec, `${network}: alive_${r.step}`) };
      }
      return 'go';
    },
  });
  if (diverged !== null) throw diverged;
  const signal = ctx.stopRequested();
  if (end === 'stopped' || result === null) throw new InterruptedError(signal ?? 'SIGTERM', network);
  return result;
}

const score = (s: Session) => s.evaluate(undefined, { calibrate: EVAL_CALIBRATE });

/** The sweep's device, for expandSpec (a latency target needs it). */
const latencyOf = (ctx: SweepContext) => (ctx.settings.latency === undefined ? {} : { latency: ctx.settings.latency });

function point(
  ctx: SweepContext,
  label: string,
  settings: SweepPointSettings,
  spec: NetworkSpec,
  testAccuracy: number,
  steps: number,
  started: number,
  alive?: AliveCounts,
): SweepPoint {
  const cost = networkCost(spec, undefined, ctx.settings.latency);
  const widths = seedWidths(ctx.seed, spec);
  const p: SweepPoint = {
    family: settings.family,
    label,
    settings,
    spec,
    widths,
    alive: alive ?? widths,
    flops: cost.flops,
    params: cost.params,
    ...(cost.latencyNs === undefined ? {} : { latencyNs: cost.latencyNs }),
    testAccuracy,
    steps,
    seconds: (performance.now() - started) / 1000,
  };
  if (alive !== undefined) {
    const learned = networkCost(ctx.seed, alive, ctx.settings.latency);
    p.learned = { flops: learned.flops, params: learned.params, ...(learned.latencyNs === undefined ? {} : { latencyNs: learned.latencyNs }) };
  }
  ctx.done(p);
  return p;
}

/** What pruning starts from: the seed trained `steps` steps. Disposed by the caller. */
export interface TrainedSeed {
  weights: ModelWeights;
  norms: Record<string, Float32Array>;
}

/**
 * Uniform width multipliers, each trained from scratch. When `keepSeed` is set, the ×1 network
 * (the seed itself) is trained first if absent, and its weights and filter norms are returned.
 */
export async function uniformFamily(
  ctx: SweepContext,
  multipliers: number[],
  keepSeed: boolean,
): Promise<{ points: SweepPoint[]; seed: TrainedSeed | null }> {
  const points: SweepPoint[] = [];
  let seed: TrainedSeed | null = null;
  if (ctx.engine === 'pytorch') {
    if (keepSeed) {
      const s = await train(ctx, ctx.seed, ctx.steps, 'the seed for pruning (on tfjs)');
      try {
        seed = { norms: await s.filterNorms(), weights: s.exportWeights() };
      } finally {
        s.dispose();
      }
    }
    for (const m of multipliers) {
      const started = performance.now();
      const spec = m === 1 ? ctx.seed : uniformSpec(ctx.seed, m);
      const settings = { family: 'uniform' as const, multiplier: m };
      const { testAccuracy } = await trainTorch(ctx, spec, `uniform ${sweepLabel(settings)}`);
      points.push(point(ctx, sweepLabel(settings), settings, spec, testAccuracy, ctx.steps, started));
    }
    return { points, seed };
  }
  const list = keepSeed && !multipliers.includes(1) ? [1, ...multipliers] : multipliers;
  for (const m of list) {
    const started = performance.now();
    const spec = m === 1 ? ctx.seed : uniformSpec(ctx.seed, m);
    const s = await train(ctx, spec, ctx.steps, `uniform ${sweepLabel({ family: 'uniform', multiplier: m })}`);
    try {
      if (m === 1 && keepSeed && seed === null)
        seed = { norms: await s.filterNorms(), weights: s.exportWeights() };
      if (multipliers.includes(m)) {
        const settings = { family: 'uniform' as const, multiplier: m };
        points.push(point(ctx, sweepLabel(settings), settings, spec, await score(s), ctx.steps, started));
      }
    } finally {
      s.dispose();
    }
  }
  return { points, seed };
}

/** Magnitude filter pruning of the trained seed at each fraction, then `finetune` steps. */
export async function pruningFamily(
  ctx: SweepContext,
  seed: TrainedSeed,
  fractions: number[],
  finetune: number,
): Promise<SweepPoint[]> {
  const points: SweepPoint[] = [];
  for (const k of fractions) {
    const started = performance.now();
    const pruned = pruneByMagnitude(ctx.seed, seed.norms, k);
    const weights = pruneWeights(seed.weights, pruned.spec, pruned.kept);
    let s: Trained;
    try {
      s = await train(ctx, pruned.spec, finetune, `pruning ${sweepLabel({ family: 'pruning', fraction: k })}`, {
        initialWeights: weights,
      });
    } finally {
      disposeWeights(weights);
    }
    try {
      const settings = { family: 'pruning' as const, fraction: k, finetune };
      points.push(point(ctx, sweepLabel(settings), settings, pruned.spec, await score(s), finetune, started));
    } finally {
      s.dispose();
    }
  }
  return points;
}

/**
 * MorphNet: learn a structure at each strength (`steps` steps), expand it to each budget (a
 * fraction of the seed's cost under the target, §1.3), retrain the expanded network from scratch.
 */
export async function morphnetFamily(
  ctx: SweepContext,
  strengths: number[],
  budgets: number[],
): Promise<SweepPoint[]> {
  const points: SweepPoint[] = [];
  const { target, threshold } = ctx.settings;
  const seedCost = targetCost(networkCost(ctx.seed, undefined, ctx.settings.latency), target);
  for (const strength of strengths) {
    const started = performance.now();
    const learnerName = `the seed at strength ${strength}`;
    let alive: AliveCounts;
    if (ctx.engine === 'pytorch') {
      alive = (await trainTorch(ctx, ctx.seed, learnerName, { strength, target, steps: ctx.learnSteps })).alive;
    } else {
      const learner = await train(ctx, ctx.seed, ctx.learnSteps, learnerName, { strength, target });
      alive = (await learner.readMetrics()).alive;
      learner.dispose();
    }
    for (const budget of budgets) {
      const label = sweepLabel({ family: 'morphnet', strength, budget });
      let expanded;
      try {
        expanded = expandSpec(ctx.seed, alive, { target, budget: budget * seedCost, ...latencyOf(ctx) });
      } catch (e) {
        if (!(e instanceof ExpandError)) throw e;
        for (let i = 0; i < ctx.steps; i++) ctx.tick(); // the retraining that will not happen
        ctx.skip({ family: 'morphnet', label, reason: e.message });
        continue;
      }
      const settings = {
        family: 'morphnet' as const,
        strength,
        target,
        threshold,
        budget,
        omega: expanded.omega,
      };
      if (ctx.engine === 'pytorch') {
        const { testAccuracy } = await trainTorch(ctx, expanded.spec, `morphnet ${label}`);
        points.push(point(ctx, label, settings, expanded.spec, testAccuracy, ctx.steps, started, alive));
        continue;
      }
      const s = await train(ctx, expanded.spec, ctx.steps, `morphnet ${label}`);
      try {
        points.push(point(ctx, label, settings, expanded.spec, await score(s), ctx.steps, started, alive));
      } finally {
        s.dispose();
      }
    }
  }
  return points;
}

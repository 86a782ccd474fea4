// `morphnet sweep` (issue 4, "Headless"): the trade-off chart's three families of points in Node,
// written to one file the page imports. Progress on stderr.
import { networkCost } from '../morphnet/cost.ts';
import { uniformSpec } from '../morphnet/baselines.ts';
import { SETTING_LIMITS } from '../morphnet/limits.ts';
import { checkTrainable } from '../morphnet/spec-limits.ts';
import { SWEEP_FORMAT, SWEEP_VERSION } from '../morphnet/sweep.ts';
import type { SweepFile, SweepPoint } from '../morphnet/sweep.ts';
import { initNodeBackend } from '../engine/backend-node.ts';
import type { TrainSettings } from '../engine/types.ts';
import { disposeWeights } from '../engine/prune.ts';
import { parseCommandArgs, parseTarget, required } from './args.ts';
import { checkTorch, parseEngine } from './engine-pytorch.ts';
import { DivergedError, InterruptedError, UsageError } from './errors.ts';
import { clock, pct, sanitize } from './format.ts';
import { checkWritable, loadSpec, writeText } from './io.ts';
import { fitSpec, loadData, numberList, parseBackend, parseDataset, parseLr, parseSeed, parseThreshold, positiveInt } from './options.ts';
import { EXIT_DIVERGED } from './train-loop.ts';
import { morphnetFamily, pruningFamily, uniformFamily, type SweepContext } from './sweep-points.ts';
import { TRAIN_DEFAULTS } from './train.ts';
import { LATENCY_OPTIONS, parseLatency } from './latency-flags.ts';
import { parseSchedule } from './schedule-flags.ts';

export const SWEEP_DEFAULTS = {
  strengths: [2, 5, 10],
  multipliers: [0.25, 0.5, 0.75, 1, 1.25, 1.5],
  prune: [0.25, 0.5, 0.75],
  budgets: [1],
};

/** `stderr` takes the progress (tests pass a sink). */
export async function runSweep(argv: string[], stderr: ProgressStream = process.stderr): Promise<number> {
  const C = 'sweep';
  const v = parseCommandArgs(C, argv, {
    spec: { type: 'string' },
    dataset: { type: 'string' },
    steps: { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    strengths: { type: 'string' },
    multipliers: { type: 'string' },
    prune: { type: 'string' },
    finetune: { type: 'string' },
    budgets: { type: 'string' },
    target: { type: 'string' },
    threshold: { type: 'string' },
    backend: { type: 'string' },
    engine: { type: 'string' },
    ...LATENCY_OPTIONS,
    schedule: { type: 'string' },
    'learn-steps': { type: 'string' },
    warmup: { type: 'string' },
  });
  // Every argument is checked before anything slow begins.
  const specArg = required(C, 'spec', v.spec);
  const datasetName = parseDataset(C, v.dataset);
  const out = required(C, 'out', v.out);
  checkWritable(C, out, 'sweep results');
  const steps = positiveInt(C, 'steps', v.steps, TRAIN_DEFAULTS.steps);
  const learnSteps = positiveInt(C, 'learn-steps', v['learn-steps'], steps);
  const schedule = parseSchedule(C, v.schedule, v.warmup, Math.min(steps, learnSteps));
  const settings: TrainSettings = {
    target: v.target === undefined ? TRAIN_DEFAULTS.target : parseTarget(C, v.target),
    strength: 0,
    threshold: parseThreshold(C, v.threshold, TRAIN_DEFAULTS.threshold),
    lr: parseLr(C, v.lr, TRAIN_DEFAULTS.lr),
    batch: positiveInt(C, 'batch', v.batch, TRAIN_DEFAULTS.batch),
    seed: parseSeed(C, v.seed, TRAIN_DEFAULTS.seed),
  };
  const latency = parseLatency(C, v, settings.target);
  if (latency !== undefined) settings.latency = latency;
  const { min, max } = SETTING_LIMITS.strength;
  const strengths = numberList(C, 'strengths', v.strengths, SWEEP_DEFAULTS.strengths, [
    (n) => n >= min && n <= max,
    `numbers from ${min} to ${max} (the page's range)`,
  ]);
  const multipliers = numberList(C, 'multipliers', v.multipliers, SWEEP_DEFAULTS.multipliers, [(n) => n > 0, 'numbers > 0']);
  const prune = numberList(C, 'prune', v.prune, SWEEP_DEFAULTS.prune, [(n) => n >= 0 && n <= 1, 'fractions in [0, 1]']);
  const budgets = numberList(C, 'budgets', v.budgets, SWEEP_DEFAULTS.budgets, [(n) => n > 0, "fractions of the seed's cost > 0"]);
  const finetune = positiveInt(C, 'finetune', v.finetune, Math.max(1, Math.round(steps / 3)), 0);
  const backendArg = parseBackend(C, v.backend, TRAIN_DEFAULTS.backend);
  const engine = parseEngine(C, v.engine);
  if (engine === 'pytorch' && datasetName === 'shapes') {
    throw new UsageError(`${C}: --engine pytorch trains on mnist or fashion (train.py has no shapes generator); use --engine tfjs for shapes`);
  }
  if (multipliers.length + prune.length + strengths.length * budgets.length === 0) {
    throw new UsageError(`${C}: nothing to run: --multipliers, --prune and --strengths are all empty`);
  }
  const seedSpec = loadSpec(specArg);
  const torchDevice = engine === 'pytorch' ? checkTorch() : null;
  const dataset = await loadData(C, datasetName);
  const seed = fitSpec(C, seedSpec, specArg, dataset);
  if (settings.batch > dataset.train.count) {
    throw new UsageError(`${C}: --batch ${settings.batch} is larger than the ${dataset.train.count} training examples`);
  }
  // The networks known before training (MorphNet's expansions are checked as they come).
  checkTrainable(seed, settings.batch, specArg);
  for (const m of multipliers) checkTrainable(uniformSpec(seed, m), settings.batch, `${specArg} ×${m}`);
  const backend = await initNodeBackend(backendArg);

  // Pruning needs the trained seed's weights in tfjs: under pytorch it trains its own seed there.
  const needSeed = prune.length > 0 && (engine === 'pytorch' || !multipliers.includes(1));
  const totalSteps =
    steps * (multipliers.length + (needSeed ? 1 : 0) + strengths.length * budgets.length) +
    learnSteps * strengths.length +
    finetune * prune.length;
  const totalPoints = multipliers.length + prune.length + strengths.length * budgets.length;
  const progress = new SweepProgress(stderr, totalSteps, totalPoints, networkCost(seed));
  const skipped: SweepFile['skipped'] = [];
  // Every finished point, in the order the file lists them: what an interrupted sweep still writes.
  const points: SweepPoint[] = [];
  let stop: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop !== null) process.exit(signal === 'SIGINT' ? 130 : 143); // a second one: now
    stop = signal;
  };
  const ctx: SweepContext = {
    seed,
    dataset,
    settings,
    steps,
    learnSteps,
    schedule,
    engine,
    tick: () => progress.tick(),
    done: (p) => {
      points.push(p);
      progress.point(p);
    },
    skip: (s) => {
      skipped.push(s);
      progress.note(`skipped ${s.family} ${s.label}: ${s.reason}`);
    },
    stopRequested: () => stop,
  };
  const started = performance.now();
  let ended: { code: number; why: string } | null = null;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const uniform = await uniformFamily(ctx, multipliers, prune.length > 0);
    if (uniform.seed !== null) {
      try {
        await pruningFamily(ctx, uniform.seed, prune, finetune);
      } finally {
        disposeWeights(uniform.seed.weights);
      }
    }
    await morphnetFamily(ctx, strengths, budgets);
  } catch (e) {
    if (e instanceof DivergedError) {
      ended = { code: EXIT_DIVERGED, why: `training ${sanitize(e.network)} diverged at step ${e.step} (${e.reason}); try a lower --lr or --strengths` };
    } else if (e instanceof InterruptedError) {
      ended = { code: e.signal === 'SIGINT' ? 130 : 143, why: `interrupted (${e.signal}) while training ${sanitize(e.network)}` };
    } else throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress.done();
  }
  if (ended !== null && points.length === 0) {
    stderr.write(`morphnet: sweep: ${ended.why}; no point had finished, nothing written\n`);
    return ended.code;
  }
  const seedCost = networkCost(seed, undefined, settings.latency);
  const seconds = (performance.now() - started) / 1000;
  const fileSettings = {
      spec: specArg,
      dataset: datasetName,
      steps,
      batch: settings.batch,
      lr: settings.lr,
      seed: settings.seed,
      threshold: settings.threshold,
      target: settings.target,
      strengths,
      multipliers,
      prune,
      finetune,
      budgets,
      backend,
      engine,
      learnSteps,
      schedule: schedule.kind,
      warmup: schedule.warmup,
      ...(settings.latency === undefined ? {} : { latency: settings.latency }),
      ...(torchDevice === null ? {} : { torchDevice, pruningEngine: prune.length > 0 ? 'tfjs' : null }),
  };
  const file: SweepFile = {
    format: SWEEP_FORMAT,
    version: SWEEP_VERSION,
    settings: fileSettings,
    seed: { spec: seed, flops: seedCost.flops, params: seedCost.params, ...(seedCost.latencyNs === undefined ? {} : { latencyNs: seedCost.latencyNs }) },
    testExamples: dataset.test.count,
    points,
    skipped,
    seconds,
  };
  writeText(out, `${JSON.stringify(file, null, 2)}\n`, 'sweep results');
  if (ended !== null) {
    stderr.write(`morphnet: sweep: ${ended.why}; wrote the ${points.length} finished point${points.length === 1 ? '' : 's'} to ${sanitize(out)}\n`);
    return ended.code;
  }
  const on = torchDevice === null ? backend : `PyTorch (${torchDevice})${prune.length > 0 ? `, pruning on tfjs ${backend}` : ''}`;
  stderr.write(`done: ${points.length} points in ${clock(seconds)} on ${on}; wrote ${sanitize(out)}\n`);
  return 0;
}

type ProgressStream = { isTTY?: boolean; write(text: string): unknown };

/** One line redrawn in place on a terminal (all steps, ETA); a plain line per finished point. */
class SweepProgress {
  private readonly t0 = performance.now();
  private steps = 0;
  private points = 0;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly totalSteps: number,
    private readonly totalPoints: number,
    private readonly seed: { flops: number; params: number },
  ) {}

  tick(): void {
    this.steps++;
    if (!this.stream.isTTY || this.steps % 5 !== 0) return;
    const elapsed = (performance.now() - this.t0) / 1000;
    const filled = Math.round((24 * this.steps) / this.totalSteps);
    this.stream.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(24 - filled)}] step ${this.steps}/${this.totalSteps}  ` +
        `point ${this.points + 1}/${this.totalPoints}  ETA ${clock(((this.totalSteps - this.steps) * elapsed) / this.steps)}\x1b[K`,
    );
    this.drawn = true;
  }

  point(p: SweepPoint): void {
    this.points++;
    this.note(
      `[${this.points}/${this.totalPoints}] ${p.family} ${p.label}: FLOPs ${pct(p.flops / this.seed.flops)}, ` +
        `params ${pct(p.params / this.seed.params)} of the seed; test ${pct(p.testAccuracy)} (${clock(p.seconds)})`,
    );
  }

  note(line: string): void {
    this.done();
    this.stream.write(`${line}\n`);
  }

  done(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}

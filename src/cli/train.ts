// `morphnet train`: the shrink phase (MORPHNET.md §1.1-1.2) in Node, with a progress bar on
// stderr, learned_structure/alive_<step> in the reference format, and run.json at the end.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { networkCost } from '../morphnet/cost.ts';
import { exportStructure } from '../morphnet/structure.ts';
import type { Target } from '../morphnet/types.ts';
import { initNodeBackend, type NodeBackendName } from '../engine/backend-node.ts';
import { createSession } from '../engine/session.ts';
import type { Metrics, TrainSettings } from '../engine/types.ts';
import { clock, pct } from './format.ts';
import { parseCommandArgs, parsePositive, parseTarget, required } from './args.ts';
import { UsageError } from './errors.ts';
import { loadSpec, writeText } from './io.ts';
import { fitSpec, loadData, nonNegative, parseBackend, parseDataset, positiveInt } from './options.ts';

/**
 * Defaults that show the shrink within a few hundred steps on a CPU. resnet-mini on MNIST,
 * 300 steps, seed 1 (≈ 130 s each on wasm here, `npm run results`): strength 5 kept FLOPs 35% / size 50% (target flops,
 * stage 1 at 31-56% of its width, test 93.2%) and FLOPs 55% / size 37% (target size, stage 3
 * inner convs at 34%, test 88.5%). Strength 20 overshoots: |γ| bounces around zero at this lr.
 */
export const TRAIN_DEFAULTS = {
  target: 'flops' as Target,
  strength: 5,
  threshold: 0.01,
  steps: 300,
  batch: 32,
  lr: 0.05,
  seed: 1,
  backend: 'auto' as NodeBackendName,
  evalEvery: 100,
};
/** Test examples scored at each intermediate evaluation; the final one uses the whole test set. */
const EVAL_LIMIT = 1000;
/** Training batches that re-estimate batch-norm statistics before each evaluation (Session.evaluate). */
const EVAL_CALIBRATE = 20;
/** Steps between metric readbacks (one GPU/CPU sync each) for the history and the bar. */
const READ_EVERY = 10;

interface HistoryEntry {
  step: number;
  taskLoss: number;
  regLoss: number;
  regValue: number;
  trainAccuracy: number;
  flops: number;
  params: number;
  testAccuracy?: number;
}

export async function runTrain(argv: string[]): Promise<number> {
  const v = parseCommandArgs('train', argv, {
    spec: { type: 'string' },
    dataset: { type: 'string' },
    target: { type: 'string' },
    strength: { type: 'string' },
    threshold: { type: 'string' },
    steps: { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    backend: { type: 'string' },
    'eval-every': { type: 'string' },
  });
  // Every argument is checked before anything slow (loading data, starting wasm) begins.
  const specArg = required('train', 'spec', v.spec);
  const datasetName = parseDataset('train', v.dataset);
  const out = required('train', 'out', v.out);
  const settings: TrainSettings = {
    target: v.target === undefined ? TRAIN_DEFAULTS.target : parseTarget('train', v.target),
    strength: nonNegative('train', 'strength', v.strength, TRAIN_DEFAULTS.strength),
    threshold: nonNegative('train', 'threshold', v.threshold, TRAIN_DEFAULTS.threshold),
    lr: v.lr === undefined ? TRAIN_DEFAULTS.lr : parsePositive('train', 'lr', v.lr),
    batch: positiveInt('train', 'batch', v.batch, TRAIN_DEFAULTS.batch),
    seed: positiveInt('train', 'seed', v.seed, TRAIN_DEFAULTS.seed, 0),
  };
  const steps = positiveInt('train', 'steps', v.steps, TRAIN_DEFAULTS.steps);
  const evalEvery = positiveInt('train', 'eval-every', v['eval-every'], TRAIN_DEFAULTS.evalEvery);
  const backendArg = parseBackend('train', v.backend, TRAIN_DEFAULTS.backend);
  const seedSpec = loadSpec(specArg);

  const dataset = await loadData('train', datasetName);
  const spec = fitSpec('train', seedSpec, specArg, dataset);
  if (settings.batch > dataset.train.count) {
    throw new UsageError(`train: --batch ${settings.batch} is larger than the ${dataset.train.count} training examples`);
  }
  const structureDir = join(out, 'learned_structure');
  try {
    mkdirSync(structureDir, { recursive: true });
  } catch (e) {
    throw new UsageError(`train: cannot create "${structureDir}": ${e instanceof Error ? e.message : String(e)}`);
  }

  const backend = await initNodeBackend(backendArg);
  const seedCost = networkCost(spec);
  const session = await createSession({ spec, dataset, settings });
  const history: HistoryEntry[] = [];
  const bar = new Progress(process.stderr, steps);
  const started = performance.now();
  let last: Metrics = await session.readMetrics();
  let testAccuracy = NaN;
  const saveStructure = (m: Metrics) =>
    writeText(join(structureDir, `alive_${m.step}`), exportStructure(spec, m.alive), 'learned structure');

  try {
    for (let step = 1; step <= steps; step++) {
      session.trainStep();
      const evalNow = step % evalEvery === 0 || step === steps;
      if (step % READ_EVERY !== 0 && !evalNow) continue;
      last = await session.readMetrics();
      const entry: HistoryEntry = {
        step,
        taskLoss: last.taskLoss,
        regLoss: last.regLoss,
        regValue: last.regValue,
        trainAccuracy: last.trainAccuracy,
        flops: last.flops,
        params: last.params,
      };
      if (evalNow) {
        testAccuracy = await session.evaluate(step === steps ? undefined : EVAL_LIMIT, { calibrate: EVAL_CALIBRATE });
        entry.testAccuracy = testAccuracy;
        saveStructure(last);
      }
      history.push(entry);
      bar.update(step, last.taskLoss, last.flops / seedCost.flops, evalNow ? testAccuracy : undefined);
    }
  } finally {
    bar.done();
    session.dispose();
  }

  const seconds = (performance.now() - started) / 1000;
  const run = {
    command: 'train',
    settings: { spec: specArg, dataset: datasetName, ...settings, steps, evalEvery, backend },
    spec,
    seed: { flops: seedCost.flops, params: seedCost.params },
    history,
    final: {
      step: last.step,
      alive: last.alive,
      flops: last.flops,
      params: last.params,
      flopsFraction: last.flops / seedCost.flops,
      paramsFraction: last.params / seedCost.params,
      testAccuracy,
      testExamples: dataset.test.count,
      seconds,
    },
  };
  writeText(join(out, 'run.json'), `${JSON.stringify(run, null, 2)}\n`, 'run summary');
  process.stderr.write(
    `done: ${steps} steps in ${seconds.toFixed(0)} s on ${backend}; FLOPs ${pct(run.final.flopsFraction)}, ` +
      `size ${pct(run.final.paramsFraction)} of the seed; test accuracy ${pct(testAccuracy)}; wrote ${join(out, 'run.json')}\n`,
  );
  return 0;
}

/** One line redrawn in place on a terminal; on a pipe or a log file, a plain line per update. */
class Progress {
  private readonly t0 = performance.now();
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly total: number,
  ) {}

  update(step: number, loss: number, flopsFraction: number, testAccuracy?: number): void {
    const elapsed = (performance.now() - this.t0) / 1000;
    const rate = step / elapsed;
    const width = 24;
    const filled = Math.round((width * step) / this.total);
    const line =
      `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] step ${step}/${this.total}  ` +
      `${rate.toFixed(2)} steps/s  ETA ${clock((this.total - step) / rate)}  loss ${loss.toFixed(3)}  ` +
      `FLOPs ${pct(flopsFraction)}${testAccuracy === undefined ? '' : `  test ${pct(testAccuracy)}`}`;
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}\x1b[K`);
      this.drawn = true;
      if (testAccuracy !== undefined) this.newline(); // keep each evaluation on screen
    } else if (testAccuracy !== undefined || step % 50 === 0) {
      this.stream.write(`${line}\n`);
    }
  }

  private newline(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }

  done(): void {
    this.newline();
  }
}

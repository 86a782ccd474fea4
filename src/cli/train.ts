// `morphnet train`: the shrink phase (MORPHNET.md §1.1-1.2) in Node, with a progress bar on
// stderr, learned_structure/alive_<step> in the reference format, and run.json at the end.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { networkCost } from '../morphnet/cost.ts';
import { isSeedName, withInput } from '../morphnet/seeds.ts';
import { exportStructure } from '../morphnet/structure.ts';
import type { NetworkSpec, Target } from '../morphnet/types.ts';
import { initNodeBackend, type NodeBackendName } from '../engine/backend-node.ts';
import { DataError } from '../engine/data/format.ts';
import { loadDatasetFromDisk } from '../engine/data/node.ts';
import { createSession } from '../engine/session.ts';
import type { Dataset, DatasetName, Metrics, TrainSettings } from '../engine/types.ts';
import { parseCommandArgs, parsePositive, parseTarget, required } from './args.ts';
import { UsageError } from './errors.ts';
import { loadSpec, writeText } from './io.ts';

/**
 * Defaults that show the shrink within a few hundred steps on a CPU. resnet-mini on MNIST,
 * 300 steps, seed 1 (≈ 5.5 min on wasm): strength 5 kept FLOPs 35% / size 50% (target flops,
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

function positiveInt(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(`train: --${name} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer, got "${value}"`);
  }
  return n;
}

function nonNegative(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`train: --${name} must be a number ≥ 0, got "${value}"`);
  return n;
}

function parseDataset(value: string | undefined): DatasetName {
  const v = required('train', 'dataset', value);
  if (v !== 'mnist' && v !== 'fashion' && v !== 'shapes') {
    throw new UsageError(`train: --dataset must be mnist, fashion or shapes, got "${v}"`);
  }
  return v;
}

function parseBackend(value: string | undefined): NodeBackendName {
  if (value === undefined) return TRAIN_DEFAULTS.backend;
  if (value !== 'cpu' && value !== 'wasm' && value !== 'auto') {
    throw new UsageError(`train: --backend must be cpu, wasm or auto, got "${value}"`);
  }
  return value;
}

/** A built-in seed takes the dataset's shape; a spec file must already fit it. */
function fitSpec(spec: NetworkSpec, name: string, data: Dataset): NetworkSpec {
  if (isSeedName(name)) return withInput(spec, { height: data.height, width: data.width, channels: data.channels }, data.classes);
  const { height, width, channels } = spec.input;
  if (height !== data.height || width !== data.width || channels !== data.channels || spec.classes !== data.classes) {
    throw new UsageError(
      `train: ${name} takes ${height}×${width}×${channels} images in ${spec.classes} classes; ` +
        `${data.name} has ${data.height}×${data.width}×${data.channels} in ${data.classes}`,
    );
  }
  return spec;
}

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
  const datasetName = parseDataset(v.dataset);
  const out = required('train', 'out', v.out);
  const settings: TrainSettings = {
    target: v.target === undefined ? TRAIN_DEFAULTS.target : parseTarget('train', v.target),
    strength: nonNegative('strength', v.strength, TRAIN_DEFAULTS.strength),
    threshold: nonNegative('threshold', v.threshold, TRAIN_DEFAULTS.threshold),
    lr: v.lr === undefined ? TRAIN_DEFAULTS.lr : parsePositive('train', 'lr', v.lr),
    batch: positiveInt('batch', v.batch, TRAIN_DEFAULTS.batch),
    seed: positiveInt('seed', v.seed, TRAIN_DEFAULTS.seed, 0),
  };
  const steps = positiveInt('steps', v.steps, TRAIN_DEFAULTS.steps);
  const evalEvery = positiveInt('eval-every', v['eval-every'], TRAIN_DEFAULTS.evalEvery);
  const backendArg = parseBackend(v.backend);
  const seedSpec = loadSpec(specArg);

  let dataset: Dataset;
  try {
    dataset = await loadDatasetFromDisk(datasetName);
  } catch (e) {
    if (e instanceof DataError) throw new UsageError(`train: ${e.message}`);
    throw e;
  }
  const spec = fitSpec(seedSpec, specArg, dataset);
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

function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–';
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}` : `${m}:${String(s % 60).padStart(2, '0')}`;
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

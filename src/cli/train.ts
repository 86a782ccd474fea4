// `morphnet train`: the shrink phase (MORPHNET.md §1.1-1.2) in Node, with a progress bar on
// stderr, learned_structure/alive_<step> in the reference format, run.json kept current, and a
// checkpoint to resume from (train-loop.ts). `--resume DIR` continues a run where it stopped.
import { join } from 'node:path';
import { networkCost } from '../morphnet/cost.ts';
import { isSeedName } from '../morphnet/seeds.ts';
import { validateSpec } from '../morphnet/spec.ts';
import { checkTrainable } from '../morphnet/spec-limits.ts';
import type { Target } from '../morphnet/types.ts';
import { initNodeBackend, type NodeBackendName } from '../engine/backend-node.ts';
import { createSession } from '../engine/session.ts';
import type { TrainSettings } from '../engine/types.ts';
import { parseCommandArgs, parseTarget, required } from './args.ts';
import { checkTorch, parseEngine } from './engine-pytorch.ts';
import { UsageError } from './errors.ts';
import { loadSpec, readText } from './io.ts';
import { fitSpec, loadData, parseBackend, parseDataset, parseLr, parseSeed, parseStrength, parseThreshold, positiveInt } from './options.ts';
import { dropAliveAfter, prepareRunDir, readCheckpoint, RUN_FILE } from './run-dir.ts';
import { scheduleFields, trainLoop, type RunFile } from './train-loop.ts';
import { parseSchedule } from './schedule-flags.ts';
import { trainTorchLoop } from './train-torch.ts';
import { LATENCY_OPTIONS, parseLatency } from './latency-flags.ts';
import { latencyProblem } from '../morphnet/latency.ts';
import type { NetworkCost } from '../morphnet/types.ts';

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

const OPTIONS = {
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
  engine: { type: 'string' },
  schedule: { type: 'string' },
  warmup: { type: 'string' },
  resume: { type: 'string' },
  force: { type: 'boolean' },
  ...LATENCY_OPTIONS,
} as const;

export async function runTrain(argv: string[]): Promise<number> {
  const v = parseCommandArgs('train', argv, OPTIONS);
  if (v.resume !== undefined) {
    const others = Object.keys(v).filter((k) => k !== 'resume' && k !== 'backend');
    if (others.length > 0) {
      throw new UsageError(`train: --resume takes the run's settings from its ${RUN_FILE}; --${others[0]} cannot be given with it`);
    }
    return resume(required('train', 'resume', v.resume), v.backend);
  }
  // Every argument is checked before anything slow (loading data, starting wasm) begins.
  const specArg = required('train', 'spec', v.spec);
  const datasetName = parseDataset('train', v.dataset);
  const out = required('train', 'out', v.out);
  const settings: TrainSettings = {
    target: v.target === undefined ? TRAIN_DEFAULTS.target : parseTarget('train', v.target),
    strength: parseStrength('train', v.strength, TRAIN_DEFAULTS.strength),
    threshold: parseThreshold('train', v.threshold, TRAIN_DEFAULTS.threshold),
    lr: parseLr('train', v.lr, TRAIN_DEFAULTS.lr),
    batch: positiveInt('train', 'batch', v.batch, TRAIN_DEFAULTS.batch),
    seed: parseSeed('train', v.seed, TRAIN_DEFAULTS.seed),
  };
  const latency = parseLatency('train', v, settings.target);
  if (latency !== undefined) settings.latency = latency;
  const steps = positiveInt('train', 'steps', v.steps, TRAIN_DEFAULTS.steps);
  const evalEvery = positiveInt('train', 'eval-every', v['eval-every'], TRAIN_DEFAULTS.evalEvery);
  const schedule = scheduleFields(parseSchedule('train', v.schedule, v.warmup, steps));
  const backendArg = parseBackend('train', v.backend, TRAIN_DEFAULTS.backend);
  const engine = parseEngine('train', v.engine);
  if (engine === 'pytorch' && v.backend !== undefined) {
    throw new UsageError('train: --backend picks a tfjs backend; --engine pytorch runs on the device torch finds');
  }
  if (engine === 'pytorch' && datasetName === 'shapes') {
    throw new UsageError('train: --engine pytorch trains on mnist or fashion (train.py has no shapes generator); use --engine tfjs for shapes');
  }
  const seedSpec = loadSpec(specArg);
  const torchDevice = engine === 'pytorch' ? checkTorch() : null;

  const dataset = await loadData('train', datasetName);
  const spec = fitSpec('train', seedSpec, specArg, dataset);
  checkBatch(settings.batch, dataset.train.count);
  checkTrainable(spec, settings.batch, specArg);
  // Before any training: a run that cannot be written is refused now, not after the work.
  prepareRunDir('train', out, v.force === true);

  if (torchDevice !== null) {
    const cost = networkCost(spec, undefined, settings.latency);
    const run: RunFile = {
      command: 'train',
      status: 'training',
      settings: { spec: specArg, dataset: datasetName, ...settings, steps, evalEvery, backend: torchDevice, engine, ...schedule },
      spec,
      seed: seedSummary(cost),
      step: 0,
      seconds: 0,
      checkpoint: null,
      history: [],
    };
    const net = isSeedName(specArg) ? specArg : null;
    return trainTorchLoop({ out, run, dataset: datasetName, net, testExamples: dataset.test.count });
  }

  const backend = await initNodeBackend(backendArg);
  const seedCost = networkCost(spec, undefined, settings.latency);
  const session = await createSession({ spec, dataset, settings });
  const run: RunFile = {
    command: 'train',
    status: 'training',
    settings: { spec: specArg, dataset: datasetName, ...settings, steps, evalEvery, backend, engine, ...schedule },
    spec,
    seed: seedSummary(seedCost),
    step: 0,
    seconds: 0,
    checkpoint: null,
    history: [],
  };
  try {
    return await trainLoop({ out, run, session, testExamples: dataset.test.count, testAccuracy: NaN });
  } finally {
    session.dispose();
  }
}

/** run.json's seed: its FLOPs and params, and its predicted latency when the run names a device. */
const seedSummary = (c: NetworkCost): RunFile['seed'] => ({
  flops: c.flops,
  params: c.params,
  ...(c.latencyNs === undefined ? {} : { latencyNs: c.latencyNs }),
});

/** A resumed run's device, held to what the flags allow (target latency needs one). */
function checkRunLatency(path: string, s: Partial<RunFile['settings']>): void {
  const l = s.latency as Partial<NonNullable<RunFile['settings']['latency']>> | undefined;
  if (l === undefined && s.target !== 'latency') return;
  const problem =
    l === undefined
      ? 'target latency with no device to price for'
      : typeof l !== 'object' || l === null || typeof l.hardware !== 'object' || l.hardware === null
        ? 'not a device and a latency batch'
        : latencyProblem({ hardware: l.hardware, batch: l.batch as number });
  if (problem !== null) throw new UsageError(`train: ${path}: settings.latency: ${problem}`);
}

function checkBatch(batch: number, count: number): void {
  if (batch > count) throw new UsageError(`train: --batch ${batch} is larger than the ${count} training examples`);
}

/** `train --resume DIR`: the run in DIR/run.json from DIR/checkpoint.json, to the same end. */
async function resume(out: string, backendFlag: string | undefined): Promise<number> {
  const run = readRun(out);
  const s = run.settings;
  if (run.status === 'done') throw new UsageError(`train: the run in "${out}" is finished (${s.steps} steps); nothing to resume`);
  if (run.status === 'diverged') {
    throw new UsageError(`train: the run in "${out}" diverged at step ${run.diverged?.step ?? run.step}; start a new one with a lower --lr or --strength`);
  }
  if (s.engine === 'pytorch') {
    throw new UsageError(`train: the run in "${out}" was trained with --engine pytorch, which keeps no checkpoint to resume from; start it again with --force`);
  }
  const cp = readCheckpoint('train', out);
  if (cp.settings?.batch !== s.batch || cp.settings?.seed !== s.seed || cp.step > s.steps) {
    throw new UsageError(`train: the checkpoint in "${out}" does not belong to its ${RUN_FILE} (another batch, seed or step count)`);
  }
  const spec = validateSpec(run.spec, join(out, RUN_FILE));
  const dataset = await loadData('train', parseDataset('train', s.dataset));
  checkBatch(s.batch, dataset.train.count);
  const backend = await initNodeBackend(parseBackend('train', backendFlag ?? s.backend, TRAIN_DEFAULTS.backend));
  dropAliveAfter(out, cp.step);
  const settings: TrainSettings = { target: s.target, strength: s.strength, threshold: s.threshold, lr: s.lr, batch: s.batch, seed: s.seed };
  if (s.latency !== undefined) settings.latency = s.latency;
  const session = await createSession({ spec, dataset, settings, resume: cp });
  run.settings.backend = backend;
  run.history = run.history.filter((h) => h.step <= cp.step);
  delete run.interrupted;
  const measured = run.history.filter((h) => h.testAccuracy !== undefined);
  try {
    return await trainLoop({ out, run, session, testExamples: dataset.test.count, testAccuracy: measured.at(-1)?.testAccuracy ?? NaN });
  } finally {
    session.dispose();
  }
}

/** DIR/run.json, checked enough to train from: its settings pass the same checks as the flags. */
function readRun(out: string): RunFile {
  const path = join(out, RUN_FILE);
  let run: RunFile;
  try {
    run = JSON.parse(readText(path, 'run summary')) as RunFile;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`train: ${path}: not valid JSON`);
  }
  const s = run?.settings as Partial<RunFile['settings']> | undefined;
  if (run?.command !== 'train' || typeof s !== 'object' || s === null || !Array.isArray(run.history)) {
    throw new UsageError(`train: ${path} is not a morphnet train run`);
  }
  const str = (x: unknown) => (typeof x === 'number' ? String(x) : '');
  parseTarget('train', s.target);
  checkRunLatency(path, s);
  parseStrength('train', str(s.strength), 0);
  parseThreshold('train', str(s.threshold), 0);
  parseLr('train', str(s.lr), 0);
  positiveInt('train', 'batch', str(s.batch), 0);
  parseSeed('train', str(s.seed), 0);
  positiveInt('train', 'steps', str(s.steps), 0);
  positiveInt('train', 'eval-every', str(s.evalEvery), 0);
  return run;
}

// The Node half of `npm run bench`: resnet-mini on MNIST at the page's default settings, on the
// wasm backend (what the CLI uses) and briefly on cpu; the regularizer's and the readback's
// shares of a step. Backends execute eagerly in Node, so a step is timed by the wall clock
// around `trainStep()` alone, with no readback needed to wait for it.
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../../src/engine/backend-node.ts';
import { gatherBatch, makeBatchBuffers } from '../../src/engine/data/batches.ts';
import { loadDatasetFromDisk } from '../../src/engine/data/node.ts';
import { buildModel } from '../../src/engine/model.ts';
import { buildRegularizer } from '../../src/engine/regularizer.ts';
import { createSession, SGD_MOMENTUM } from '../../src/engine/session.ts';
import type { Dataset, TrainSettings } from '../../src/engine/types.ts';
import { buildPlan } from '../../src/morphnet/plan.ts';
import { seedSpec } from '../../src/morphnet/seeds.ts';
import { DEFAULTS } from '../../src/state/url.ts';
import { DEFAULT_PACING, Pacing } from '../../src/worker/pacing.ts';
import { median } from './stats.ts';

export interface NodeOptions {
  /** Timed wasm steps (after warm-up). */
  steps: number;
  /** Timed cpu steps; 0 skips cpu (one step takes minutes). */
  cpuSteps: number;
  /** Pairs of regularizer-on / regularizer-off steps. */
  regPairs: number;
  log: (msg: string) => void;
}

export interface NodeResult {
  net: string;
  dataset: string;
  settings: TrainSettings;
  warmup: number;
  wasm: { stepMs: number[]; readMs: number[]; firstStepMs: number };
  /** Pacing's steps per readback for the measured step time (what the worker would use). */
  readEvery: number;
  tensors: { before: number; after: number; bytesBefore: number; bytesAfter: number; steps: number };
  reg: {
    isolatedMs: number[];
    withMs: number[];
    withoutMs: number[];
    /** Kernels run (tf.profile): R's forward + backward, and a whole step with R. */
    kernels: { reg: number; step: number };
  };
  cpu: { stepMs: number[] } | null;
}

const WARMUP = 2;

const settingsOf = (): TrainSettings => ({
  target: DEFAULTS.target,
  strength: DEFAULTS.strength,
  threshold: DEFAULTS.threshold,
  lr: DEFAULTS.lr,
  batch: DEFAULTS.batch,
  seed: DEFAULTS.seed,
});

async function timeSession(dataset: Dataset, settings: TrainSettings, steps: number, warmup: number) {
  const session = await createSession({ spec: seedSpec('resnet-mini'), dataset, settings });
  const stepMs: number[] = [];
  const readMs: number[] = [];
  let firstStepMs = NaN;
  let before = { numTensors: 0, numBytes: 0 };
  for (let i = 0; i < warmup + steps; i++) {
    if (i === warmup) before = tf.memory();
    const t0 = performance.now();
    session.trainStep();
    const t1 = performance.now();
    await session.readMetrics();
    const t2 = performance.now();
    if (i === 0) firstStepMs = t1 - t0;
    if (i >= warmup) {
      stepMs.push(t1 - t0);
      readMs.push(t2 - t1);
    }
  }
  const after = tf.memory();
  session.dispose();
  return {
    stepMs,
    readMs,
    firstStepMs,
    tensors: {
      before: before.numTensors,
      after: after.numTensors,
      bytesBefore: before.numBytes,
      bytesAfter: after.numBytes,
      steps,
    },
  };
}

/**
 * The engine cannot train without its regularizer, so two measures: (1) R's own forward and
 * backward pass (tf.variableGrads over γ), the part of a step the regularizer adds; (2) a step
 * built here the way session.ts builds it, with and without the R term, alternated so that
 * load spikes hit both. (2) includes the tape's bookkeeping but is noisy; (1) is precise.
 */
async function timeRegularizer(dataset: Dataset, settings: TrainSettings, pairs: number) {
  const spec = seedSpec('resnet-mini');
  const model = buildModel(spec, settings.seed);
  const reg = buildRegularizer(buildPlan(spec));
  const optimizer = tf.train.momentum(settings.lr, SGD_MOMENTUM);
  const buf = makeBatchBuffers(dataset, settings.batch);
  gatherBatch(
    dataset,
    'train',
    Array.from({ length: settings.batch }, (_, i) => i),
    buf,
  );
  const x = tf.tensor4d(buf.images, [settings.batch, dataset.height, dataset.width, dataset.channels]);
  const y = tf.oneHot(tf.tensor1d(buf.labels, 'int32'), dataset.classes).toFloat() as tf.Tensor2D;
  // R's weight: its value does not change what the step costs, only what it learns.
  const scale = tf.scalar(1e-9);
  const threshold = tf.scalar(settings.threshold);
  const gammaOf = (n: string) => model.gammas.get(n) as tf.Tensor1D;
  const gammaVars = [...model.gammas.values()];

  const step = (withReg: boolean): number => {
    const t0 = performance.now();
    const cost = optimizer.minimize(
      () => {
        const task = tf.losses.softmaxCrossEntropy(y, model.apply(x, true)) as tf.Scalar;
        return withReg
          ? (task.add(reg.apply(gammaOf, settings.target, threshold).mul(scale)) as tf.Scalar)
          : task;
      },
      false,
      model.trainable,
    );
    cost?.dispose();
    return performance.now() - t0;
  };
  const regOnly = (): number => {
    const t0 = performance.now();
    const { value, grads } = tf.variableGrads(
      () => reg.apply(gammaOf, settings.target, threshold).mul(scale) as tf.Scalar,
      gammaVars,
    );
    tf.dispose([value, ...Object.values(grads)]);
    return performance.now() - t0;
  };

  step(true);
  step(false);
  for (let i = 0; i < 3; i++) regOnly();
  // On a GPU every kernel is a dispatch with a fixed cost: the count carries over where the
  // wasm milliseconds do not.
  const kernels = {
    reg: (await tf.profile(() => void regOnly())).kernels.length,
    step: (await tf.profile(() => void step(true))).kernels.length,
  };
  const withMs: number[] = [];
  const withoutMs: number[] = [];
  const isolatedMs: number[] = [];
  for (let i = 0; i < pairs; i++) {
    // ABBA order: a slow drift in machine load biases neither side.
    if (i % 2 === 0) {
      withMs.push(step(true));
      withoutMs.push(step(false));
    } else {
      withoutMs.push(step(false));
      withMs.push(step(true));
    }
    for (let k = 0; k < 5; k++) isolatedMs.push(regOnly());
  }
  tf.dispose([x, y, scale, threshold]);
  optimizer.dispose();
  reg.dispose();
  model.dispose();
  return { isolatedMs, withMs, withoutMs, kernels };
}

export async function runNode(opts: NodeOptions): Promise<NodeResult> {
  const { log } = opts;
  const settings = settingsOf();
  log('node: loading MNIST from public/data');
  const dataset = await loadDatasetFromDisk('mnist');
  await initNodeBackend('wasm');
  log(`node: wasm, resnet-mini, batch ${settings.batch}: ${WARMUP} warm-up + ${opts.steps} timed steps`);
  const wasm = await timeSession(dataset, settings, opts.steps, WARMUP);
  log(
    `node: wasm median ${median(wasm.stepMs).toFixed(0)} ms/step; regularizer, ${opts.regPairs} pairs of steps`,
  );
  const reg = await timeRegularizer(dataset, settings, opts.regPairs);
  // What the worker would do at this step time: Pacing picks the steps per readback.
  let clock = 0;
  const pacing = new Pacing(DEFAULT_PACING, () => clock);
  clock = median(wasm.stepMs);
  pacing.recordChunk(0, 1);
  const readEvery = pacing.readEvery;
  let cpu: NodeResult['cpu'] = null;
  if (opts.cpuSteps > 0) {
    await initNodeBackend('cpu');
    log(`node: cpu, ${opts.cpuSteps} step(s), no warm-up (each takes minutes here)`);
    const c = await timeSession(dataset, settings, opts.cpuSteps, 0);
    cpu = { stepMs: c.stepMs };
    log(`node: cpu ${c.stepMs.map((t) => (t / 1000).toFixed(1)).join(', ')} s/step`);
  }
  return {
    net: 'resnet-mini',
    dataset: 'mnist',
    settings,
    warmup: WARMUP,
    wasm: { stepMs: wasm.stepMs, readMs: wasm.readMs, firstStepMs: wasm.firstStepMs },
    readEvery,
    tensors: wasm.tensors,
    reg,
    cpu,
  };
}

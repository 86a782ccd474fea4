// A live training run (the Session contract in ./types.ts), the same code in the worker and in
// Node. SGD with momentum, not Adam: Adam rescales each parameter's gradient by its own history,
// which would erase the per-channel cost weighting that makes the regularizer targeted (§3).
import * as tf from '@tensorflow/tfjs';
import { aliveCounts } from '../morphnet/alive.ts';
import { networkCost, targetCost } from '../morphnet/cost.ts';
import { latencyProblem, networkLatency } from '../morphnet/latency.ts';
import { buildPlan } from '../morphnet/plan.ts';
import { regularizerValue } from '../morphnet/regularizer.ts';
import { emptyRecord } from '../morphnet/records.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import { evalBatches, gatherBatch, makeBatchBuffers, makeBatchSampler } from './data/batches.ts';
import { checkResumable, readTensors, toTensor } from './checkpoint.ts';
import { FusedMomentumOptimizer } from './fused-momentum.ts';
import { buildModel, type ModelWeights } from './model.ts';
import { disposeWeights } from './prune.ts';
import { buildRegularizer } from './regularizer.ts';
import { withTexturePoolCap } from './texture-pool.ts';
import type { Checkpoint, Dataset, Metrics, Session, SessionOptions, TrainSettings, WeightAccess } from './types.ts';

/** Momentum of the SGD optimizer; the learning rate is a setting. */
export const SGD_MOMENTUM = 0.9;
/** Test examples per inference batch; the last batch is padded so every batch has one shape. */
export const EVAL_BATCH = 200;

function checkFits(spec: NetworkSpec, data: Dataset): void {
  const { height, width, channels } = spec.input;
  if (height !== data.height || width !== data.width || channels !== data.channels || spec.classes !== data.classes) {
    throw new Error(
      `the network "${spec.name}" takes ${height}×${width}×${channels} images in ${spec.classes} classes, ` +
        `but the dataset "${data.name}" has ${data.height}×${data.width}×${data.channels} in ${data.classes}`,
    );
  }
}

function checkSettings(s: TrainSettings): void {
  const bad = (what: string) => {
    throw new Error(`training setting ${what}`);
  };
  if (!Number.isInteger(s.batch) || s.batch < 1) bad(`batch must be a positive integer, got ${s.batch}`);
  if (!(s.lr > 0)) bad(`lr must be positive, got ${s.lr}`);
  if (!(s.strength >= 0)) bad(`strength must be ≥ 0, got ${s.strength}`);
  if (!(s.threshold >= 0)) bad(`threshold must be ≥ 0, got ${s.threshold}`);
  if (s.target !== 'flops' && s.target !== 'size' && s.target !== 'latency') {
    bad(`target must be flops, size or latency, got ${String(s.target)}`);
  }
  if (s.latency !== undefined) {
    const problem = latencyProblem(s.latency);
    if (problem !== null) bad(`latency: ${problem}`);
  } else if (s.target === 'latency') {
    bad('latency is needed with target latency: the device to price for (peak GFLOP/s, bandwidth GB/s) and the latency batch');
  }
}

export async function createSession(opts: SessionOptions): Promise<Session & WeightAccess> {
  const { spec, dataset } = opts;
  checkFits(spec, dataset);
  checkSettings(opts.settings);
  const resume = opts.resume;
  if (resume !== undefined) {
    if (opts.initialWeights !== undefined) throw new Error('createSession: resume and initialWeights cannot be given together');
    checkResumable(resume, opts.settings);
  }
  await tf.ready();
  const settings: TrainSettings = { ...opts.settings };
  const plan = buildPlan(spec);
  // F(seed) per target, the unit of `strength` (MORPHNET.md §5); for latency, the seed's latency
  // on the device priced for (it changes with the device, so it is computed when settings change).
  const refPlan = buildPlan(opts.referenceSpec ?? spec);
  const refCost = networkCost(refPlan);
  const refF = (s: TrainSettings) => {
    const f = s.target === 'latency' ? networkLatency(refPlan, undefined, s.latency!).latencyNs : targetCost(refCost, s.target);
    return s.target === 'latency' ? (f > 0 ? f : 1) : Math.max(1, f);
  };
  const scaleOf = (s: TrainSettings) => s.strength / refF(s);

  const initialWeights = resume === undefined ? opts.initialWeights : resumedWeights(resume);
  const model = buildModel(spec, settings.seed, initialWeights === undefined ? {} : { initialWeights });
  if (resume !== undefined) disposeWeights(initialWeights!);
  /** `<layer>/<what>` of each variable, in model.variables order (their names are `<prefix>/<key>`). */
  const keyOf = (v: tf.Variable) => v.name.slice(v.name.indexOf('/') + 1);
  const reg = buildRegularizer(plan);
  if (settings.latency !== undefined) reg.setLatency(settings.latency);
  const gammaNames = [...model.gammas.keys()];
  const gammaOf = (name: string) => model.gammas.get(name) as tf.Tensor1D;
  // Settings the step reads as tensors: assigned in place, so nothing is rebuilt or re-traced.
  // Under tidy, so the scalars they start from do not outlive them (variables survive a tidy).
  const regScale = tf.tidy(() => tf.variable(tf.scalar(scaleOf(settings)), false));
  const threshold = tf.tidy(() => tf.variable(tf.scalar(settings.threshold), false));
  // tf.train.momentum's values, one update kernel a step on wasm (fused-momentum.ts).
  const optimizer = new FusedMomentumOptimizer(settings.lr, SGD_MOMENTUM);
  // Its own stream, apart from the weights' (seeded with the same number).
  const sampler = makeBatchSampler({ count: dataset.train.count, batchSize: settings.batch, seed: (settings.seed ^ 0x5bd1e995) >>> 0 });
  if (resume !== undefined) await restoreOptimizer(resume);
  const { height, width, channels, classes } = dataset;
  const trainBuf = makeBatchBuffers(dataset, settings.batch);
  const yBuf = new Float32Array(settings.batch * classes);
  // The last step's task loss, R and training accuracy, kept on the device until readMetrics.
  let lastStats: tf.Tensor1D = tf.tensor1d([NaN, NaN, NaN]);
  let step = resume?.step ?? 0;
  /** Steps taken by this session object (a resumed one starts with none, lastStats still NaN). */
  let ownSteps = 0;
  let disposed = false;

  /** Momentum slots from the checkpoint, and the sampler moved to where the run left it. */
  async function restoreOptimizer(cp: Checkpoint): Promise<void> {
    for (let k = 0; k < cp.step; k++) sampler.next();
    if (Object.keys(cp.slots).length === 0) return;
    // Accumulator i belongs to model.trainable[i] (tfjs's MomentumOptimizer keeps them by index
    // of the variable list given to minimize); `iter` comes first in its weight list.
    const iter = tf.scalar(cp.step, 'int32');
    const slots = model.trainable.map((v) => ({
      name: `${v.name}/momentum`,
      tensor: toTensor(cp.slots[keyOf(v)], v.shape, `momentum slot "${keyOf(v)}"`),
    }));
    await optimizer.setWeights([{ name: 'iter', tensor: iter }, ...slots]);
    tf.dispose([iter, ...slots.map((s) => s.tensor)]);
  }

  function trainStep(): void {
    if (disposed) throw new Error('trainStep on a disposed session');
    gatherBatch(dataset, 'train', sampler.next(), trainBuf);
    yBuf.fill(0);
    trainBuf.labels.forEach((label, k) => (yBuf[k * classes + label] = 1));
    const x = tf.tensor4d(trainBuf.images, [settings.batch, height, width, channels]);
    const y = tf.tensor2d(yBuf, [settings.batch, classes]);
    const target = settings.target;
    const kept: { stats?: tf.Tensor1D } = {};
    const cost = optimizer.minimize(
      () => {
        const logits = model.apply(x, true);
        const task = tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
        const r = reg.apply(gammaOf, target, threshold);
        const correct = tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1)).toFloat().mean();
        // Kept past minimize's tidy; it never feeds the loss, so no gradient runs through it.
        kept.stats = tf.keep(tf.stack([task, r, correct]) as tf.Tensor1D);
        return task.add(r.mul(regScale)) as tf.Scalar;
      },
      false,
      model.trainable,
    );
    cost?.dispose();
    tf.dispose([x, y, lastStats]);
    lastStats = kept.stats!;
    step++;
    ownSteps++;
  }

  async function readMetrics(): Promise<Metrics> {
    // One readback (BROWSER.md): stats and every |γ| laid end to end, read with one data().
    const packed = tf.tidy(() => tf.concat([lastStats, ...gammaNames.map((n) => tf.abs(gammaOf(n)))]));
    const data = (await packed.data()) as Float32Array;
    packed.dispose();
    const gammas = emptyRecord<Float32Array>(); // keyed by layer names, `__proto__` included
    let offset = 3;
    for (const n of gammaNames) {
      const size = model.gammas.get(n)!.shape[0]!;
      gammas[n] = data.slice(offset, offset + size); // a copy: data() may be tfjs's cache
      offset += size;
    }
    // Before the first step there is no step value of R: the pure formula gives it.
    const regValue =
      ownSteps === 0 ? regularizerValue(plan, gammas, settings.threshold, settings.target, settings.latency) : data[1]!;
    const alive = aliveCounts(plan, gammas, settings.threshold);
    const cost = networkCost(plan, alive, settings.latency);
    return {
      step,
      taskLoss: data[0]!,
      regLoss: scaleOf(settings) * regValue,
      regValue,
      trainAccuracy: data[2]!,
      gammas,
      alive,
      flops: cost.flops,
      params: cost.params,
      ...(cost.latencyNs === undefined ? {} : { latencyNs: cost.latencyNs }),
    };
  }

  // Batches for re-estimating batch-norm statistics: a stream apart from training's.
  const calibrationSampler = makeBatchSampler({ count: dataset.train.count, batchSize: settings.batch, seed: (settings.seed ^ 0x2545f491) >>> 0 });
  const calibrationBuf = makeBatchBuffers(dataset, settings.batch);
  for (let k = 0; k < (resume?.calibrationBatches ?? 0); k++) calibrationSampler.next();

  /** Precise BN: the moving averages become the mean of `n` training batches' statistics. */
  function calibrate(n: number): void {
    for (let k = 0; k < n; k++) {
      gatherBatch(dataset, 'train', calibrationSampler.next(), calibrationBuf);
      // Momentum k/(k+1) makes the k+1 batches' statistics an equal-weight running mean.
      tf.tidy(() => {
        model.apply(tf.tensor4d(calibrationBuf.images, [settings.batch, height, width, channels]), true, k / (k + 1));
      });
    }
  }

  function evaluate(limit?: number, opts: { calibrate?: number } = {}): Promise<number> {
    return withTexturePoolCap(() => evaluateNow(limit, opts));
  }

  async function evaluateNow(limit: number | undefined, opts: { calibrate?: number }): Promise<number> {
    calibrate(opts.calibrate ?? 0);
    const batches = evalBatches(dataset.test.count, EVAL_BATCH, limit);
    const n = batches.reduce((sum, b) => sum + b.valid, 0);
    if (n === 0) return NaN;
    const buf = makeBatchBuffers(dataset, EVAL_BATCH);
    let correct: tf.Scalar = tf.scalar(0);
    for (const b of batches) {
      gatherBatch(dataset, 'test', b.indices, buf);
      // The padding rows get label −1, which no argMax equals: they count as neither right nor wrong.
      buf.labels.fill(-1, b.valid);
      const next = tf.tidy(() => {
        const logits = model.apply(tf.tensor4d(buf.images, [EVAL_BATCH, height, width, channels]), false);
        const hit = tf.equal(tf.argMax(logits, 1), tf.tensor1d(buf.labels, 'int32'));
        return correct.add(hit.toFloat().sum()) as tf.Scalar;
      });
      correct.dispose();
      correct = next;
    }
    const total = (await correct.data())[0]!;
    correct.dispose();
    return total / n;
  }

  async function filterNorms(): Promise<Record<string, Float32Array>> {
    const names = [...model.convKernels.keys()];
    const packed = tf.tidy(() =>
      tf.concat(names.map((n) => tf.sqrt(tf.sum(tf.square(model.convKernels.get(n)!), [0, 1, 2])))),
    );
    const data = (await packed.data()) as Float32Array;
    packed.dispose();
    const out = emptyRecord<Float32Array>();
    let offset = 0;
    for (const n of names) {
      const size = model.convKernels.get(n)!.shape[3]!;
      out[n] = data.slice(offset, offset + size);
      offset += size;
    }
    return out;
  }

  async function checkpoint(): Promise<Checkpoint> {
    if (disposed) throw new Error('checkpoint of a disposed session');
    const at = { step, settings: { ...settings }, calibrationBatches: calibrationSampler.step };
    // The optimizer's accumulators exist only after the first step; getWeights hands out the
    // live variables (read, not disposed) after a fresh `iter` scalar (disposed).
    const [iter, ...accumulators] = await optimizer.getWeights();
    iter?.tensor.dispose();
    const vars = model.variables.map((v) => [keyOf(v), v] as const);
    const slots = accumulators.map((a, i) => [keyOf(model.trainable[i]!), a.tensor] as const);
    const all = await readTensors([...vars, ...slots.map(([k, t]) => [`slot:${k}`, t] as const)]);
    const pick = (prefix: string, keys: readonly string[]) =>
      Object.fromEntries(keys.map((k) => [k, all[`${prefix}${k}`]!]));
    return {
      ...at,
      variables: pick('', vars.map(([k]) => k)),
      slots: pick('slot:', slots.map(([k]) => k)),
    };
  }

  function updateSettings(patch: Partial<Omit<TrainSettings, 'batch' | 'seed'>>): void {
    const next = { ...settings, ...patch };
    checkSettings(next);
    Object.assign(settings, next);
    if (settings.latency !== undefined) reg.setLatency(settings.latency);
    tf.tidy(() => {
      regScale.assign(tf.scalar(scaleOf(settings)));
      threshold.assign(tf.scalar(settings.threshold));
    });
    optimizer.setLearningRate(settings.lr);
  }

  return {
    spec,
    get step() {
      return step;
    },
    updateSettings,
    trainStep,
    readMetrics,
    evaluate,
    checkpoint,
    exportWeights: () => model.exportWeights(),
    filterNorms,
    dispose() {
      if (disposed) return;
      disposed = true;
      model.dispose();
      reg.dispose();
      optimizer.dispose();
      // tfjs's MomentumOptimizer.dispose skips its parent's, which holds the −lr scalar.
      tf.SGDOptimizer.prototype.dispose.call(optimizer);
      tf.dispose([regScale, threshold, lastStats]);
    },
  };
}

/** The checkpoint's variables as tensors, for buildModel (which checks every key and shape); the caller disposes them. */
function resumedWeights(cp: Checkpoint): ModelWeights {
  const out: ModelWeights = {};
  for (const [key, d] of Object.entries(cp.variables)) out[key] = toTensor(d, d.shape, `variable "${key}"`);
  return out;
}

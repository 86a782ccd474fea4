// The training batch norm composed from tfjs ops (as model.ts composes it without the custom
// kernels) against BN_TRAIN / BN_TRAIN_GRAD (batchnorm-kernels.ts; on WebGPU the programs of
// webgpu-batchnorm.ts), forward and gradient, at every batch-norm shape of resnet-mini: run in
// headless Chromium by webgpu-kernels.ts and in Node through Dawn by gpu/gpu-step.ts. The two
// alternate round by round, so a slow spell of a shared machine hits both.
import * as tf from '@tensorflow/tfjs';
import { batchNormTrain } from '../../src/engine/batchnorm-kernels.ts';
import { webgpuBatchNormCounts } from '../../src/engine/webgpu-batchnorm.ts';
import { medianOf, resnetMiniFilterGradShapes, stepTotals } from './filter-grad-timing.ts';

export interface BatchNormTiming {
  /** The layers whose batch norm sees this shape, e.g. `s1b1/conv1 ×4`. */
  layers: string[];
  x: [number, number, number, number];
  /** ms per forward + gradient, one value per round. */
  composedMs: number[];
  fusedMs: number[];
}

export interface BatchNormRun {
  batch: number;
  rounds: number;
  reps: number;
  shapes: BatchNormTiming[];
  /** Σ over every batch norm of a step of its shape's ms, per round. */
  stepComposedMs: number[];
  stepFusedMs: number[];
}

const EPSILON = 1e-3;

/** model.ts's composed training batch norm: moments, then one per-channel scale and shift. */
function composed(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const scale = gamma.mul(tf.rsqrt(variance.add(EPSILON)));
  return x.mul(scale).add(beta.sub(mean.mul(scale)));
}

const fused = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => batchNormTrain(x, gamma, beta, EPSILON).y;

/** Every conv layer is followed by a batch norm over its output: the shapes, grouped. */
export function resnetMiniBatchNormShapes(batch: number): { layers: string[]; x: BatchNormTiming['x'] }[] {
  const shapes = new Map<string, { layers: string[]; x: BatchNormTiming['x'] }>();
  for (const s of resnetMiniFilterGradShapes(batch)) {
    const x: BatchNormTiming['x'] = [
      batch,
      Math.ceil(s.x[1] / s.stride),
      Math.ceil(s.x[2] / s.stride),
      s.filter[3],
    ];
    const key = x.join(',');
    const known = shapes.get(key);
    if (known) known.layers.push(...s.layers);
    else shapes.set(key, { layers: [...s.layers], x });
  }
  return [...shapes.values()];
}

/** ms per forward + gradient of `reps` queued calls, closed by one readback. */
async function timeCalls(
  bn: typeof composed,
  x: tf.Tensor,
  dy: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  reps: number,
): Promise<number> {
  const grads = tf.grads((x, g, b) => tf.sum(tf.mul(bn(x, g, b), dy)));
  const run = () => grads([x, gamma, beta]);
  tf.dispose(await Promise.all(run().map(async (t) => (await t.data(), t))));
  const t0 = performance.now();
  const outs: tf.Tensor[][] = [];
  for (let i = 0; i < reps; i++) outs.push(run());
  await Promise.all(outs.at(-1)!.map((t) => t.data()));
  const elapsed = performance.now() - t0;
  tf.dispose(outs.flat());
  return elapsed / reps;
}

/** Times both on every shape, `rounds` alternated rounds after one warm-up call each. */
export async function timeBatchNorms(opts: {
  batch: number;
  rounds: number;
  reps: number;
  log?: (msg: string) => void;
}): Promise<BatchNormRun> {
  const before = webgpuBatchNormCounts();
  const shapes: BatchNormTiming[] = resnetMiniBatchNormShapes(opts.batch).map((s) => ({
    ...s,
    composedMs: [],
    fusedMs: [],
  }));
  for (const s of shapes) {
    const x = tf.randomUniform(s.x, -1, 1, 'float32', 1);
    const dy = tf.randomUniform(s.x, -1, 1, 'float32', 2);
    const gamma = tf.randomUniform([s.x[3]], 0.5, 1.5, 'float32', 3);
    const beta = tf.randomUniform([s.x[3]], -1, 1, 'float32', 4);
    for (const bn of [composed, fused]) await timeCalls(bn, x, dy, gamma, beta, 1); // compiles
    for (let r = 0; r < opts.rounds; r++) {
      for (const isComposed of r % 2 === 0 ? [true, false] : [false, true]) {
        const ms = await timeCalls(isComposed ? composed : fused, x, dy, gamma, beta, opts.reps);
        (isComposed ? s.composedMs : s.fusedMs).push(ms);
      }
    }
    tf.dispose([x, dy, gamma, beta]);
    opts.log?.(
      `batch norm ${s.layers[0]} x${s.layers.length} x ${s.x.join('×')}: ` +
        `composed ${medianOf(s.composedMs).toFixed(1)} ms, fused ${medianOf(s.fusedMs).toFixed(1)} ms`,
    );
  }
  // The timings are only the WebGPU programs' if they ran: BN_TRAIN may not be registered.
  if (webgpuBatchNormCounts().backward === before.backward)
    throw new Error('the WebGPU batch norm never ran (not registered?)');
  const perRound = (pick: (s: BatchNormTiming) => number[]) => stepTotals(shapes, opts.rounds, pick);
  return {
    batch: opts.batch,
    rounds: opts.rounds,
    reps: opts.reps,
    shapes,
    stepComposedMs: perRound((s) => s.composedMs),
    stepFusedMs: perRound((s) => s.fusedMs),
  };
}

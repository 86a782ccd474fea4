// How fast the active backend trains a network: a few steps of SGD on seeded random images of
// the spec's shape, each awaited, so that 'auto' can pick the fastest backend by measuring
// rather than by a fixed order (a weak GPU can lose to wasm on a small network).
import * as tf from '@tensorflow/tfjs';
import type { NetworkSpec } from '../morphnet/types.ts';
import { buildModel } from './model.ts';
import { makeNormal, makeRng } from './rng.ts';
import { SGD_MOMENTUM } from './session.ts';

export interface ProbeOptions {
  batch: number;
  /** Timed steps after the warm-up (which compiles shaders / sets up kernels). */
  steps: number;
  warmup: number;
  /** Stops early once the warm-up alone took longer than this (a backend far too slow to win). */
  budgetMs?: number;
  now?: () => number;
}

export interface ProbeResult {
  /** Median of the timed steps, ms; the warm-up's time when the budget cut it short. */
  stepMs: number;
  warmupMs: number;
  timedSteps: number;
}

export async function probeTrainingStep(spec: NetworkSpec, opts: ProbeOptions): Promise<ProbeResult> {
  const now = opts.now ?? (() => performance.now());
  const { height, width, channels } = spec.input;
  const normal = makeNormal(makeRng(7));
  const xs = Float32Array.from({ length: opts.batch * height * width * channels }, () => normal());
  const labels = Int32Array.from({ length: opts.batch }, (_, i) => i % spec.classes);
  const model = buildModel(spec, 1);
  const optimizer = tf.train.momentum(0.01, SGD_MOMENTUM);
  const x = tf.tensor4d(xs, [opts.batch, height, width, channels]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), spec.classes).toFloat() as tf.Tensor2D);
  const step = async (): Promise<number> => {
    const t0 = now();
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, true)) as tf.Scalar,
      true,
      model.trainable,
    );
    await loss!.data(); // waits for the queued GPU work too
    loss!.dispose();
    return now() - t0;
  };
  try {
    let warmupMs = 0;
    for (let i = 0; i < opts.warmup; i++) warmupMs += await step();
    if (opts.budgetMs !== undefined && warmupMs > opts.budgetMs) {
      return { stepMs: warmupMs / Math.max(1, opts.warmup), warmupMs, timedSteps: 0 };
    }
    const times: number[] = [];
    for (let i = 0; i < opts.steps; i++) times.push(await step());
    times.sort((a, b) => a - b);
    return { stepMs: times[times.length >> 1] ?? NaN, warmupMs, timedSteps: times.length };
  } finally {
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  }
}

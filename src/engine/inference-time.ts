// How long the network takes to run on this device, measured (issue 13, "Predicted against
// measured"): the network rebuilt at its alive widths, a forward pass in inference mode on a
// batch of seeded random images, timed after a warm-up. What the latency model predicts is
// compared with this number.
import * as tf from '@tensorflow/tfjs';
import { pruneSpec, scalingFor, widthsAt } from '../morphnet/expand.ts';
import { validateSpec } from '../morphnet/spec.ts';
import type { AliveCounts, NetworkSpec } from '../morphnet/types.ts';
import { buildModel } from './model.ts';
import { makeNormal, makeRng } from './rng.ts';

export interface InferenceTimeOptions {
  /** Timed forward passes after the warm-up. Default 10. */
  runs?: number;
  /** Untimed passes first (shader compilation, first-use setup). Default 2. */
  warmup?: number;
  /** Stops timing once this much time went by (keeping at least 3 runs, or `runs` if fewer). Default 10 s. */
  budgetMs?: number;
  now?: () => number;
}

export interface InferenceTime {
  /** Median ms of one forward pass, readback of the logits included. */
  medianMs: number;
  /** The fastest timed pass: on a busy machine, closer to what the device itself can do. */
  fastestMs?: number;
  runs: number;
}

/**
 * The network that actually runs at these alive counts: every conv at its alive count (the same
 * rule as expansion at ω = 1, MORPHNET.md §1.3), dead blocks removed. Undefined counts: the spec.
 */
export function specAtAlive(spec: NetworkSpec, alive: AliveCounts | undefined): NetworkSpec {
  if (alive === undefined) return spec;
  const pruned = pruneSpec(spec, widthsAt(scalingFor(spec, alive), 1));
  if (pruned === null) throw new Error('specAtAlive: the logits were cut off'); // scalingFor prevents this
  return validateSpec(pruned, spec.name);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};

/** Median ms of a forward pass of `spec` at the alive widths, batch `batch`, after warm-up. */
export async function timeInference(
  spec: NetworkSpec,
  alive: AliveCounts | undefined,
  batch: number,
  opts: InferenceTimeOptions = {},
): Promise<InferenceTime> {
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`timeInference: batch must be a positive integer, got ${batch}`);
  const now = opts.now ?? (() => performance.now());
  const runs = Math.max(1, opts.runs ?? 10);
  const budget = opts.budgetMs ?? 10_000;
  const net = specAtAlive(spec, alive);
  const { height, width, channels } = net.input;
  const normal = makeNormal(makeRng(11));
  const x = tf.tensor4d(
    Float32Array.from({ length: batch * height * width * channels }, () => normal()),
    [batch, height, width, channels],
  );
  const model = buildModel(net, 1);
  const pass = async (): Promise<number> => {
    const t0 = now();
    const logits = tf.tidy(() => model.apply(x, false));
    await logits.data(); // waits for the queued GPU work too
    const ms = now() - t0;
    logits.dispose();
    return ms;
  };
  try {
    for (let i = 0; i < (opts.warmup ?? 2); i++) await pass();
    const start = now();
    const times: number[] = [];
    while (times.length < runs && (times.length < 3 || now() - start < budget)) times.push(await pass());
    return { medianMs: median(times), fastestMs: Math.min(...times), runs: times.length };
  } finally {
    x.dispose();
    model.dispose();
  }
}

// What the device the page runs on can do, measured on the active tfjs backend, so the latency
// target can price a network for it (issue 13, "This device"): peak compute as the best GFLOP/s
// of large float32 matmuls, bandwidth as the best GB/s of a large elementwise op (bytes read and
// written), and the dispatch cost of a tiny op. Each is the median of several timed samples
// after a warm-up, every sample ending in one awaited readback (the sync point on a GPU).
// Bounded by time: sizes grow only while a sample stays short and the phase's budget lasts.
import * as tf from '@tensorflow/tfjs';

/** What `measureDevice` found (the latency target's Hardware for "this device"). */
export interface DeviceMeasurement {
  /** The tfjs backend measured: 'webgpu', 'webgl', 'wasm' or 'cpu'. */
  backend: string;
  peakGflops: number;
  bandwidthGbs: number;
  /** What one tiny op costs (dispatch, not work): the contract's Hardware.opOverheadNs. */
  opOverheadNs: number;
  /** Date.now() when measured. */
  measuredAt: number;
}

export interface ProbeDeviceOptions {
  /** The whole measurement's time budget in ms (a sample under way is finished). Default 6000. */
  budgetMs?: number;
  /** Largest square matmul side tried. Default 2048 (16 MB a matrix). */
  maxMatmul?: number;
  /** Largest elementwise tensor tried, in float32 values. Default 2^24 (64 MB). */
  maxElements?: number;
  /** Timed samples per size after the warm-up. Default 5. */
  samples?: number;
  now?: () => number;
}

/** A sample should take at least this long, so timer resolution and the readback do not dominate. */
const MIN_SAMPLE_MS = 20;
/** At most this many ops queued into one sample. */
const MAX_REPS = 64;
/** The tiny op's sample: this many more ops in the long run than in the short one. */
const TINY_SHORT = 8;
const TINY_LONG = 72;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};

/**
 * `reps` ops on `x` queued one after another (each result freed once the next exists: the GPU
 * still runs them in order), then one readback of one value of the last: ms from first to read.
 */
async function timeChain(
  x: tf.Tensor,
  reps: number,
  op: (x: tf.Tensor) => tf.Tensor,
  now: () => number,
): Promise<number> {
  const t0 = now();
  let y: tf.Tensor | null = null;
  for (let i = 0; i < reps; i++) {
    const next = op(x);
    y?.dispose();
    y = next;
  }
  const last = y ?? x;
  const one = tf.tidy(() => last.reshape([-1]).slice(0, 1));
  await one.data();
  const ms = now() - t0;
  one.dispose();
  y?.dispose();
  return ms;
}

interface Phase {
  /** The time by which this phase stops starting new sizes and samples. */
  until: number;
  now: () => number;
  samples: number;
  progress: (done: number) => void;
}

/**
 * The best rate over growing sizes: per size a warm-up (compiles shaders), then `samples` timed
 * samples of `reps` ops, reps chosen from the warm-up so a sample takes ≥ MIN_SAMPLE_MS. `work`
 * is the amount one op does (FLOPs or bytes); returns work per ns (GFLOP/s or GB/s).
 */
async function bestRate(
  sizes: number[],
  make: (n: number) => tf.Tensor,
  op: (x: tf.Tensor) => tf.Tensor,
  work: (n: number) => number,
  p: Phase,
): Promise<number> {
  let best = 0;
  for (let k = 0; k < sizes.length; k++) {
    const n = sizes[k]!;
    const x = make(n);
    let once: number;
    try {
      await timeChain(x, 1, op, p.now); // compile / first-use
      once = Math.max(1e-3, await timeChain(x, 1, op, p.now));
      const reps = Math.min(MAX_REPS, Math.max(1, Math.ceil(MIN_SAMPLE_MS / once)));
      const times: number[] = [];
      while (times.length < p.samples && (times.length < 2 || p.now() < p.until)) {
        times.push(await timeChain(x, reps, op, p.now));
      }
      const ms = median(times);
      if (ms > 0) best = Math.max(best, (work(n) * reps) / (ms * 1e6));
    } finally {
      x.dispose();
    }
    p.progress((k + 1) / sizes.length);
    // The next size only if its warm-ups and two samples fit in what is left of the budget:
    // a matmul twice the side is 8× the work, and one sample cannot be cut short.
    const next = sizes[k + 1];
    if (next === undefined) break;
    const nextOnce = (once * work(next)) / work(n);
    if (p.now() + 4 * Math.max(nextOnce, MIN_SAMPLE_MS) > p.until) break;
  }
  p.progress(1);
  return best;
}

/** Median ns one tiny op costs: the difference of a long and a short chain, per extra op. */
async function tinyOpNs(p: Phase): Promise<number> {
  const x = tf.ones([1, 4]);
  try {
    const op = (t: tf.Tensor) => tf.neg(t);
    await timeChain(x, TINY_LONG, op, p.now);
    const perOp: number[] = [];
    const samples = Math.max(3, p.samples);
    while (perOp.length < samples && (perOp.length < 3 || p.now() < p.until)) {
      const short = await timeChain(x, TINY_SHORT, op, p.now);
      const long = await timeChain(x, TINY_LONG, op, p.now);
      // The readback is in both; noise can make the difference non-positive: then the long
      // chain's mean is the honest upper bound.
      const d = (long - short) / (TINY_LONG - TINY_SHORT);
      perOp.push(d > 0 ? d : long / TINY_LONG);
      p.progress(perOp.length / samples);
    }
    return median(perOp) * 1e6;
  } finally {
    x.dispose();
  }
}

const powersOfTwo = (from: number, to: number): number[] => {
  const out: number[] = [];
  for (let n = from; n <= to; n *= 2) out.push(n);
  return out.length > 0 ? out : [to];
};

/**
 * Measures the active backend: about `budgetMs` in all (60% matmuls, 30% the elementwise op,
 * 10% the tiny op; a phase may overrun by the sample under way). Leaves no tensors behind.
 */
export async function measureDevice(
  onProgress?: (fraction: number) => void,
  opts: ProbeDeviceOptions = {},
): Promise<DeviceMeasurement> {
  await tf.ready();
  const now = opts.now ?? (() => performance.now());
  const budget = opts.budgetMs ?? 6000;
  const samples = opts.samples ?? 5;
  const report = (f: number) => onProgress?.(Math.min(1, Math.max(0, f)));
  // Each phase gets its share from when it starts: a phase that overran (a sample cannot be cut
  // short) must not leave the next one a single size and two samples.
  const phase = (from: number, to: number): Phase => ({
    until: now() + budget * (to - from),
    now,
    samples,
    progress: (done) => report(from + (to - from) * done),
  });
  report(0);
  const matmulSizes = powersOfTwo(128, opts.maxMatmul ?? 2048);
  // Seeded values: a product of ones could in principle take a shortcut no real layer gets.
  const peakGflops = await bestRate(
    matmulSizes,
    (n) => tf.randomUniform([n, n], -1, 1, 'float32', 1),
    (x) => tf.matMul(x, x),
    (n) => 2 * n ** 3,
    phase(0, 0.6),
  );
  const bandwidthGbs = await bestRate(
    powersOfTwo(2 ** 18, opts.maxElements ?? 2 ** 24),
    (n) => tf.randomUniform([n], -1, 1, 'float32', 2),
    (x) => tf.neg(x),
    (n) => 8 * n, // each value read once and written once, float32
    phase(0.6, 0.9),
  );
  const opOverheadNs = await tinyOpNs(phase(0.9, 1));
  report(1);
  return { backend: tf.getBackend(), peakGflops, bandwidthGbs, opOverheadNs, measuredAt: Date.now() };
}

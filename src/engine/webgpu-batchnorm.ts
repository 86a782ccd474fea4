// The training batch norm's two custom kernels (BN_TRAIN, BN_TRAIN_GRAD; batchnorm-kernels.ts) on
// WebGPU, registered by webgpu-kernels.ts. Composed from tfjs ops a batch norm and its gradient
// are ~20 dispatches, a third of them walking the whole activation; here each direction is one
// per-channel reduction (partial sums per split of the rows, reduced in workgroup memory), tiny
// per-channel finalizers, and one elementwise pass: 4 dispatches forward, 4 backward.
//
// Semantics are the cpu kernels': statistics over all axes but the last, population variance.
// The forward sums x − K with K the channel's first value (a shifted sum), so E[x²] − E[x]² in
// float32 does not cancel when activations sit far from zero.
import type * as tf from '@tensorflow/tfjs';
import type { WebGPUBackendLike, WebGPUProgramLike } from './webgpu-filter-grad.ts';

/** Channels × rows of one reduction workgroup: neighbouring threads read neighbouring channels. */
const CH = 16;
const ROWS = 16;
/** Enough workgroups to fill a large GPU; a split still sums at least MIN_ROWS rows. */
const TARGET_WORKGROUPS = 256;
const MIN_ROWS = 256;

export interface BatchNormPlan {
  rows: number;
  channels: number;
  splits: number;
  rowsPerSplit: number;
}

export function planBatchNorm(rows: number, channels: number): BatchNormPlan {
  const tiles = Math.ceil(channels / CH);
  const wanted = Math.max(1, Math.ceil(TARGET_WORKGROUPS / tiles));
  let splits = Math.max(1, Math.min(wanted, Math.floor(rows / MIN_ROWS)));
  const rowsPerSplit = Math.ceil(rows / splits);
  splits = Math.ceil(rows / rowsPerSplit);
  return { rows, channels, splits, rowsPerSplit };
}

const int = (v: number) => ({ type: 'int32' as const, data: [v] });
const sumsUniforms = (p: BatchNormPlan) => [int(p.rows), int(p.channels), int(p.rowsPerSplit)];
/** The finalizers'; the elementwise programs take them without `splits`. */
const finalizeUniforms = (p: BatchNormPlan, epsilon: number) => [
  int(p.rows),
  int(p.channels),
  int(p.splits),
  { type: 'float32' as const, data: [epsilon] },
];

/**
 * Partial sums [splits, 2, channels]: forward (x) Σ(x − K) and Σ(x − K)²; backward (x, dy, mean)
 * Σdy and Σdy·(x − mean). Each thread sums every ROWS-th row of its split for one channel, then
 * the workgroup halves its ROWS partials in shared memory.
 */
export class BatchNormSumsProgram implements WebGPUProgramLike {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [2], y: [1], z: [0] };
  dispatch: [number, number, number];
  variableNames: string[];
  uniforms = 'rows : i32, channels : i32, rowsPerSplit : i32,';
  workgroupSize: [number, number, number] = [CH * ROWS, 1, 1];

  constructor(
    plan: BatchNormPlan,
    private readonly backward: boolean,
  ) {
    this.outputShape = [plan.splits, 2, plan.channels];
    this.dispatch = [Math.ceil(plan.channels / CH), plan.splits, 1];
    this.variableNames = backward ? ['x', 'dy', 'mean'] : ['x'];
    this.shaderKey = `morphnetBatchNormSums_${backward ? 'grad' : 'fwd'}`;
  }

  getUserCode(): string {
    const terms = this.backward
      ? `let d = dy[i * uniforms.channels + c];
          a = a + d;
          b = b + d * (x[i * uniforms.channels + c] - shift);`
      : `let v = x[i * uniforms.channels + c] - shift;
          a = a + v;
          b = b + v * v;`;
    return `
    var<workgroup> sa : array<f32, ${CH * ROWS}>;
    var<workgroup> sb : array<f32, ${CH * ROWS}>;

    fn main() {
      let tid = i32(localIndex);
      let lane = tid % ${CH};
      let r = tid / ${CH};
      let c = i32(workgroupId.x) * ${CH} + lane;
      let split = i32(workgroupId.y);
      let start = split * uniforms.rowsPerSplit;
      let end = min(uniforms.rows, start + uniforms.rowsPerSplit);
      var a = 0.0;
      var b = 0.0;
      if (c < uniforms.channels) {
        let shift = ${this.backward ? 'mean[c]' : 'x[c]'};
        for (var i = start + r; i < end; i = i + ${ROWS}) {
          ${terms}
        }
      }
      sa[tid] = a;
      sb[tid] = b;
      workgroupBarrier();
      for (var span = ${ROWS / 2}; span > 0; span = span / 2) {
        if (r < span) {
          sa[tid] = sa[tid] + sa[tid + span * ${CH}];
          sb[tid] = sb[tid] + sb[tid + span * ${CH}];
        }
        workgroupBarrier();
      }
      if (r == 0 && c < uniforms.channels) {
        let base = split * 2 * uniforms.channels;
        result[base + c] = sa[tid];
        result[base + uniforms.channels + c] = sb[tid];
      }
    }
    `;
  }
}

/** Which per-channel value a finalizer writes from the partial sums. */
export type Finalize = 'mean' | 'variance' | 'dbeta' | 'dgamma';

/**
 * One thread per channel sums the splits' partials in order and writes one [channels] output:
 * mean = K + Σa/N, variance = Σb/N − (Σa/N)², dβ = Σa, dγ = Σb/√(var + ε).
 * Inputs: partials, then x (for K) forward or variance backward.
 */
export class BatchNormFinalizeProgram implements WebGPUProgramLike {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  variableNames: string[];
  uniforms = 'rows : i32, channels : i32, splits : i32, epsilon : f32,';
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;

  constructor(
    channels: number,
    private readonly what: Finalize,
  ) {
    this.outputShape = [channels];
    this.dispatch = [Math.ceil(channels / 64), 1, 1];
    this.variableNames =
      what === 'mean' ? ['partials', 'x'] : what === 'dgamma' ? ['partials', 'variance'] : ['partials'];
    this.shaderKey = `morphnetBatchNormFinalize_${what}`;
  }

  getUserCode(): string {
    const n = 'f32(uniforms.rows)';
    const value = {
      mean: `x[c] + a / ${n}`,
      variance: `max(0.0, b / ${n} - (a / ${n}) * (a / ${n}))`,
      dbeta: 'a',
      dgamma: 'b * inverseSqrt(variance[c] + uniforms.epsilon)',
    }[this.what];
    return `
    fn main(index : i32) {
      let c = index;
      if (c < uniforms.size) {
        var a = 0.0;
        var b = 0.0;
        for (var s = 0; s < uniforms.splits; s = s + 1) {
          a = a + partials[s * 2 * uniforms.channels + c];
          b = b + partials[(s * 2 + 1) * uniforms.channels + c];
        }
        result[c] = ${value};
      }
    }
    `;
  }
}

/**
 * One thread per element. Forward (x, gamma, beta, mean, variance): y = (x − mean)·γ/√(var + ε) + β.
 * Backward (x, dy, gamma, mean, variance, dgamma, dbeta):
 * dx = γ·rstd·(dy − dβ/N − (x − mean)·rstd·dγ/N), as batchnorm-kernels.ts's cpu loops.
 */
export class BatchNormElementwiseProgram implements WebGPUProgramLike {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  uniforms = 'rows : i32, channels : i32, epsilon : f32,';
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;

  constructor(
    shape: number[],
    private readonly backward: boolean,
  ) {
    this.outputShape = shape;
    this.dispatchLayout = { x: shape.map((_, i) => i) };
    this.dispatch = [Math.ceil(shape.reduce((a, b) => a * b, 1) / 64), 1, 1];
    this.variableNames = backward
      ? ['x', 'dy', 'gamma', 'mean', 'variance', 'dgamma', 'dbeta']
      : ['x', 'gamma', 'beta', 'mean', 'variance'];
    this.shaderKey = `morphnetBatchNormElementwise_${backward ? 'grad' : 'fwd'}`;
  }

  getUserCode(): string {
    const body = this.backward
      ? `let n = f32(uniforms.rows);
        let k = gamma[c] * rstd;
        let xhat = (x[index] - mean[c]) * rstd;
        result[index] = k * (dy[index] - dbeta[c] / n - xhat * dgamma[c] / n);`
      : `result[index] = (x[index] - mean[c]) * rstd * gamma[c] + beta[c];`;
    return `
    fn main(index : i32) {
      if (index < uniforms.size) {
        let c = index % uniforms.channels;
        let rstd = inverseSqrt(variance[c] + uniforms.epsilon);
        ${body}
      }
    }
    `;
  }
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

const counts = { forward: 0, backward: 0 };

/** How often each kernel ran on WebGPU since the page loaded (the tests check that it did). */
export function webgpuBatchNormCounts(): Readonly<typeof counts> {
  return { ...counts };
}

function planOf(x: tf.TensorInfo): BatchNormPlan {
  const channels = x.shape[x.shape.length - 1]!;
  return planBatchNorm(x.shape.reduce((a, b) => a * b, 1) / channels, channels);
}

export function batchNormTrainWebGPU(args: KernelArgs): tf.TensorInfo[] {
  const { x, gamma, beta } = args.inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
  const epsilon = (args.attrs as { epsilon: number }).epsilon;
  const backend = args.backend as unknown as WebGPUBackendLike;
  const plan = planOf(x);
  const partials = backend.runWebGPUProgram(
    new BatchNormSumsProgram(plan, false),
    [x],
    'float32',
    sumsUniforms(plan),
  );
  const fin = finalizeUniforms(plan, epsilon);
  const program = (what: Finalize) => new BatchNormFinalizeProgram(plan.channels, what);
  const mean = backend.runWebGPUProgram(program('mean'), [partials, x], 'float32', fin);
  const variance = backend.runWebGPUProgram(program('variance'), [partials], 'float32', fin);
  backend.disposeData(partials.dataId);
  const y = backend.runWebGPUProgram(
    new BatchNormElementwiseProgram(x.shape, false),
    [x, gamma, beta, mean, variance],
    'float32',
    [fin[0]!, fin[1]!, fin[3]!],
  );
  counts.forward++;
  return [y, mean, variance];
}

export function batchNormTrainGradWebGPU(args: KernelArgs): tf.TensorInfo[] {
  const { x, dy, gamma, mean, variance } = args.inputs as Record<
    'x' | 'dy' | 'gamma' | 'mean' | 'variance',
    tf.TensorInfo
  >;
  const epsilon = (args.attrs as { epsilon: number }).epsilon;
  const backend = args.backend as unknown as WebGPUBackendLike;
  const plan = planOf(x);
  const partials = backend.runWebGPUProgram(
    new BatchNormSumsProgram(plan, true),
    [x, dy, mean],
    'float32',
    sumsUniforms(plan),
  );
  const fin = finalizeUniforms(plan, epsilon);
  const dbeta = backend.runWebGPUProgram(
    new BatchNormFinalizeProgram(plan.channels, 'dbeta'),
    [partials],
    'float32',
    fin,
  );
  const dgamma = backend.runWebGPUProgram(
    new BatchNormFinalizeProgram(plan.channels, 'dgamma'),
    [partials, variance],
    'float32',
    fin,
  );
  backend.disposeData(partials.dataId);
  const dx = backend.runWebGPUProgram(
    new BatchNormElementwiseProgram(x.shape, true),
    [x, dy, gamma, mean, variance, dgamma, dbeta],
    'float32',
    [fin[0]!, fin[1]!, fin[3]!],
  );
  counts.backward++;
  return [dx, dgamma, dbeta];
}

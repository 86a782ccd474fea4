// Training-mode batch norm as one kernel and one gradient kernel, for the backends whose memory
// JavaScript can read in place (wasm's heap, cpu's arrays). Composed from tfjs ops, a batch norm
// and its gradient are ~20 kernels of which ~13 walk the whole activation (moments, the folded
// scale and shift, and autodiff through both); profiled on resnet-mini at batch 32 on wasm they
// were the largest share of a step after the convolutions. Here the forward pass walks the
// activation twice (sums, then y) and the backward pass twice (sums, then dx), in float64.
//
// Semantics are the composed version's (model.ts): batch statistics over N = batch·height·width,
// population variance, y = (x − mean)·γ/√(var + ε) + β. The mean and variance outputs feed only
// the moving averages, never the loss, so the gradient ignores any gradient arriving on them.
import * as tf from '@tensorflow/tfjs';
import { backwardSimd, forwardSimd, simdBatchNorm, type Heap, type SimdBatchNorm } from './simd-batchnorm.ts';

export const BN_TRAIN = 'MorphnetBatchNormTrain';
export const BN_TRAIN_GRAD = 'MorphnetBatchNormTrainGrad';

/** The two ways a backend's tensors are read and written as Float32Arrays in place. */
interface Memory {
  view(info: tf.TensorInfo): Float32Array;
  alloc(shape: number[]): tf.TensorInfo;
}

interface WasmLike extends tf.KernelBackend {
  typedArrayFromHeap(info: tf.TensorInfo): tf.backend_util.TypedArray;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  wasm: { asm: { memory: WebAssembly.Memory }; _malloc(bytes: number): number; _free(ptr: number): void };
}

let jsLoopsForced = false;

/** For the benchmark's before/after in one process: the JS loops even where SIMD could run. */
export function forceJsBatchNormLoops(on: boolean): void {
  jsLoopsForced = on;
}

/** Which passes the fused kernels run for `channels` on the active backend (tests, the bench). */
export function batchNormPasses(channels: number): 'simd' | 'js' {
  return simdFor(tf.getBackend(), tf.backend(), channels) === null ? 'js' : 'simd';
}

/** The SIMD passes (simd-batchnorm.ts) and the heap they run on, where they apply: wasm, channels a multiple of 4. */
function simdFor(backendName: string, backend: tf.KernelBackend, channels: number): { k: SimdBatchNorm; heap: Heap } | null {
  if (jsLoopsForced || backendName !== 'wasm' || channels % 4 !== 0) return null;
  const m = (backend as Partial<WasmLike>).wasm;
  if (!(m?.asm?.memory instanceof WebAssembly.Memory)) return null;
  const k = simdBatchNorm(m.asm.memory);
  return k === null ? null : { k, heap: { memory: m.asm.memory, malloc: (n) => m._malloc(n), free: (p) => m._free(p) } };
}
interface CpuLike extends tf.KernelBackend {
  data: { get(dataId: tf.DataId): { values: tf.backend_util.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

function memoryOf(backendName: string, backend: tf.KernelBackend): Memory {
  if (backendName === 'wasm') {
    const b = backend as WasmLike;
    // A view is taken after every allocation: growing wasm memory detaches older views.
    return { view: (i) => b.typedArrayFromHeap(i) as Float32Array, alloc: (s) => b.makeOutput(s, 'float32') };
  }
  const b = backend as CpuLike;
  return {
    view: (i) => b.data.get(i.dataId).values as Float32Array,
    alloc: (s) => b.makeTensorInfo(s, 'float32', new Float32Array(s.reduce((a, d) => a * d, 1))),
  };
}

/**
 * Pixels per block of the loops below. Each block (≤ 64 × channels floats, in L1) is walked once
 * per channel with the channel's sums in locals: 1.5-2.3× faster in V8 than a channel loop inside
 * the pixel loop, which loads and stores a per-channel accumulator (or scale) on every element.
 */
const BLOCK = 64;

/** Per-channel Σx and Σx² → mean and population variance. */
function moments(x: Float32Array, channels: number): { mean: Float64Array; variance: Float64Array } {
  const sum = new Float64Array(channels);
  const sq = new Float64Array(channels);
  const blk = BLOCK * channels;
  for (let b = 0; b < x.length; b += blk) {
    const end = Math.min(b + blk, x.length);
    for (let c = 0; c < channels; c++) {
      let s = 0;
      let q = 0;
      for (let i = b + c; i < end; i += channels) {
        const v = x[i]!;
        s += v;
        q += v * v;
      }
      sum[c] = sum[c]! + s;
      sq[c] = sq[c]! + q;
    }
  }
  const n = x.length / channels;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    mean[c] = sum[c]! / n;
    // E[x²] − E[x]² in float64 is exact enough for activations of O(1..100) magnitude.
    variance[c] = Math.max(0, sq[c]! / n - mean[c]! * mean[c]!);
  }
  return { mean, variance };
}

/** y = x·scale + shift per channel. */
function affine(x: Float32Array, y: Float32Array, scale: Float64Array, shift: Float64Array, channels: number): void {
  const blk = BLOCK * channels;
  for (let b = 0; b < x.length; b += blk) {
    const end = Math.min(b + blk, x.length);
    for (let c = 0; c < channels; c++) {
      const k = scale[c]!;
      const t = shift[c]!;
      for (let i = b + c; i < end; i += channels) y[i] = x[i]! * k + t;
    }
  }
}

function forward(backendName: string) {
  return (args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] => {
    const { x, gamma, beta } = args.inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
    const epsilon = (args.attrs as { epsilon: number }).epsilon;
    const mem = memoryOf(backendName, args.backend as tf.KernelBackend);
    const channels = x.shape[x.shape.length - 1]!;
    const yInfo = mem.alloc(x.shape);
    const meanInfo = mem.alloc([channels]);
    const varInfo = mem.alloc([channels]);
    const xs = mem.view(x);
    const simd = simdFor(backendName, args.backend as tf.KernelBackend, channels);
    if (simd !== null) {
      const t = { x: xs, y: mem.view(yInfo), mean: mem.view(meanInfo), variance: mem.view(varInfo), gamma: mem.view(gamma), beta: mem.view(beta) };
      forwardSimd(simd.k, simd.heap, t, epsilon);
      return [yInfo, meanInfo, varInfo];
    }
    const { mean, variance } = moments(xs, channels);
    const g = mem.view(gamma);
    const b = mem.view(beta);
    const scale = new Float64Array(channels);
    const shift = new Float64Array(channels);
    for (let c = 0; c < channels; c++) {
      scale[c] = g[c]! / Math.sqrt(variance[c]! + epsilon);
      shift[c] = b[c]! - mean[c]! * scale[c]!;
    }
    affine(xs, mem.view(yInfo), scale, shift, channels);
    mem.view(meanInfo).set(mean);
    mem.view(varInfo).set(variance);
    return [yInfo, meanInfo, varInfo];
  };
}

function backward(backendName: string) {
  return (args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] => {
    const { x, dy, gamma, mean, variance } = args.inputs as Record<
      'x' | 'dy' | 'gamma' | 'mean' | 'variance',
      tf.TensorInfo
    >;
    const epsilon = (args.attrs as { epsilon: number }).epsilon;
    const mem = memoryOf(backendName, args.backend as tf.KernelBackend);
    const channels = x.shape[x.shape.length - 1]!;
    const dxInfo = mem.alloc(x.shape);
    const dgInfo = mem.alloc([channels]);
    const dbInfo = mem.alloc([channels]);
    const xs = mem.view(x);
    const dys = mem.view(dy);
    const simd = simdFor(backendName, args.backend as tf.KernelBackend, channels);
    if (simd !== null) {
      const views = { x: xs, dy: dys, dx: mem.view(dxInfo), mean: mem.view(mean), variance: mem.view(variance), gamma: mem.view(gamma) };
      backwardSimd(simd.k, simd.heap, { ...views, dgamma: mem.view(dgInfo), dbeta: mem.view(dbInfo) }, epsilon);
      return [dxInfo, dgInfo, dbInfo];
    }
    const m = mem.view(mean);
    const v = mem.view(variance);
    const g = mem.view(gamma);
    const rstd = new Float64Array(channels);
    for (let c = 0; c < channels; c++) rstd[c] = 1 / Math.sqrt(v[c]! + epsilon);
    // dβ = Σ dy, dγ = Σ dy·x̂ with x̂ = (x − mean)·rstd.
    const dbeta = new Float64Array(channels);
    const dgamma = new Float64Array(channels);
    const blk = BLOCK * channels;
    for (let start = 0; start < xs.length; start += blk) {
      const end = Math.min(start + blk, xs.length);
      for (let c = 0; c < channels; c++) {
        const mc = m[c]!;
        let sb = 0;
        let sg = 0;
        for (let i = start + c; i < end; i += channels) {
          const d = dys[i]!;
          sb += d;
          sg += d * (xs[i]! - mc);
        }
        dbeta[c] = dbeta[c]! + sb;
        dgamma[c] = dgamma[c]! + sg * rstd[c]!;
      }
    }
    // dx = γ·rstd·(dy − dβ/N − x̂·dγ/N), written as dy·k + x·a + b per channel.
    const n = xs.length / channels;
    const k = new Float64Array(channels);
    const a = new Float64Array(channels);
    const b = new Float64Array(channels);
    for (let c = 0; c < channels; c++) {
      k[c] = g[c]! * rstd[c]!;
      a[c] = (-k[c]! * rstd[c]! * dgamma[c]!) / n;
      b[c] = (-k[c]! * dbeta[c]!) / n - a[c]! * m[c]!;
    }
    const dx = mem.view(dxInfo);
    for (let start = 0; start < xs.length; start += blk) {
      const end = Math.min(start + blk, xs.length);
      for (let c = 0; c < channels; c++) {
        const kc = k[c]!;
        const ac = a[c]!;
        const bc = b[c]!;
        for (let i = start + c; i < end; i += channels) dx[i] = dys[i]! * kc + xs[i]! * ac + bc;
      }
    }
    mem.view(dgInfo).set(dgamma);
    mem.view(dbInfo).set(dbeta);
    return [dxInfo, dgInfo, dbInfo];
  };
}

let gradientRegistered = false;

/** Registers both kernels for `backendName` ('wasm' or 'cpu'), and the gradient once; idempotent. */
export function registerBatchNormKernels(backendName: 'wasm' | 'cpu'): void {
  if (tf.getKernel(BN_TRAIN, backendName) === undefined) {
    tf.registerKernel({ kernelName: BN_TRAIN, backendName, kernelFunc: forward(backendName) });
    tf.registerKernel({ kernelName: BN_TRAIN_GRAD, backendName, kernelFunc: backward(backendName) });
  }
  registerBatchNormGradient();
}

/**
 * The gradient of BN_TRAIN as a call of BN_TRAIN_GRAD, whatever backend runs both (the WebGPU
 * programs in webgpu-batchnorm.ts register through here too); once per process.
 */
export function registerBatchNormGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: BN_TRAIN,
    inputsToSave: ['x', 'gamma'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
      const [x, gamma, mean, variance] = saved as tf.Tensor[];
      const [dx, dgamma, dbeta] = tf
        .engine()
        .runKernel(
          BN_TRAIN_GRAD,
          { x: x!, dy, gamma: gamma!, mean: mean!, variance: variance! },
          attrs,
        ) as tf.Tensor[];
      return { x: () => dx!, gamma: () => dgamma!, beta: () => dbeta! };
    },
  });
}

let composedForced = false;

/** For the benchmark's before/after in one process: model.ts composes ops while `on`. */
export function forceComposedBatchNorm(on: boolean): void {
  composedForced = on;
}

/** Whether the active backend has the fused kernels (model.ts composes ops where it does not). */
export function hasFusedBatchNorm(): boolean {
  return !composedForced && tf.getKernel(BN_TRAIN, tf.getBackend()) !== undefined;
}

/** Training-mode batch norm over all axes but the last: y, and the batch's mean and variance. */
export function batchNormTrain(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const [y, mean, variance] = tf.engine().runKernel(BN_TRAIN, { x, gamma, beta }, { epsilon }) as tf.Tensor[];
  return { y: y!, mean: mean!, variance: variance! };
}

// Kernels that tfjs-backend-wasm 4.22 lacks but training a CNN needs (BROWSER.md: "no
// Conv2DBackpropFilter: it cannot train a CNN as shipped"). Platform-neutral: the CLI registers
// them in Node, and a worker may register them before `setBackend('wasm')` too.
import * as tf from '@tensorflow/tfjs';
import { asInfo, filterGradViaDilatedConv, filterGradViaIm2col, inputGradViaConv, kernelFunc, type WasmBackendLike } from './wasm-conv-grads.ts';
import { registerMomentumKernel } from './fused-momentum.ts';
import { inputGradViaPolyphase } from './wasm-polyphase.ts';

interface CpuBackendLike extends tf.KernelBackend {
  write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): tf.DataId;
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Kernels whose gradients a conv/depthwise/BN/ReLU/pool/dense net with softmax and SGD reaches. */
export const TRAINING_KERNELS = [
  'Conv2D',
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNative',
  'DepthwiseConv2dNativeBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'MaxPool',
  'MaxPoolGrad',
  'AvgPool',
  'AvgPoolGrad',
  'Relu',
  'Step',
  'Mean',
  'Sum',
  'Max',
  'Maximum',
  'Abs',
  'Concat',
  'Slice',
  'BatchMatMul',
  'Softmax',
  'Exp',
  'Log',
  'Rsqrt',
  'SquaredDifference',
  'GreaterEqual',
  'Greater',
  'Less',
  'Cast',
  'Tile',
  'Reshape',
  'Transpose',
  'Sqrt',
  'Sign',
  'Neg',
  'OneHot',
  'ArgMax',
  'Equal',
] as const;

function conv2dBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (typeof attrs.pad !== 'string' || (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC')) {
    // Explicit padding or NCHW never occurs in our models; keep the answer right anyway.
    return asInfo(cpuFallback('Conv2DBackpropFilter')(args));
  }
  return filterGradRoute(attrs.filterShape) === 'dilated-conv'
    ? filterGradViaDilatedConv(backend, x, dy, attrs)
    : filterGradViaIm2col(backend, x, dy, attrs);
}

export type FilterGradRoute = 'dilated-conv' | 'im2col';
let forcedRoute: FilterGradRoute | null = null;

/** For the benchmark's before/after in one process: every shape takes `route` (null: the rule below). */
export function forceFilterGradRoute(route: FilterGradRoute | null): void {
  forcedRoute = route;
}

/**
 * Which filter gradient a shape takes. The dilated conv wins wherever its three transposes are
 * small next to the GEMM (resnet-mini at batch 32: 23 → 7 ms at 28×28×16, 12 → 6 ms at 14×14×32);
 * a 1×1 filter or a one-channel input has no patches worth avoiding, and there im2col is 2-3×
 * faster (0.7 against 3.2 ms for the stride-2 1×1 projection).
 */
export function filterGradRoute(filterShape: readonly number[]): FilterGradRoute {
  if (forcedRoute !== null) return forcedRoute;
  const [kh = 1, kw = 1, ci = 1] = filterShape;
  return kh * kw > 1 && ci >= 4 ? 'dilated-conv' : 'im2col';
}

function conv2dBackpropInput(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  if (typeof attrs.pad !== 'string' || (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC')) {
    return ORIGINAL.Conv2DBackpropInput!(args) as tf.TensorInfo;
  }
  return inputGradRoute === 'zero-stuffed' ? inputGradViaConv(backend, dy, filter, attrs) : inputGradViaPolyphase(backend, dy, filter, attrs);
}

export type InputGradRoute = 'polyphase' | 'zero-stuffed';
let inputGradRoute: InputGradRoute = 'polyphase';

/** For the benchmark's before/after in one process: the input gradient's route (null: polyphase). */
export function forceInputGradRoute(route: InputGradRoute | null): void {
  inputGradRoute = route ?? 'polyphase';
}

let identityCopies = false;

/**
 * Identity (what tfjs's tape runs on every tensor it saves for the backward pass, ~400 a
 * resnet-mini step) shares the input's memory by reference count, as the cpu backend does; the
 * stock wasm kernel copies it. Safe because no kernel writes into an input: variables are
 * assigned new data, never written in place.
 */
function identity(args: KernelArgs): tf.TensorInfo {
  const x = (args.inputs as { x: tf.TensorInfo }).x;
  if (identityCopies || x.dtype === 'string') return ORIGINAL.Identity!(args) as tf.TensorInfo;
  (args.backend as WasmBackendLike).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** For the benchmark's before/after: Identity copies as the stock kernel does while `on`. */
export function forceIdentityCopy(on: boolean): void {
  identityCopies = on;
}

/** Stock wasm kernels this file replaces, kept for the cases the replacements do not cover. */
const ORIGINAL: Partial<Record<string, tf.KernelFunc>> = {};

/** The stock wasm kernel that `name` replaced (tests compare against it); undefined before registering. */
export function stockWasmKernel(name: string): tf.KernelFunc | undefined {
  return ORIGINAL[name];
}

/** Stock wasm kernels that are much slower than a composition of fast ones (wasm-conv-grads.ts). */
export const WASM_REPLACEMENTS: Readonly<Record<string, tf.KernelFunc>> = { Conv2DBackpropInput: conv2dBackpropInput, Identity: identity };

/**
 * Runs the cpu backend's kernel on copies of the inputs. Correct by construction and only as
 * slow as plain JS for that one kernel; used where wasm has no equivalent (depthwise gradients).
 * Reading wasm memory synchronously is fine: it is CPU memory, unlike WebGPU buffers.
 */
function cpuFallback(name: string): tf.KernelFunc {
  return (args: KernelArgs) => {
    const wasm = args.backend as WasmBackendLike;
    const cpu = tf.findBackend('cpu') as CpuBackendLike | null;
    if (cpu === null) throw new Error(`the cpu backend is needed to run ${name} on wasm`);
    const cpuInputs: Record<string, tf.TensorInfo> = {};
    for (const [key, info] of Object.entries(args.inputs)) {
      if (info === undefined) continue;
      const dataId = cpu.write(wasm.readSync(info.dataId), info.shape, info.dtype);
      cpuInputs[key] = { dataId, shape: info.shape, dtype: info.dtype };
    }
    const out = kernelFunc(name, 'cpu')({ inputs: cpuInputs, backend: cpu, attrs: args.attrs ?? {} });
    const outs = Array.isArray(out) ? out : [out];
    const results = outs.map((o) => {
      const r = wasm.makeOutput(o.shape, o.dtype, undefined, cpu.readSync(o.dataId));
      cpu.disposeData(o.dataId);
      return r;
    });
    for (const info of Object.values(cpuInputs)) cpu.disposeData(info.dataId);
    return Array.isArray(out) ? results : results[0]!;
  };
}

/**
 * Registers what wasm lacks for training and replaces the slow stock kernels in
 * WASM_REPLACEMENTS; idempotent. A missing kernel that a later tfjs ships is left alone.
 * Returns the names it registered or replaced.
 */
export function registerWasmTrainingKernels(): string[] {
  registerMomentumKernel();
  const added: string[] = [];
  for (const [name, fn] of Object.entries(WASM_REPLACEMENTS)) {
    const stock = tf.getKernel(name, 'wasm');
    if (stock === undefined || stock.kernelFunc === fn) continue;
    ORIGINAL[name] = stock.kernelFunc;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...stock, kernelFunc: fn });
    added.push(name);
  }
  for (const name of TRAINING_KERNELS) {
    if (tf.getKernel(name, 'wasm') !== undefined) continue;
    if (tf.getKernel(name, 'cpu') === undefined) continue;
    const fn = name === 'Conv2DBackpropFilter' ? conv2dBackpropFilter : cpuFallback(name);
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: fn });
    added.push(name);
  }
  return added;
}

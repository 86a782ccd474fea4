// Kernels that tfjs-backend-wasm 4.22 lacks but training a CNN needs (BROWSER.md: "no
// Conv2DBackpropFilter: it cannot train a CNN as shipped"). Platform-neutral: the CLI registers
// them in Node, and a worker may register them before `setBackend('wasm')` too.
import * as tf from '@tensorflow/tfjs';

/** The slice of the wasm backend these kernels use (it is not exported as a type we can import). */
interface WasmBackendLike extends tf.KernelBackend {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.backend_util.BackendValues): tf.TensorInfo;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

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

function kernelFunc(name: string, backend: string): tf.KernelFunc {
  const k = tf.getKernel(name, backend);
  if (k === undefined) throw new Error(`tfjs kernel ${name} is not registered for ${backend}`);
  return k.kernelFunc;
}

function asInfo(out: tf.TensorInfo | tf.TensorInfo[]): tf.TensorInfo {
  if (Array.isArray(out)) throw new Error('expected one output');
  return out;
}

type Conv2DFilterGrad = (backend: WasmBackendLike, x: tf.TensorInfo, dy: tf.TensorInfo, attrs: tf.Conv2DBackpropFilterAttrs) => tf.TensorInfo;

function strides2(strides: [number, number] | number): [number, number] {
  return typeof strides === 'number' ? [strides, strides] : strides;
}

/**
 * Conv2DBackpropFilter as a depth-1 Conv3DBackpropFilterV2 (which wasm has): x [b,h,w,c] →
 * [b,1,h,w,c], dy likewise, filter [kh,kw,ci,co] → [1,kh,kw,ci,co]. Reshape on wasm only bumps
 * a reference count, so this costs no copy. Kept as the reference for the test only: it is right
 * for stride 1 alone (the wasm kernel's loop bounds in conv3d_impl.h, DivCeil/DivFloor on
 * negative and inexact quotients, drop rows when the stride exceeds 1), and im2col below was
 * 1.3-2.5x faster on every resnet-mini shape at batch 32 (e.g. 28×28×16→16: 112 vs 89 ms).
 */
export const filterGradViaConv3d: Conv2DFilterGrad = (backend, x, dy, attrs) => {
  const [sh, sw] = strides2(attrs.strides);
  const reshape = kernelFunc('Reshape', 'wasm');
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const [, oh, ow, co] = dy.shape as [number, number, number, number];
  const x5 = asInfo(reshape({ inputs: { x }, backend, attrs: { shape: [b, 1, h, w, c] } }));
  const dy5 = asInfo(reshape({ inputs: { x: dy }, backend, attrs: { shape: [b, 1, oh, ow, co] } }));
  const dw5 = asInfo(
    kernelFunc('Conv3DBackpropFilterV2', 'wasm')({
      inputs: { x: x5, dy: dy5 },
      backend,
      attrs: { strides: [1, sh, sw], pad: attrs.pad, filterShape: [1, ...attrs.filterShape] },
    }),
  );
  const dw = asInfo(reshape({ inputs: { x: dw5 }, backend, attrs: { shape: [...attrs.filterShape] } }));
  for (const t of [x5, dy5, dw5]) backend.disposeData(t.dataId);
  return dw;
};

/**
 * Conv2DBackpropFilter as im2col + one matmul, both XNNPACK-backed on wasm: a depthwise conv
 * with one-hot filters [kh,kw,ci,kh·kw] gathers every patch (channel c·K + tap), then
 * patchesᵀ · dy gives [ci·K, co], reordered to [kh,kw,ci,co]. Right for any stride.
 */
export const filterGradViaIm2col: Conv2DFilterGrad = (backend, x, dy, attrs) => {
  const [kh, kw, ci, co] = attrs.filterShape;
  const taps = kh * kw;
  const eye = new Float32Array(taps * ci * taps);
  for (let t = 0; t < taps; t++) for (let c = 0; c < ci; c++) eye[(t * ci + c) * taps + t] = 1;
  const onehot = backend.makeOutput([kh, kw, ci, taps], 'float32', undefined, eye);
  const patches = asInfo(
    kernelFunc('DepthwiseConv2dNative', 'wasm')({
      inputs: { x, filter: onehot },
      backend,
      attrs: { strides: attrs.strides, pad: attrs.pad, dilations: 1, dataFormat: 'NHWC' },
    }),
  );
  const rows = patches.shape[0]! * patches.shape[1]! * patches.shape[2]!;
  const reshape = kernelFunc('Reshape', 'wasm');
  const p3 = asInfo(reshape({ inputs: { x: patches }, backend, attrs: { shape: [1, rows, ci * taps] } }));
  const dy3 = asInfo(reshape({ inputs: { x: dy }, backend, attrs: { shape: [1, rows, co] } }));
  const prod = asInfo(
    kernelFunc('BatchMatMul', 'wasm')({ inputs: { a: p3, b: dy3 }, backend, attrs: { transposeA: true, transposeB: false } }),
  );
  const p4 = asInfo(reshape({ inputs: { x: prod }, backend, attrs: { shape: [ci, kh, kw, co] } }));
  const dw = asInfo(kernelFunc('Transpose', 'wasm')({ inputs: { x: p4 }, backend, attrs: { perm: [1, 2, 0, 3] } }));
  for (const t of [onehot, patches, p3, dy3, prod, p4]) backend.disposeData(t.dataId);
  return dw;
};

function conv2dBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (typeof attrs.pad !== 'string' || (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC')) {
    // Explicit padding or NCHW never occurs in our models; keep the answer right anyway.
    return asInfo(cpuFallback('Conv2DBackpropFilter')(args));
  }
  return filterGradViaIm2col(backend, x, dy, attrs);
}

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
 * Registers what wasm lacks for training; idempotent, and never replaces a kernel that a later
 * tfjs ships. Returns the names it registered (for the benchmark's and the tests' reports).
 */
export function registerWasmTrainingKernels(): string[] {
  const added: string[] = [];
  for (const name of TRAINING_KERNELS) {
    if (tf.getKernel(name, 'wasm') !== undefined) continue;
    if (tf.getKernel(name, 'cpu') === undefined) continue;
    const fn = name === 'Conv2DBackpropFilter' ? conv2dBackpropFilter : cpuFallback(name);
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: fn });
    added.push(name);
  }
  return added;
}

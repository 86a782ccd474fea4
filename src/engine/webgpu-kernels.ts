// Training kernels that tfjs-backend-webgpu 4.22 runs naively, replaced through the kernel
// registry (issue 10). Conv2DBackpropFilter: tfjs gives each filter element one thread that
// loops over batch × outHeight × outWidth (a few thousand threads with no data reuse, so a
// real GPU idles); this one is a tiled matmul with split-K (webgpu-filter-grad.ts). The module
// imports no WebGPU code: it reaches the backend through the kernel's `backend` argument.
// The training batch norm's custom kernels get WebGPU programs too (webgpu-batchnorm.ts): composed
// from tfjs ops, a resnet-mini step's 15 batch norms were ~540 of its 1,074 dispatches and a third
// of its kernel time (tf.profile with timestamp queries on SwiftShader, webgpu-profile.ts).
import * as tf from '@tensorflow/tfjs';
import { BN_TRAIN, BN_TRAIN_GRAD, registerBatchNormGradient } from './batchnorm-kernels.ts';
import { batchNormTrainGradWebGPU, batchNormTrainWebGPU } from './webgpu-batchnorm.ts';
import {
  FilterGradReduceProgram,
  FilterGradTiledProgram,
  planFilterGrad,
  TILE_K,
  type Uniform,
  type WebGPUBackendLike,
} from './webgpu-filter-grad.ts';

type KernelArgs = Parameters<tf.KernelFunc>[0];

const FILTER_GRAD = 'Conv2DBackpropFilter';

let stockFilterGrad: tf.KernelFunc | null = null;
let stockForced = false;
const counts = { tiled: 0, splitK: 0, stock: 0 };

/** For the benchmark's before/after in one process: every shape takes tfjs's own kernel while on. */
export function forceStockFilterGrad(on: boolean): void {
  stockForced = on;
}

/** How often each route ran since the page loaded (the tests check that the replacement did). */
export function webgpuFilterGradCounts(): Readonly<typeof counts> {
  return { ...counts };
}

/** Why a call goes to tfjs's kernel, or null where the tiled one handles it. */
function unsupported(
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  attrs: tf.Conv2DBackpropFilterAttrs,
): string | null {
  if (stockForced) return 'forced';
  if (attrs.pad !== 'same' && attrs.pad !== 'valid') return 'explicit padding';
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') return 'NCHW';
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') return 'not float32';
  if (x.shape.length !== 4 || dy.shape.length !== 4 || attrs.filterShape.length !== 4) return 'not 4-D';
  return null;
}

function conv2dBackpropFilter(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (unsupported(x, dy, attrs) !== null) {
    counts.stock++;
    return stockFilterGrad!(args);
  }
  const backend = args.backend as unknown as WebGPUBackendLike;
  const [fh, fw, inC, outC] = attrs.filterShape;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const plan = planFilterGrad(fh! * fw! * inC!, outC!, info.batchSize * info.outHeight * info.outWidth);
  const program = new FilterGradTiledProgram(plan, attrs.filterShape);
  const uniforms: Uniform[] = [
    { type: 'int32', data: [info.padInfo.top, info.padInfo.left] },
    { type: 'int32', data: [info.strideHeight, info.strideWidth] },
    { type: 'int32', data: [fh!, fw!] },
    { type: 'int32', data: [plan.m] },
    { type: 'int32', data: [plan.n] },
    { type: 'int32', data: [plan.k] },
    { type: 'int32', data: [plan.kPerSplit] },
    { type: 'int32', data: [plan.kPerSplit / TILE_K] },
  ];
  counts.tiled++;
  const out = backend.runWebGPUProgram(program, [x, dy], 'float32', uniforms);
  if (plan.splits === 1) return out;
  counts.splitK++;
  const reduce = new FilterGradReduceProgram(attrs.filterShape);
  const dw = backend.runWebGPUProgram(reduce, [out], 'float32', [{ type: 'int32', data: [plan.splits] }]);
  backend.disposeData(out.dataId);
  return dw;
}

/** BN_TRAIN and BN_TRAIN_GRAD on 'webgpu' (model.ts then takes them over the composed ops). */
function registerBatchNorm(): void {
  if (tf.getKernel(BN_TRAIN, 'webgpu') !== undefined) return;
  tf.registerKernel({ kernelName: BN_TRAIN, backendName: 'webgpu', kernelFunc: batchNormTrainWebGPU });
  tf.registerKernel({
    kernelName: BN_TRAIN_GRAD,
    backendName: 'webgpu',
    kernelFunc: batchNormTrainGradWebGPU,
  });
  registerBatchNormGradient();
}

/**
 * Puts the tiled filter gradient in place of tfjs's on the 'webgpu' backend, keeping tfjs's for
 * the shapes it does not take, and adds the batch-norm kernels. Needs tfjs-backend-webgpu
 * imported first (its kernels register on import); returns whether the replacement is in place.
 * Calling it again changes nothing.
 */
export function registerWebGPUTrainingKernels(): boolean {
  const current = tf.getKernel(FILTER_GRAD, 'webgpu');
  if (current === undefined) return false;
  registerBatchNorm();
  if (current.kernelFunc === conv2dBackpropFilter) return true;
  stockFilterGrad = current.kernelFunc;
  tf.unregisterKernel(FILTER_GRAD, 'webgpu');
  tf.registerKernel({ kernelName: FILTER_GRAD, backendName: 'webgpu', kernelFunc: conv2dBackpropFilter });
  return true;
}

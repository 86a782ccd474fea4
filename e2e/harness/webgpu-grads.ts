// Bundled by e2e/webgpu-kernels.spec.ts (esbuild, IIFE) and run in a blank page: the tiled
// Conv2DBackpropFilter on WebGPU against the cpu backend's tf.grad of conv2d on the same data.
// Test code only: the product bundle never imports it.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { registerWebGPUTrainingKernels, webgpuFilterGradCounts } from '../../src/engine/webgpu-kernels.ts';

export interface GradCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  pad: 'same' | 'valid' | number;
}

export interface GradResult {
  maxAbsErr: number;
  maxAbs: number;
  /** How the webgpu kernel ran: counts of each route during this case. */
  tiled: number;
  splitK: number;
  stock: number;
}

/** Uniform in [-1, 1) from a seeded LCG: the same data every run. */
function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

async function onCpu(
  c: GradCase,
  xv: Float32Array,
  dyv: Float32Array,
  dyShape: number[],
): Promise<Float32Array> {
  await tf.setBackend('cpu');
  const x = tf.tensor4d(xv, c.x);
  const dy = tf.tensor(dyv, dyShape);
  // d/dW of Σ conv2d(x, W) · dy is Conv2DBackpropFilter(x, dy): the route training takes.
  const grad = tf.grad((w) => tf.sum(tf.mul(tf.conv2d(x, w as tf.Tensor4D, c.strides, c.pad), dy)));
  const dw = grad(tf.zeros(c.filter));
  const out = (await dw.data()) as Float32Array;
  tf.dispose([x, dy, dw]);
  return out;
}

async function onWebGPU(
  c: GradCase,
  xv: Float32Array,
  dyv: Float32Array,
  dyShape: number[],
): Promise<Float32Array> {
  if (!(await tf.setBackend('webgpu'))) throw new Error('no webgpu backend');
  const x = tf.tensor4d(xv, c.x);
  const dy = tf.tensor(dyv, dyShape);
  const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
  const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as never) as tf.Tensor;
  const out = (await dw.data()) as Float32Array;
  tf.dispose([x, dy, dw]);
  return out;
}

async function run(c: GradCase, seed: number): Promise<GradResult> {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad);
  const dyShape = [c.x[0], info.outHeight, info.outWidth, c.filter[3]];
  const xv = values(
    c.x.reduce((a, b) => a * b),
    seed,
  );
  const dyv = values(
    dyShape.reduce((a, b) => a * b),
    seed + 1,
  );
  const want = await onCpu(c, xv, dyv, dyShape);
  const before = webgpuFilterGradCounts();
  const got = await onWebGPU(c, xv, dyv, dyShape);
  const after = webgpuFilterGradCounts();
  let maxAbsErr = got.length === want.length ? 0 : Infinity;
  let maxAbs = 0;
  for (let i = 0; i < want.length; i++) {
    maxAbsErr = Math.max(maxAbsErr, Math.abs(got[i]! - want[i]!));
    maxAbs = Math.max(maxAbs, Math.abs(want[i]!));
  }
  return {
    maxAbsErr,
    maxAbs,
    tiled: after.tiled - before.tiled,
    splitK: after.splitK - before.splitK,
    stock: after.stock - before.stock,
  };
}

async function start(): Promise<{ registered: boolean; adapter: string }> {
  const registered = registerWebGPUTrainingKernels();
  if (!(await tf.setBackend('webgpu'))) throw new Error('no webgpu backend');
  const info = (tf.backend() as unknown as { adapterInfo?: { architecture?: string } }).adapterInfo;
  return { registered, adapter: info?.architecture ?? 'unknown' };
}

(window as unknown as { __webgpuGrads: unknown }).__webgpuGrads = { start, run };

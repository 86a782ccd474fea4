// Bundled by e2e/webgpu-batchnorm.spec.ts (esbuild, IIFE) and run in a blank page: the WebGPU
// programs of the training batch norm (src/engine/webgpu-batchnorm.ts), forward and tf.grad
// through the registered gradient, against the cpu backend's composed ops (tf.moments and the
// folded scale and shift, as model.ts composes them) on the same data. Test code only.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { batchNormTrain } from '../../src/engine/batchnorm-kernels.ts';
import { webgpuBatchNormCounts } from '../../src/engine/webgpu-batchnorm.ts';
import { registerWebGPUTrainingKernels } from '../../src/engine/webgpu-kernels.ts';

export interface BatchNormCase {
  x: number[];
  /** Added to every x: activations far from zero test the shifted sums. */
  offset: number;
}

export const OUTPUTS = ['y', 'mean', 'variance', 'dx', 'dgamma', 'dbeta'] as const;
export type Output = (typeof OUTPUTS)[number];

export interface BatchNormResult {
  /** max |webgpu − cpu| / max |cpu| per output (Infinity on a length mismatch). */
  relErr: Record<Output, number>;
  maxAbs: Record<Output, number>;
  forward: number;
  backward: number;
}

const EPSILON = 1e-3;

/** Uniform in [-1, 1) from a seeded LCG: the same data every run. */
function values(count: number, seed: number, offset = 0, scale = 1): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = offset + scale * (s / 2 ** 31 - 1);
  }
  return out;
}

interface Data {
  x: Float32Array;
  dy: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
}

type Outputs = Record<Output, Float32Array>;

async function read(ts: Record<Output, tf.Tensor>): Promise<Outputs> {
  const out = {} as Outputs;
  for (const k of OUTPUTS) out[k] = (await ts[k].data()) as Float32Array;
  tf.dispose(Object.values(ts));
  return out;
}

async function onCpu(c: BatchNormCase, d: Data): Promise<Outputs> {
  await tf.setBackend('cpu');
  const channels = c.x.at(-1)!;
  const axes = c.x.slice(0, -1).map((_, i) => i);
  const x = tf.tensor(d.x, c.x);
  const dy = tf.tensor(d.dy, c.x);
  const gamma = tf.tensor1d(d.gamma);
  const beta = tf.tensor1d(d.beta);
  const composed = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const { mean, variance } = tf.moments(x, axes);
    const scale = g.mul(tf.rsqrt(variance.add(EPSILON)));
    return { y: x.mul(scale).add(b.sub(mean.mul(scale))), mean, variance };
  };
  const fwd = composed(x, gamma, beta);
  const [dx, dgamma, dbeta] = tf.grads((x, g, b) => tf.sum(tf.mul(composed(x, g, b).y, dy)))([
    x,
    gamma,
    beta,
  ]);
  const out = await read({ ...fwd, dx: dx!, dgamma: dgamma!, dbeta: dbeta! });
  tf.dispose([x, dy, gamma, beta]);
  if (out.mean.length !== channels) throw new Error('cpu reference: wrong mean shape');
  return out;
}

async function onWebGPU(c: BatchNormCase, d: Data): Promise<Outputs> {
  if (!(await tf.setBackend('webgpu'))) throw new Error('no webgpu backend');
  const x = tf.tensor(d.x, c.x);
  const dy = tf.tensor(d.dy, c.x);
  const gamma = tf.tensor1d(d.gamma);
  const beta = tf.tensor1d(d.beta);
  const fwd = batchNormTrain(x, gamma, beta, EPSILON);
  // Through the registered gradient, as a training step reaches BN_TRAIN_GRAD.
  const [dx, dgamma, dbeta] = tf.grads((x, g, b) => tf.sum(tf.mul(batchNormTrain(x, g, b, EPSILON).y, dy)))([
    x,
    gamma,
    beta,
  ]);
  const out = await read({ ...fwd, dx: dx!, dgamma: dgamma!, dbeta: dbeta! });
  tf.dispose([x, dy, gamma, beta]);
  return out;
}

async function run(c: BatchNormCase, seed: number): Promise<BatchNormResult> {
  const size = c.x.reduce((a, b) => a * b, 1);
  const channels = c.x.at(-1)!;
  const d: Data = {
    x: values(size, seed, c.offset),
    dy: values(size, seed + 1),
    gamma: values(channels, seed + 2, 1, 0.5),
    beta: values(channels, seed + 3),
  };
  const want = await onCpu(c, d);
  const before = webgpuBatchNormCounts();
  const got = await onWebGPU(c, d);
  const after = webgpuBatchNormCounts();
  const relErr = {} as Record<Output, number>;
  const maxAbs = {} as Record<Output, number>;
  for (const k of OUTPUTS) {
    let err = got[k].length === want[k].length ? 0 : Infinity;
    let top = 0;
    for (let i = 0; i < want[k].length; i++) {
      err = Math.max(err, Math.abs(got[k][i]! - want[k][i]!));
      top = Math.max(top, Math.abs(want[k][i]!));
    }
    relErr[k] = err / top;
    maxAbs[k] = top;
  }
  return {
    relErr,
    maxAbs,
    forward: after.forward - before.forward,
    backward: after.backward - before.backward,
  };
}

async function start(): Promise<{ registered: boolean; adapter: string }> {
  const registered = registerWebGPUTrainingKernels();
  if (!(await tf.setBackend('webgpu'))) throw new Error('no webgpu backend');
  const info = (tf.backend() as unknown as { adapterInfo?: { architecture?: string } }).adapterInfo;
  return { registered, adapter: info?.architecture ?? 'unknown' };
}

(window as unknown as { __webgpuBatchNorm: unknown }).__webgpuBatchNorm = { start, run };

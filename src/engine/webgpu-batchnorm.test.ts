// The WebGPU batch norm's wiring, in Node with a recording backend: the split plan, which programs
// run in which order with which uniforms, that the partial sums are freed, and that
// registerWebGPUTrainingKernels puts both kernels on 'webgpu'. Its values are checked on
// SwiftShader against the cpu backend in e2e/webgpu-batchnorm.spec.ts.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu'; // registers tfjs's webgpu kernels (no adapter needed)
import { describe, expect, it } from 'vitest';
import { BN_TRAIN, BN_TRAIN_GRAD } from './batchnorm-kernels.ts';
import { batchNormTrainGradWebGPU, batchNormTrainWebGPU, planBatchNorm } from './webgpu-batchnorm.ts';
import { registerWebGPUTrainingKernels } from './webgpu-kernels.ts';

interface Call {
  shaderKey: string;
  outputShape: number[];
  dispatch: number[];
  inputs: number[];
  uniforms: number[][];
}

function recordingBackend() {
  const calls: Call[] = [];
  const disposed: number[] = [];
  let id = 100;
  const backend = {
    runWebGPUProgram(p: Call, inputs: tf.TensorInfo[], dtype: tf.DataType, u: { data: number[] }[] = []) {
      calls.push({
        shaderKey: p.shaderKey,
        outputShape: p.outputShape,
        dispatch: p.dispatch,
        inputs: inputs.map((i) => (i.dataId as { id: number }).id),
        uniforms: u.map((x) => x.data),
      });
      return { dataId: { id: id++ }, shape: p.outputShape, dtype };
    },
    disposeData(dataId: { id: number }) {
      disposed.push(dataId.id);
      return true;
    },
  };
  return { backend, calls, disposed };
}

const info = (id: number, shape: number[]): tf.TensorInfo => ({ dataId: { id }, shape, dtype: 'float32' });
const args = (inputs: Record<string, tf.TensorInfo>, backend: unknown) =>
  ({ inputs, backend, attrs: { epsilon: 1e-3 } }) as unknown as Parameters<tf.KernelFunc>[0];

describe('planBatchNorm', () => {
  it('splits many rows across workgroups and keeps few rows whole', () => {
    // the stem at batch 32: one channel tile, 25,088 rows → 98 splits of 256
    expect(planBatchNorm(25088, 16)).toEqual({ rows: 25088, channels: 16, splits: 98, rowsPerSplit: 256 });
    // 64 channels = 4 tiles want 64 splits; 1,568 rows allow 6 → 262 rows each
    expect(planBatchNorm(1568, 64)).toEqual({ rows: 1568, channels: 64, splits: 6, rowsPerSplit: 262 });
    expect(planBatchNorm(511, 3)).toEqual({ rows: 511, channels: 3, splits: 1, rowsPerSplit: 511 });
    // 715 rows: 2 splits of 358 (the last 357)
    expect(planBatchNorm(715, 37)).toEqual({ rows: 715, channels: 37, splits: 2, rowsPerSplit: 358 });
  });
});

describe('the WebGPU batch-norm kernels', () => {
  it('forward: partial sums, mean, variance, then y; the partials freed', () => {
    const { backend, calls, disposed } = recordingBackend();
    const x = info(1, [32, 28, 28, 16]);
    const out = batchNormTrainWebGPU(args({ x, gamma: info(2, [16]), beta: info(3, [16]) }, backend));
    expect(calls.map((c) => [c.shaderKey, c.outputShape, c.dispatch, c.inputs])).toEqual([
      ['morphnetBatchNormSums_fwd', [98, 2, 16], [1, 98, 1], [1]],
      ['morphnetBatchNormFinalize_mean', [16], [1, 1, 1], [100, 1]],
      ['morphnetBatchNormFinalize_variance', [16], [1, 1, 1], [100]],
      ['morphnetBatchNormElementwise_fwd', [32, 28, 28, 16], [6272, 1, 1], [1, 2, 3, 101, 102]],
    ]);
    expect(calls[0]!.uniforms).toEqual([[25088], [16], [256]]);
    expect(calls[1]!.uniforms).toEqual([[25088], [16], [98], [1e-3]]);
    expect(calls[3]!.uniforms).toEqual([[25088], [16], [1e-3]]);
    expect(disposed).toEqual([100]);
    expect(out.map((o) => (o.dataId as { id: number }).id)).toEqual([103, 101, 102]);
  });

  it('backward: Σdy and Σdy·(x − mean), dβ, dγ, then dx; the partials freed', () => {
    const { backend, calls, disposed } = recordingBackend();
    const inputs = { x: info(1, [5, 11, 13, 37]), dy: info(2, [5, 11, 13, 37]), gamma: info(3, [37]) };
    const out = batchNormTrainGradWebGPU(
      args({ ...inputs, mean: info(4, [37]), variance: info(5, [37]) }, backend),
    );
    expect(calls.map((c) => [c.shaderKey, c.outputShape, c.dispatch, c.inputs])).toEqual([
      ['morphnetBatchNormSums_grad', [2, 2, 37], [3, 2, 1], [1, 2, 4]],
      ['morphnetBatchNormFinalize_dbeta', [37], [1, 1, 1], [100]],
      ['morphnetBatchNormFinalize_dgamma', [37], [1, 1, 1], [100, 5]],
      ['morphnetBatchNormElementwise_grad', [5, 11, 13, 37], [414, 1, 1], [1, 2, 3, 4, 5, 102, 101]],
    ]);
    expect(calls[0]!.uniforms).toEqual([[715], [37], [358]]);
    expect(disposed).toEqual([100]);
    // dx, dγ, dβ
    expect(out.map((o) => (o.dataId as { id: number }).id)).toEqual([103, 102, 101]);
  });

  it('are registered for webgpu by registerWebGPUTrainingKernels, once', () => {
    expect(registerWebGPUTrainingKernels()).toBe(true);
    expect(registerWebGPUTrainingKernels()).toBe(true);
    expect(tf.getKernel(BN_TRAIN, 'webgpu')?.kernelFunc).toBe(batchNormTrainWebGPU);
    expect(tf.getKernel(BN_TRAIN_GRAD, 'webgpu')?.kernelFunc).toBe(batchNormTrainGradWebGPU);
  });
});

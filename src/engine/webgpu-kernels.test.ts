// The WebGPU filter gradient's wiring, in Node with a recording backend: which programs run with
// which uniforms, where it falls back, and that registering twice changes nothing. Its values are
// checked on SwiftShader against the cpu backend in e2e/webgpu-kernels.spec.ts.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu'; // registers tfjs's webgpu kernels (no adapter needed)
import { describe, expect, it } from 'vitest';
import { planFilterGrad } from './webgpu-filter-grad.ts';
import {
  forceStockFilterGrad,
  registerWebGPUTrainingKernels,
  webgpuFilterGradCounts,
} from './webgpu-kernels.ts';

interface Call {
  shaderKey: string;
  outputShape: number[];
  dispatch: number[];
  uniforms: number[][];
}

function recordingBackend() {
  const calls: Call[] = [];
  const disposed: unknown[] = [];
  let id = 0;
  const backend = {
    runWebGPUProgram(p: Call, _inputs: tf.TensorInfo[], dtype: tf.DataType, u: { data: number[] }[] = []) {
      calls.push({
        shaderKey: p.shaderKey,
        outputShape: p.outputShape,
        dispatch: p.dispatch,
        uniforms: u.map((x) => x.data),
      });
      return { dataId: { id: id++ }, shape: p.outputShape, dtype };
    },
    disposeData(dataId: unknown) {
      disposed.push(dataId);
      return true;
    },
  };
  return { backend, calls, disposed };
}

const info = (shape: number[]): tf.TensorInfo => ({ dataId: {}, shape, dtype: 'float32' });

describe('planFilterGrad', () => {
  it('splits a long K across workgroups and keeps a short one whole', () => {
    // resnet-mini's stem at batch 32: 9 × 16 outputs, K = 32·28·28 = 25,088 (1,568 steps of 16)
    expect(planFilterGrad(9, 16, 25088)).toEqual({
      m: 9,
      n: 16,
      k: 25088,
      splits: 196,
      kPerSplit: 128,
      tilesM: 1,
      tilesN: 1,
    });
    // 288 × 64 (9 × 2 tiles), K = 1,568 (98 steps): at least 8 steps a split allows 12, 9 steps each → 11 splits
    expect(planFilterGrad(288, 64, 1568)).toEqual({
      m: 288,
      n: 64,
      k: 1568,
      splits: 11,
      kPerSplit: 144,
      tilesM: 9,
      tilesN: 2,
    });
    expect(planFilterGrad(45, 5, 70).splits).toBe(1);
  });
});

describe('registerWebGPUTrainingKernels', () => {
  it('replaces the webgpu kernel once, and keeps tfjs own for explicit padding and the force switch', () => {
    const stock = tf.getKernel('Conv2DBackpropFilter', 'webgpu')!.kernelFunc;
    expect(registerWebGPUTrainingKernels()).toBe(true);
    const ours = tf.getKernel('Conv2DBackpropFilter', 'webgpu')!.kernelFunc;
    expect(ours).not.toBe(stock);
    expect(registerWebGPUTrainingKernels()).toBe(true);
    expect(tf.getKernel('Conv2DBackpropFilter', 'webgpu')!.kernelFunc).toBe(ours);

    // The stem at batch 32: the tiled program writes 196 partial sums, one reduction sums them.
    const { backend, calls, disposed } = recordingBackend();
    const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 1, 16] };
    const before = webgpuFilterGradCounts();
    const dw = ours({
      inputs: { x: info([32, 28, 28, 1]), dy: info([32, 28, 28, 16]) },
      backend: backend as never,
      attrs,
    }) as tf.TensorInfo;
    expect(calls).toEqual([
      {
        shaderKey: 'conv2DDerFilterTiled_32x32x16',
        outputShape: [196, 9, 16],
        dispatch: [1, 1, 196],
        uniforms: [[1, 1], [1, 1], [3, 3], [9], [16], [25088], [128], [8]],
      },
      {
        shaderKey: 'conv2DDerFilterTiledReduce',
        outputShape: [3, 3, 1, 16],
        dispatch: [3, 1, 1],
        uniforms: [[196]],
      },
    ]);
    expect(dw.shape).toEqual([3, 3, 1, 16]);
    expect(disposed).toEqual([{ id: 0 }]);
    expect(webgpuFilterGradCounts()).toEqual({
      ...before,
      tiled: before.tiled + 1,
      splitK: before.splitK + 1,
    });

    // A stride-2 'valid' layer with a short K: one pass straight into dW, nothing to reduce.
    const one = recordingBackend();
    const valid = { strides: [2, 2], pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 3, 6] };
    ours({
      inputs: { x: info([3, 7, 5, 3]), dy: info([3, 3, 2, 6]) },
      backend: one.backend as never,
      attrs: valid,
    });
    expect(one.calls.map((c) => [c.outputShape, c.dispatch, c.uniforms[0], c.uniforms[1]])).toEqual([
      [
        [3, 3, 3, 6],
        [1, 1, 1],
        [0, 0],
        [2, 2],
      ],
    ]);
    expect(one.disposed).toEqual([]);

    // Explicit padding and the force switch go to tfjs's kernel (which would need a real device).
    const stockBackend = recordingBackend();
    const viaStock = (a: object) => () =>
      ours({
        inputs: { x: info([2, 6, 6, 3]), dy: info([2, 6, 6, 4]) },
        backend: stockBackend.backend as never,
        attrs: a as never,
      });
    const counted = webgpuFilterGradCounts().stock;
    viaStock({ ...attrs, pad: 1, filterShape: [3, 3, 3, 4] })();
    forceStockFilterGrad(true);
    try {
      viaStock({ ...attrs, filterShape: [3, 3, 3, 4] })();
    } finally {
      forceStockFilterGrad(false);
    }
    expect(stockBackend.calls.map((c) => c.shaderKey)).toEqual([
      'conv2DDerFilter_true',
      'conv2DDerFilter_true',
    ]);
    expect(webgpuFilterGradCounts().stock).toBe(counted + 2);
  });
});

// The wasm training kernels this project replaced, each against what it replaced, in one
// process so the ratios share the machine's load: a whole resnet-mini step before/after and
// with each replacement alone switched back (kernels-step.ts, rotated rounds), the filter and
// input gradients per conv layer, and batch norm per layer (forward + backward). Also the step's achieved GFLOP/s against wasm's own large-matmul GFLOP/s.
import * as tf from '@tensorflow/tfjs';
import {
  batchNormTrain,
  forceComposedBatchNorm,
  hasFusedBatchNorm,
} from '../../src/engine/batchnorm-kernels.ts';
import { initNodeBackend } from '../../src/engine/backend-node.ts';
import type { Dataset, TrainSettings } from '../../src/engine/types.ts';
import { createSession } from '../../src/engine/session.ts';
import {
  filterGradViaDilatedConv,
  filterGradViaIm2col,
  type WasmBackendLike,
} from '../../src/engine/wasm-conv-grads.ts';
import { filterGradRoute } from '../../src/engine/wasm-kernels.ts';
import { inputGradCases, stepAB, type Ablation } from './kernels-step.ts';
import { networkCost } from '../../src/morphnet/cost.ts';
import { seedSpec } from '../../src/morphnet/seeds.ts';
import { inferShapes, layerInputs, layerStride } from '../../src/morphnet/shape.ts';
import type { TensorShape } from '../../src/morphnet/types.ts';
import { median } from './stats.ts';

export interface KernelCase {
  layer: string;
  shape: string;
  beforeMs: number;
  afterMs: number;
  /** Which implementation the engine now runs for this layer. */
  route: string;
}

export interface KernelResult {
  batch: number;
  step: { beforeMs: number[]; afterMs: number[]; beforeCpuMs?: number[]; afterCpuMs?: number[] };
  /** Each replacement alone switched back, alternated with the `after` steps (kernels-step.ts). */
  ablation: Ablation[];
  filterGrad: KernelCase[];
  /** Conv2DBackpropInput per conv layer: zero-stuffed (before) against polyphase (after). */
  inputGrad: KernelCase[];
  batchNorm: KernelCase[];
  /** Training FLOPs of one step: 3 × the cost model's forward FLOPs × batch (forward + two backward). */
  stepFlops: number;
  /** Best of a few 1024×1024×1024 matmuls on wasm: the backend's own ceiling on this machine. */
  matmulGflops: number;
}

function best(times: number, f: () => tf.Tensor): number {
  let b = Infinity;
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const t = f();
    t.dataSync(); // wasm runs eagerly; this only makes the wait explicit
    b = Math.min(b, performance.now() - t0);
    t.dispose();
  }
  return b;
}

function seeded(shape: number[], f: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, (_, i) => Math.sin(i * f + 0.3)),
    shape,
  );
}

type MapShape = Extract<TensorShape, { kind: 'map' }>;

function mapShape(shapes: Record<string, TensorShape>, name: string): MapShape {
  const s = shapes[name];
  if (s?.kind !== 'map') throw new Error(`resnet-mini's "${name}" is not a feature map`);
  return s;
}

function filterGradCases(batch: number, reps: number): KernelCase[] {
  const spec = seedSpec('resnet-mini');
  const shapes = inferShapes(spec);
  const backend = tf.backend() as unknown as WasmBackendLike;
  const out: KernelCase[] = [];
  for (const layer of spec.layers) {
    if (layer.type !== 'conv') continue;
    const input = mapShape(shapes, layerInputs(layer)[0]!);
    const output = mapShape(shapes, layer.name);
    const s = layerStride(layer);
    const fs = [layer.kernel, layer.kernel, input.channels, layer.filters];
    const x = seeded([batch, input.height, input.width, input.channels], 0.37);
    const dy = seeded([batch, output.height, output.width, layer.filters], 0.71);
    const attrs = {
      strides: [s, s],
      pad: 'same',
      filterShape: fs,
    } as unknown as tf.Conv2DBackpropFilterAttrs;
    const time = (f: typeof filterGradViaIm2col) =>
      best(reps, () => tf.engine().makeTensorFromTensorInfo(f(backend, x, dy, attrs)));
    out.push({
      layer: layer.name,
      shape: `${input.height}×${input.width}×${input.channels} → ${layer.kernel}×${layer.kernel}×${layer.filters}, stride ${s}`,
      beforeMs: time(filterGradViaIm2col),
      afterMs: time(filterGradViaDilatedConv),
      route: filterGradRoute(fs),
    });
    tf.dispose([x, dy]);
  }
  return out;
}

function batchNormCases(batch: number, reps: number): KernelCase[] {
  const spec = seedSpec('resnet-mini');
  const shapes = inferShapes(spec);
  const seen = new Set<string>();
  const out: KernelCase[] = [];
  for (const layer of spec.layers) {
    if (layer.type !== 'conv' || layer.bn === false) continue;
    const s = mapShape(shapes, layer.name);
    const key = `${s.height}×${s.width}×${s.channels}`;
    if (seen.has(key)) continue; // one row per distinct shape
    seen.add(key);
    const x = seeded([batch, s.height, s.width, s.channels], 0.37);
    const w = seeded([batch, s.height, s.width, s.channels], 0.11);
    const gamma = tf.ones([s.channels]);
    const beta = tf.zeros([s.channels]);
    // Forward + backward through the model's own batch norm, composed or fused.
    const pass = () =>
      tf.tidy(() => {
        const f = (a: tf.Tensor, g: tf.Tensor) => bnOnce(a, g, beta).mul(w).sum();
        const [dx, dg] = tf.grads(f)([x, gamma]);
        return tf.concat([dx!.reshape([-1]), dg!]);
      });
    forceComposedBatchNorm(true);
    const beforeMs = best(reps, pass);
    forceComposedBatchNorm(false);
    const afterMs = best(reps, pass);
    out.push({ layer: layer.name, shape: key, beforeMs, afterMs, route: 'fused' });
    tf.dispose([x, w, gamma, beta]);
  }
  return out;
}

/** One training-mode batch norm the way model.ts runs it (fused unless forced composed). */
function bnOnce(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  if (hasFusedBatchNorm()) return batchNormTrain(x, gamma, beta, 1e-3).y;
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const scale = gamma.mul(tf.rsqrt(variance.add(1e-3)));
  return x.mul(scale).add(beta.sub(mean.mul(scale)));
}

function matmulGflops(): number {
  const n = 1024;
  const a = seeded([n, n], 0.1);
  const b = seeded([n, n], 0.2);
  const ms = best(3, () => tf.matMul(a, b));
  tf.dispose([a, b]);
  return (2 * n ** 3) / (ms / 1000) / 1e9;
}

export async function runKernels(
  dataset: Dataset,
  settings: TrainSettings,
  pairs: number,
  log: (msg: string) => void,
): Promise<KernelResult> {
  await initNodeBackend('wasm');
  const spec = seedSpec('resnet-mini');
  log(`kernels: whole step before/after and each replacement alone switched back, ${pairs} rotated rounds`);
  const session = await createSession({ spec, dataset, settings });
  const ab = stepAB(session, pairs);
  session.dispose();
  log(
    `kernels: step ${median(ab.beforeMs).toFixed(0)} → ${median(ab.afterMs).toFixed(0)} ms; per-layer gradients and batch norms`,
  );
  const filterGrad = filterGradCases(settings.batch, 5);
  const inputGrad = inputGradCases(settings.batch, 5);
  const batchNorm = batchNormCases(settings.batch, 5);
  const gflops = matmulGflops();
  return {
    batch: settings.batch,
    step: {
      beforeMs: ab.beforeMs,
      afterMs: ab.afterMs,
      beforeCpuMs: ab.beforeCpuMs,
      afterCpuMs: ab.afterCpuMs,
    },
    ablation: ab.ablation,
    filterGrad,
    inputGrad,
    batchNorm,
    stepFlops: 3 * settings.batch * networkCost(spec).flops,
    matmulGflops: gflops,
  };
}

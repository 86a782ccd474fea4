// tfjs's WebGPU Conv2DBackpropFilter against the tiled replacement (src/engine/webgpu-kernels.ts)
// at resnet-mini's conv shapes, on whatever WebGPU adapter tfjs has: run in headless Chromium by
// webgpu-kernels.ts (SwiftShader here) and in Node through Dawn by gpu/gpu-step.ts (a real GPU).
// The two kernels alternate round by round, so a slow spell of a shared machine hits both.
import * as tf from '@tensorflow/tfjs';
import { forceStockFilterGrad, webgpuFilterGradCounts } from '../../src/engine/webgpu-kernels.ts';
import { seedSpec } from '../../src/morphnet/seeds.ts';

export interface FilterGradShape {
  /** The layers with this shape, e.g. `s1b1/conv1 ×4`. */
  layers: string[];
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
}

export interface FilterGradTiming extends FilterGradShape {
  /** ms per call, one value per round. */
  stockMs: number[];
  tiledMs: number[];
}

export interface FilterGradRun {
  batch: number;
  rounds: number;
  /** Calls queued per timing, closed by one readback. */
  reps: number;
  shapes: FilterGradTiming[];
  /** Σ over every conv layer of its shape's ms, per round: one step's filter gradients. */
  stepStockMs: number[];
  stepTiledMs: number[];
}

/** Every conv layer's filter-gradient shape in resnet-mini ('same' padding, as model.ts builds it), grouped. */
export function resnetMiniFilterGradShapes(batch: number): FilterGradShape[] {
  const spec = seedSpec('resnet-mini');
  const dims = new Map<string, [number, number, number]>([
    ['input', [spec.input.height, spec.input.width, spec.input.channels]],
  ]);
  const shapes = new Map<string, FilterGradShape>();
  for (const layer of spec.layers) {
    if (layer.type !== 'conv' && layer.type !== 'add') continue;
    const from = Array.isArray(layer.from) ? layer.from[0]! : layer.from;
    const [h, w, c] = dims.get(from)!;
    if (layer.type === 'add') dims.set(layer.name, [h, w, c]);
    if (layer.type !== 'conv') continue;
    const stride = layer.stride ?? 1;
    dims.set(layer.name, [Math.ceil(h / stride), Math.ceil(w / stride), layer.filters]);
    const x: FilterGradShape['x'] = [batch, h, w, c];
    const filter: FilterGradShape['filter'] = [layer.kernel, layer.kernel, c, layer.filters];
    const key = `${x.join(',')}|${filter.join(',')}|${stride}`;
    const known = shapes.get(key);
    if (known) known.layers.push(layer.name);
    else shapes.set(key, { layers: [layer.name], x, filter, stride });
  }
  return [...shapes.values()];
}

export const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Per round, a whole step's time: each shape's time that round times the layers that have it. */
export function stepTotals<S extends { layers: string[] }>(
  shapes: S[],
  rounds: number,
  pick: (s: S) => number[],
): number[] {
  return Array.from({ length: rounds }, (_, r) =>
    shapes.reduce((sum, s) => sum + s.layers.length * pick(s)[r]!, 0),
  );
}

/** ms per call of `reps` queued calls, closed by one readback (WebGPU only queues the work). */
async function timeCalls(x: tf.Tensor, dy: tf.Tensor, s: FilterGradShape, reps: number): Promise<number> {
  const attrs = { strides: [s.stride, s.stride], pad: 'same', dataFormat: 'NHWC', filterShape: s.filter };
  const run = () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as never) as tf.Tensor;
  const drain = run();
  await drain.data(); // nothing else left in the queue when the clock starts
  drain.dispose();
  const t0 = performance.now();
  const outs: tf.Tensor[] = [];
  for (let i = 0; i < reps; i++) outs.push(run());
  await outs.at(-1)!.data();
  const elapsed = performance.now() - t0;
  tf.dispose(outs);
  return elapsed / reps;
}

/** Times both kernels on every shape, `rounds` alternated rounds after one warm-up call each. */
export async function timeFilterGrads(opts: {
  batch: number;
  rounds: number;
  reps: number;
  log?: (msg: string) => void;
}): Promise<FilterGradRun> {
  const shapes = resnetMiniFilterGradShapes(opts.batch).map((s) => ({
    ...s,
    stockMs: [] as number[],
    tiledMs: [] as number[],
  }));
  const before = webgpuFilterGradCounts();
  try {
    for (const s of shapes) {
      const out = [s.x[0], Math.ceil(s.x[1] / s.stride), Math.ceil(s.x[2] / s.stride), s.filter[3]];
      const x = tf.randomUniform(s.x, -1, 1, 'float32', 1);
      const dy = tf.randomUniform(out, -1, 1, 'float32', 2);
      for (const stock of [true, false]) {
        forceStockFilterGrad(stock);
        await timeCalls(x, dy, s, 1); // compiles the program
      }
      for (let r = 0; r < opts.rounds; r++) {
        for (const stock of r % 2 === 0 ? [true, false] : [false, true]) {
          forceStockFilterGrad(stock);
          (stock ? s.stockMs : s.tiledMs).push(await timeCalls(x, dy, s, opts.reps));
        }
      }
      tf.dispose([x, dy]);
      opts.log?.(
        `filter grad ${s.layers[0]} x${s.layers.length} x ${s.x.join('×')} filter ${s.filter.join('×')} stride ${s.stride}: ` +
          `stock ${medianOf(s.stockMs).toFixed(1)} ms, tiled ${medianOf(s.tiledMs).toFixed(1)} ms`,
      );
    }
  } finally {
    forceStockFilterGrad(false);
  }
  const after = webgpuFilterGradCounts();
  // The timings are only the replacement's if it ran: the registry may still hold tfjs's kernel.
  if (after.tiled === before.tiled) throw new Error('the tiled filter gradient never ran (not registered?)');
  const perRound = (pick: (s: FilterGradTiming) => number[]) => stepTotals(shapes, opts.rounds, pick);
  return {
    batch: opts.batch,
    rounds: opts.rounds,
    reps: opts.reps,
    shapes,
    stepStockMs: perRound((s) => s.stockMs),
    stepTiledMs: perRound((s) => s.tiledMs),
  };
}

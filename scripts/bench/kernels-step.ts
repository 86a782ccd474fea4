// The whole-step half of the kernels section: every replaced kernel switched back to what it
// replaced (before), all of them on (after), and each one alone switched back (ablation), the
// configurations alternated in rotating order within one session so the machine's load hits
// all of them alike. Also the input gradient per conv layer, zero-stuffed against polyphase.
import * as tf from '@tensorflow/tfjs';
import { forceComposedBatchNorm, forceJsBatchNormLoops } from '../../src/engine/batchnorm-kernels.ts';
import { forceStockMomentum } from '../../src/engine/fused-momentum.ts';
import type { Session } from '../../src/engine/types.ts';
import { inputGradViaConv, type WasmBackendLike } from '../../src/engine/wasm-conv-grads.ts';
import {
  forceFilterGradRoute,
  forceIdentityCopy,
  forceInputGradRoute,
} from '../../src/engine/wasm-kernels.ts';
import { inputGradViaPolyphase } from '../../src/engine/wasm-polyphase.ts';
import { seedSpec } from '../../src/morphnet/seeds.ts';
import { inferShapes, layerInputs, layerStride } from '../../src/morphnet/shape.ts';

/** One replacement: what it is, and how to switch it back (`true`) or on (`false`). */
export interface Replacement {
  name: string;
  revert: (back: boolean) => void;
}

export const REPLACEMENTS: readonly Replacement[] = [
  {
    name: 'filter gradient as a dilated conv (not im2col)',
    revert: (b) => forceFilterGradRoute(b ? 'im2col' : null),
  },
  {
    name: 'input gradient by polyphase (not zero-stuffed)',
    revert: (b) => forceInputGradRoute(b ? 'zero-stuffed' : null),
  },
  { name: 'batch norm fused (not ~20 composed kernels)', revert: (b) => forceComposedBatchNorm(b) },
  { name: 'batch-norm passes in SIMD (not JS loops)', revert: (b) => forceJsBatchNormLoops(b) },
  { name: 'Identity by reference (not a copy)', revert: (b) => forceIdentityCopy(b) },
  { name: 'momentum update in one kernel (not 4 a variable)', revert: (b) => forceStockMomentum(b) },
];

export interface Ablation {
  name: string;
  /** Steps with only this replacement switched back, alternated with the `after` steps. */
  withoutMs: number[];
  /** The same steps' process CPU time (user + system). */
  withoutCpuMs: number[];
}

/**
 * Wall-clock ms per step, and process CPU ms: the step is one thread of compute, so CPU time
 * leaves out the time the OS gave the core to other work, the largest noise on a shared
 * machine (cache contention remains in both).
 */
export interface StepAB {
  beforeMs: number[];
  afterMs: number[];
  beforeCpuMs: number[];
  afterCpuMs: number[];
  ablation: Ablation[];
}

function configure(reverted: ReadonlySet<string> | 'all'): void {
  for (const r of REPLACEMENTS) r.revert(reverted === 'all' || reverted.has(r.name));
}

/**
 * `rounds` rounds of before, after and each ablation, one step each, the order rotated every
 * round (a slow drift in load then biases no configuration); two untimed rounds first.
 */
export function stepAB(session: Session, rounds: number): StepAB {
  type Config = { key: string; set: () => void; times: number[]; cpu: number[] };
  const config = (key: string, set: () => void): Config => ({ key, set, times: [], cpu: [] });
  const configs: Config[] = [
    config('before', () => configure('all')),
    config('after', () => configure(new Set())),
    ...REPLACEMENTS.map((r) => config(r.name, () => configure(new Set([r.name])))),
  ];
  const time = (c: Config, keep: boolean) => {
    c.set();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    session.trainStep();
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    if (keep) {
      c.times.push(wall);
      c.cpu.push((cpu.user + cpu.system) / 1000);
    }
  };
  try {
    for (let w = 0; w < 2; w++) for (const c of configs) time(c, false);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < configs.length; k++) time(configs[(k + r) % configs.length]!, true);
    }
  } finally {
    configure(new Set());
  }
  return {
    beforeMs: configs[0]!.times,
    afterMs: configs[1]!.times,
    beforeCpuMs: configs[0]!.cpu,
    afterCpuMs: configs[1]!.cpu,
    ablation: configs.slice(2).map((c) => ({ name: c.key, withoutMs: c.times, withoutCpuMs: c.cpu })),
  };
}

export interface InputGradCase {
  layer: string;
  shape: string;
  beforeMs: number;
  afterMs: number;
  route: string;
}

function seeded(shape: number[], f: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, (_, i) => Math.sin(i * f + 0.3)),
    shape,
  );
}

/** Best of `reps` of each route, alternated, per conv layer whose input is not the image (the tape computes no dx there). */
export function inputGradCases(batch: number, reps: number): InputGradCase[] {
  const spec = seedSpec('resnet-mini');
  const shapes = inferShapes(spec);
  const backend = tf.backend() as unknown as WasmBackendLike;
  const out: InputGradCase[] = [];
  for (const layer of spec.layers) {
    const from = layerInputs(layer)[0]!;
    if (layer.type !== 'conv' || from === 'input') continue;
    const input = shapes[from];
    const output = shapes[layer.name];
    if (input?.kind !== 'map' || output?.kind !== 'map') continue;
    const s = layerStride(layer);
    const dy = seeded([batch, output.height, output.width, layer.filters], 0.71);
    const filter = seeded([layer.kernel, layer.kernel, input.channels, layer.filters], 0.37);
    const attrs = {
      strides: [s, s],
      pad: 'same',
      inputShape: [batch, input.height, input.width, input.channels],
    } as unknown as tf.Conv2DBackpropInputAttrs;
    const best = [Infinity, Infinity];
    for (let r = 0; r < reps; r++) {
      [inputGradViaConv, inputGradViaPolyphase].forEach((f, k) => {
        const t0 = performance.now();
        const dx = tf.engine().makeTensorFromTensorInfo(f(backend, dy, filter, attrs));
        dx.dataSync(); // wasm runs eagerly; this only makes the wait explicit
        best[k] = Math.min(best[k]!, performance.now() - t0);
        dx.dispose();
      });
    }
    out.push({
      layer: layer.name,
      shape: `${output.height}×${output.width}×${layer.filters} → ${input.height}×${input.width}×${input.channels}, ${layer.kernel}×${layer.kernel} stride ${s}`,
      beforeMs: best[0]!,
      afterMs: best[1]!,
      route: 'polyphase',
    });
    tf.dispose([dy, filter]);
  }
  return out;
}

// SGD with momentum whose update of every variable is one kernel on wasm. tfjs's
// MomentumOptimizer runs four kernels and a tidy per variable (acc' = m·acc + g, v' = v − lr·acc'):
// ~180 kernels a resnet-mini step, each a few microseconds of work behind tens of microseconds of
// engine bookkeeping. Here one kernel walks all variables on the heap in JS, in float32 exactly
// as those kernels round (Math.fround after each product and sum: a float32 product or sum
// computed in float64 and rounded once equals the float32 operation), so the values are bit for
// bit tfjs's. The accumulators, their names and order, getWeights/setWeights and the learning
// rate are the parent class's: checkpoints do not see the difference.
import * as tf from '@tensorflow/tfjs';

export const MOMENTUM_UPDATE = 'MorphnetMomentumUpdate';

interface WasmLike extends tf.KernelBackend {
  typedArrayFromHeap(info: tf.TensorInfo): tf.backend_util.TypedArray;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

/** Inputs v<k>, g<k>, a<k> (value, gradient, accumulator) for k < count; outputs [a'0, v'0, a'1, v'1, …]. */
function momentumUpdate(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const backend = args.backend as WasmLike;
  const { count, momentum, learningRate } = args.attrs as { count: number; momentum: number; learningRate: number };
  const inputs = args.inputs as Record<string, tf.TensorInfo>;
  const m = Math.fround(momentum);
  const c = Math.fround(-learningRate);
  const outs: tf.TensorInfo[] = [];
  for (let k = 0; k < count; k++) {
    const shape = inputs[`v${k}`]!.shape;
    outs.push(backend.makeOutput(shape, 'float32'), backend.makeOutput(shape, 'float32'));
  }
  // Views only after the last allocation: growing wasm memory detaches older ones.
  const view = (i: tf.TensorInfo) => backend.typedArrayFromHeap(i) as Float32Array;
  const f = Math.fround;
  for (let k = 0; k < count; k++) {
    const v = view(inputs[`v${k}`]!);
    const g = view(inputs[`g${k}`]!);
    const a = view(inputs[`a${k}`]!);
    const a2 = view(outs[2 * k]!);
    const v2 = view(outs[2 * k + 1]!);
    for (let i = 0; i < v.length; i++) {
      const acc = f(f(m * a[i]!) + g[i]!);
      a2[i] = acc;
      v2[i] = f(c * acc) + v[i]!;
    }
  }
  return outs;
}

/** Registers the update kernel for wasm; idempotent. */
export function registerMomentumKernel(): void {
  if (tf.getKernel(MOMENTUM_UPDATE, 'wasm') === undefined) {
    tf.registerKernel({ kernelName: MOMENTUM_UPDATE, backendName: 'wasm', kernelFunc: momentumUpdate });
  }
}

let stockForced = false;

/** For the benchmark's before/after in one process: tfjs's per-variable update while `on`. */
export function forceStockMomentum(on: boolean): void {
  stockForced = on;
}

/** The parent's private state this class reads (tfjs 4.22 MomentumOptimizer). */
interface MomentumState {
  learningRate: number;
  momentum: number;
  accumulations: { originalName: string; variable: tf.Variable }[];
}

/** tf.train.momentum(lr, momentum) without Nesterov, one kernel per step where the backend has it. */
export class FusedMomentumOptimizer extends tf.MomentumOptimizer {
  constructor(learningRate: number, momentum: number) {
    super(learningRate, momentum, false);
  }

  override applyGradients(variableGradients: Parameters<tf.MomentumOptimizer['applyGradients']>[0]): void {
    if (stockForced || tf.getKernel(MOMENTUM_UPDATE, tf.getBackend()) === undefined) {
      super.applyGradients(variableGradients);
      return;
    }
    const self = this as unknown as MomentumState;
    const list = Array.isArray(variableGradients);
    const names = list ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const inputs: Record<string, tf.Tensor> = {};
    const targets: [tf.Variable, tf.Variable][] = [];
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name]!;
      // Created as the parent creates them, so their names and order (checkpoints) are the same.
      self.accumulations[i] ??= { originalName: `${name}/momentum`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      const gradient = list ? variableGradients[i]!.tensor : variableGradients[name];
      if (gradient == null) return;
      const k = targets.length;
      inputs[`v${k}`] = value;
      inputs[`g${k}`] = gradient;
      inputs[`a${k}`] = self.accumulations[i]!.variable;
      targets.push([value, self.accumulations[i]!.variable]);
    });
    tf.tidy(() => {
      const attrs = { count: targets.length, momentum: self.momentum, learningRate: self.learningRate };
      const outs = tf.engine().runKernel(MOMENTUM_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      targets.forEach(([value, acc], k) => {
        acc.assign(outs[2 * k]!);
        value.assign(outs[2 * k + 1]!);
      });
    });
    this.incrementIterations();
  }
}

// Variables and a forward pass for any valid NetworkSpec (issue 2, "The network spec"). Same
// padding everywhere; conv and depthwise carry batch norm with a learnable scale γ (MORPHNET.md
// §5: the regularizer acts on γ) unless `bn: false`, in which case they get a bias instead.
import * as tf from '@tensorflow/tfjs';
import { batchNormTrain, hasFusedBatchNorm } from './batchnorm-kernels.ts';
import { inferShapes, layerInputs, layerStride, shapeChannels } from '../morphnet/shape.ts';
import type { Layer, NetworkSpec } from '../morphnet/types.ts';
import { makeNormal, makeRng } from './rng.ts';

export interface BatchNorm {
  gamma: tf.Variable;
  beta: tf.Variable;
  /** Moving averages for inference; assigned during training steps, never trained. */
  movingMean: tf.Variable;
  movingVariance: tf.Variable;
}

interface LayerParams {
  kernel?: tf.Variable;
  bias?: tf.Variable;
  bn?: BatchNorm;
}

export interface ModelOptions {
  /** Weight of the old moving average per step. 0.9 tracks the shifting statistics of a
   * network whose γ are being driven to zero within a few hundred steps; 0.99 would lag. */
  bnMomentum?: number;
  bnEpsilon?: number;
  /**
   * Start from these values instead of the seeded He-normal initialization: one tensor per
   * variable, keyed `<layer>/<what>` (what: kernel, bias, gamma, beta, moving_mean,
   * moving_variance), shapes matching `spec`. Copied; the caller still owns them.
   */
  initialWeights?: ModelWeights;
}

/** A model's values by `<layer>/<what>` (see ModelOptions.initialWeights). */
export type ModelWeights = Record<string, tf.Tensor>;

export interface Model {
  readonly spec: NetworkSpec;
  /** Everything the optimizer updates: kernels, biases, γ and β, in spec order. */
  readonly trainable: tf.Variable[];
  /** Every variable, the moving averages included (named `<prefix>/<layer>/<what>`). */
  readonly variables: tf.Variable[];
  /** γ of each batch-normed layer by layer name, in spec order. */
  readonly gammas: ReadonlyMap<string, tf.Variable>;
  /** The kernel [k, k, in, out] of each conv layer by layer name, in spec order. */
  readonly convKernels: ReadonlyMap<string, tf.Variable>;
  /** Copies of every variable by `<layer>/<what>`; the caller disposes them. Reads nothing back. */
  exportWeights(): ModelWeights;
  /**
   * Logits [batch, classes] for NHWC float input. `training`: batch norm uses batch statistics
   * and assigns the moving averages (call it inside the training step, under a tidy);
   * otherwise it uses the moving averages and assigns nothing. `bnMomentum` overrides the
   * model's momentum for this pass (0 replaces the averages with this batch's statistics).
   */
  apply(x: tf.Tensor4D, training: boolean, bnMomentum?: number): tf.Tensor2D;
  dispose(): void;
}

let modelCount = 0;

/** A copy of `weights[key]`, which must have the variable's shape. */
function initialValue(weights: ModelWeights, key: string, shape: number[]): tf.Tensor {
  const w = weights[key];
  if (w === undefined) throw new Error(`initial weights: "${key}" is missing`);
  if (w.shape.join() !== shape.join()) {
    throw new Error(`initial weights: "${key}" has shape [${w.shape.join(', ')}], the network needs [${shape.join(', ')}]`);
  }
  return w.clone();
}

/** He-normal (std √(2/fan_in)) values from the seeded generator: never Math.random. */
function heNormal(normal: () => number, size: number, fanIn: number): Float32Array {
  const std = Math.sqrt(2 / fanIn);
  const v = new Float32Array(size);
  for (let i = 0; i < size; i++) v[i] = normal() * std;
  return v;
}

function hasBn(layer: Layer): boolean {
  return (layer.type === 'conv' || layer.type === 'depthwise') && layer.bn !== false;
}

function hasRelu(layer: Layer, isLast: boolean): boolean {
  // validateSpec's defaults: relu on conv, depthwise, add, and on dense except the logits.
  switch (layer.type) {
    case 'conv':
    case 'depthwise':
    case 'add':
      return layer.relu ?? true;
    case 'dense':
      return layer.relu ?? !isLast;
    default:
      return false;
  }
}

export function buildModel(spec: NetworkSpec, seed: number, opts: ModelOptions = {}): Model {
  const defaultMomentum = opts.bnMomentum ?? 0.9;
  const epsilon = opts.bnEpsilon ?? 1e-3;
  const shapes = inferShapes(spec);
  const normal = makeNormal(makeRng(seed));
  const prefix = `m${++modelCount}`;
  const params = new Map<string, LayerParams>();
  const trainable: tf.Variable[] = [];
  const all: tf.Variable[] = [];
  const gammas = new Map<string, tf.Variable>();
  const convKernels = new Map<string, tf.Variable>();
  const byKey = new Map<string, tf.Variable>();
  const given = opts.initialWeights;

  const variable = (layer: string, what: string, t: tf.Tensor, train = true): tf.Variable => {
    const key = `${layer}/${what}`;
    const init = given === undefined ? t : initialValue(given, key, t.shape);
    const v = tf.variable(init, train, `${prefix}/${key}`);
    if (init !== t) init.dispose();
    t.dispose();
    byKey.set(key, v);
    all.push(v);
    if (train) trainable.push(v);
    return v;
  };

  for (const layer of spec.layers) {
    const inShape = shapes[layerInputs(layer)[0]!]!;
    const cin = shapeChannels(inShape);
    const cout = shapeChannels(shapes[layer.name]!);
    const p: LayerParams = {};
    if (layer.type === 'conv') {
      const k = layer.kernel;
      p.kernel = variable(layer.name, 'kernel', tf.tensor4d(heNormal(normal, k * k * cin * cout, k * k * cin), [k, k, cin, cout]));
      convKernels.set(layer.name, p.kernel);
    } else if (layer.type === 'depthwise') {
      const k = layer.kernel;
      const m = layer.multiplier ?? 1;
      p.kernel = variable(layer.name, 'kernel', tf.tensor4d(heNormal(normal, k * k * cin * m, k * k), [k, k, cin, m]));
    } else if (layer.type === 'dense') {
      p.kernel = variable(layer.name, 'kernel', tf.tensor2d(heNormal(normal, cin * cout, cin), [cin, cout]));
      p.bias = variable(layer.name, 'bias', tf.zeros([cout]));
    }
    if (hasBn(layer)) {
      p.bn = {
        gamma: variable(layer.name, 'gamma', tf.ones([cout])),
        beta: variable(layer.name, 'beta', tf.zeros([cout])),
        movingMean: variable(layer.name, 'moving_mean', tf.zeros([cout]), false),
        movingVariance: variable(layer.name, 'moving_variance', tf.ones([cout]), false),
      };
      gammas.set(layer.name, p.bn.gamma);
    } else if (layer.type === 'conv' || layer.type === 'depthwise') {
      p.bias = variable(layer.name, 'bias', tf.zeros([cout]));
    }
    params.set(layer.name, p);
  }

  function batchNorm(x: tf.Tensor4D, bn: BatchNorm, training: boolean, momentum: number): tf.Tensor4D {
    let mean: tf.Tensor;
    let variance: tf.Tensor;
    if (training && hasFusedBatchNorm()) {
      const out = batchNormTrain(x, bn.gamma, bn.beta, epsilon);
      bn.movingMean.assign(bn.movingMean.mul(momentum).add(out.mean.mul(1 - momentum)));
      bn.movingVariance.assign(bn.movingVariance.mul(momentum).add(out.variance.mul(1 - momentum)));
      return out.y as tf.Tensor4D;
    }
    if (training) {
      ({ mean, variance } = tf.moments(x, [0, 1, 2]));
      // The assigned tensors are built from batch statistics, so they sit on the gradient tape,
      // but nothing reads them into the loss: no gradient reaches the moving averages.
      bn.movingMean.assign(bn.movingMean.mul(momentum).add(mean.mul(1 - momentum)));
      bn.movingVariance.assign(bn.movingVariance.mul(momentum).add(variance.mul(1 - momentum)));
    } else {
      mean = bn.movingMean;
      variance = bn.movingVariance;
    }
    // y = (x − mean)·γ/√(var+ε) + β, folded into one per-channel scale and shift so the
    // full-size tensor sees two ops instead of four.
    const scale = bn.gamma.mul(tf.rsqrt(variance.add(epsilon)));
    const shift = bn.beta.sub(mean.mul(scale));
    return x.mul(scale).add(shift);
  }

  function apply(x: tf.Tensor4D, training: boolean, bnMomentum = defaultMomentum): tf.Tensor2D {
    const outputs = new Map<string, tf.Tensor>([['input', x]]);
    const last = spec.layers[spec.layers.length - 1];
    for (const layer of spec.layers) {
      const ins = layerInputs(layer).map((n) => outputs.get(n)!);
      const first = ins[0]!;
      const p = params.get(layer.name)!;
      let y: tf.Tensor;
      switch (layer.type) {
        case 'conv':
          y = tf.conv2d(first as tf.Tensor4D, p.kernel as tf.Tensor4D, layerStride(layer), 'same');
          break;
        case 'depthwise':
          y = tf.depthwiseConv2d(first as tf.Tensor4D, p.kernel as tf.Tensor4D, layerStride(layer), 'same');
          break;
        case 'add':
          y = tf.addN(ins);
          break;
        case 'concat':
          y = tf.concat(ins, first.rank - 1);
          break;
        case 'maxpool':
          y = tf.maxPool(first as tf.Tensor4D, layer.kernel, layerStride(layer), 'same');
          break;
        case 'gap':
          y = tf.mean(first, [1, 2]);
          break;
        case 'dense':
          y = tf.matMul(first as tf.Tensor2D, p.kernel as tf.Tensor2D);
          break;
      }
      if (p.bn !== undefined) y = batchNorm(y as tf.Tensor4D, p.bn, training, bnMomentum);
      else if (p.bias !== undefined) y = y.add(p.bias);
      if (hasRelu(layer, layer === last)) y = tf.relu(y);
      outputs.set(layer.name, y);
    }
    return outputs.get(last!.name) as tf.Tensor2D;
  }

  return {
    spec,
    trainable,
    variables: all,
    gammas,
    convKernels,
    exportWeights: () => Object.fromEntries([...byKey].map(([key, v]) => [key, v.clone()])),
    apply,
    dispose: () => all.forEach((v) => v.dispose()),
  };
}

// Weights for a pruned network (issue 4, magnitude filter pruning): the trained weights restricted
// to the channels the pruning kept, so fine-tuning starts where training stopped.
import * as tf from '@tensorflow/tfjs';
import { layerInputs } from '../morphnet/shape.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import type { ModelWeights } from './model.ts';

/**
 * `weights` (a model of the seed, Model.exportWeights) cut down to `pruned`: every conv kernel to
 * its kept input and output channels, a depthwise kernel to its kept input channels, a dense
 * kernel to its kept input rows, and batch-norm parameters, moving statistics and biases to the
 * kept output channels. `kept` gives the seed's channel indices each tensor keeps
 * (PruneResult.kept from pruneByMagnitude). New tensors; the caller disposes them and `weights`.
 */
export function pruneWeights(
  weights: ModelWeights,
  pruned: NetworkSpec,
  kept: Readonly<Record<string, readonly number[]>>,
): ModelWeights {
  const out: ModelWeights = {};
  const indices = (tensor: string): tf.Tensor1D => {
    const k = kept[tensor];
    if (k === undefined) throw new Error(`pruneWeights: no kept channels for "${tensor}"`);
    return tf.tensor1d(Int32Array.from(k), 'int32');
  };
  const take = (key: string, axes: [axis: number, tensor: string][]): void => {
    const w = weights[key];
    if (w === undefined) throw new Error(`pruneWeights: "${key}" is missing from the weights`);
    out[key] =
      axes.length === 0 ? w.clone() : tf.tidy(() => axes.reduce((t, [axis, name]) => tf.gather(t, indices(name), axis), w));
  };
  for (const layer of pruned.layers) {
    const from = layerInputs(layer)[0]!;
    const own = layer.name;
    if (layer.type === 'conv') take(`${own}/kernel`, [[2, from], [3, own]]);
    else if (layer.type === 'depthwise') take(`${own}/kernel`, [[2, from]]);
    else if (layer.type === 'dense') {
      take(`${own}/kernel`, [[0, from]]);
      take(`${own}/bias`, []);
    }
    if (layer.type !== 'conv' && layer.type !== 'depthwise') continue;
    if (layer.bn === false) take(`${own}/bias`, [[0, own]]);
    else for (const what of ['gamma', 'beta', 'moving_mean', 'moving_variance']) take(`${own}/${what}`, [[0, own]]);
  }
  return out;
}

/** Disposes every tensor of a weights map (Model.exportWeights, pruneWeights). */
export function disposeWeights(weights: ModelWeights): void {
  tf.dispose(Object.values(weights));
}

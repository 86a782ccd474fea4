// "Start from: trained on ...": the page sends the seed's trained weights with `init` as plain
// data (already checked against their SHA-256 there); this makes tensors of them for the build.
import { toTensor } from '../engine/checkpoint.ts';
import type { ModelWeights } from '../engine/model.ts';
import { disposeWeights } from '../engine/prune.ts';
import type { TensorData } from '../engine/types.ts';
import type { PostFn } from '../protocol/messages.ts';

export const START_WEIGHTS_UNFIT = 'The trained starting weights do not fit this network, so it starts untrained.';

/**
 * `build` from `data` when given. Weights that do not fit the network (a key missing, a shape
 * that differs) cannot train: it builds untrained instead and says so in one line.
 */
export async function buildFromStart(
  data: Record<string, TensorData> | undefined,
  build: (weights?: ModelWeights) => Promise<void>,
  post: PostFn,
): Promise<void> {
  if (data === undefined) return build();
  let weights: ModelWeights | null = null;
  try {
    weights = Object.fromEntries(
      Object.entries(data).map(([key, d]) => [key, toTensor(d, d.shape, `starting weight "${key}"`)]),
    );
    return await build(weights);
  } catch (err) {
    console.warn('training worker: the starting weights do not fit the network', err);
  } finally {
    if (weights !== null) disposeWeights(weights);
  }
  await build();
  post({ type: 'fault', kind: 'crashed', step: 0, restored: null, message: START_WEIGHTS_UNFIT });
}

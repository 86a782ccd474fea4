// Test accuracy of a shipped weights file in tfjs, from its weights alone: the model built from
// the seed spec with those values, batch norm in inference mode (the file's moving averages, no
// re-estimation), the first `limit` test images in order. `npm run assets` states this number
// in public/pretrained/index.json; scripts/assets/pretrained.test.ts recomputes it.
import * as tf from '@tensorflow/tfjs';
import { evalBatches, gatherBatch, makeBatchBuffers } from '../../src/engine/data/batches.ts';
import { buildModel } from '../../src/engine/model.ts';
import type { Dataset, TensorData } from '../../src/engine/types.ts';
import type { NetworkSpec } from '../../src/morphnet/types.ts';

const BATCH = 250;

export async function scoreWeights(
  spec: NetworkSpec,
  weights: Record<string, TensorData>,
  dataset: Dataset,
  limit: number,
): Promise<number> {
  const initial = Object.fromEntries(Object.entries(weights).map(([k, d]) => [k, tf.tensor(d.values, d.shape)]));
  const model = buildModel(spec, 0, { initialWeights: initial });
  tf.dispose(Object.values(initial));
  const buffers = makeBatchBuffers(dataset, BATCH);
  const { height, width, channels } = dataset;
  let correct = 0;
  let total = 0;
  try {
    for (const { indices, valid } of evalBatches(dataset.test.count, BATCH, limit)) {
      gatherBatch(dataset, 'test', indices, buffers);
      const predicted = tf.tidy(() =>
        model.apply(tf.tensor4d(buffers.images, [BATCH, height, width, channels]), false).argMax(1),
      );
      const p = (await predicted.data()) as Int32Array;
      predicted.dispose();
      for (let i = 0; i < valid; i++) if (p[i] === buffers.labels[i]) correct++;
      total += valid;
    }
  } finally {
    model.dispose();
  }
  return correct / total;
}

// WebGL keeps every texture it frees in a pool keyed by shape, forever (tfjs's
// WEBGL_DELETE_TEXTURE_THRESHOLD defaults to -1, "never delete"). An evaluation runs batches of
// EVAL_BATCH, a shape training never uses, so its textures stayed allocated beside training's
// for the rest of the run: `npm run soak` saw the page's GPU bytes go from 29 MB to 487 MB at
// the first test-set evaluation, then stay there. While `run` evaluates, a freed texture is
// deleted instead of pooled once the backend holds more than it did before plus `headroomBytes`,
// which still lets one batch's textures be reused by the next.
import * as tf from '@tensorflow/tfjs';

const FLAG = 'WEBGL_DELETE_TEXTURE_THRESHOLD';
export const EVAL_TEXTURE_HEADROOM = 32 * 2 ** 20;

export async function withTexturePoolCap<T>(
  run: () => Promise<T>,
  headroomBytes = EVAL_TEXTURE_HEADROOM,
): Promise<T> {
  if (tf.getBackend() !== 'webgl') return run();
  const before = tf.env().getNumber(FLAG);
  const allocated = (tf.memory() as { numBytesInGPUAllocated?: number }).numBytesInGPUAllocated ?? 0;
  tf.env().set(FLAG, allocated + headroomBytes);
  try {
    return await run();
  } finally {
    tf.env().set(FLAG, before);
  }
}

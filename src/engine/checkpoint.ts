// Reading a session's variables out as plain data (one packed readback) and back into tensors:
// the two halves of Session.checkpoint() and SessionOptions.resume (types.ts, Checkpoint).
import * as tf from '@tensorflow/tfjs';
import type { Checkpoint, TensorData } from './types.ts';

/**
 * Copies of `tensors` as Float32Arrays, keyed as given. One `await data()` for all of them
 * (BROWSER.md: never dataSync, never one readback per tensor).
 */
export async function readTensors(
  tensors: ReadonlyArray<readonly [string, tf.Tensor]>,
): Promise<Record<string, TensorData>> {
  const out: Record<string, TensorData> = Object.create(null) as Record<string, TensorData>;
  if (tensors.length === 0) return out;
  const packed = tf.tidy(() => tf.concat(tensors.map(([, t]) => t.reshape([-1]))));
  const data = (await packed.data()) as Float32Array;
  packed.dispose();
  let offset = 0;
  for (const [key, t] of tensors) {
    out[key] = { shape: [...t.shape], values: data.slice(offset, offset + t.size) };
    offset += t.size;
  }
  return out;
}

/** A new tensor from `d`, which must have `shape`; `what` names it in the message. */
export function toTensor(d: TensorData | undefined, shape: readonly number[], what: string): tf.Tensor {
  if (d === undefined) throw new Error(`checkpoint: ${what} is missing`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (d.shape.join() !== shape.join() || d.values.length !== size) {
    throw new Error(
      `checkpoint: ${what} has shape [${d.shape.join(', ')}], the network needs [${shape.join(', ')}]`,
    );
  }
  return tf.tensor(d.values, [...shape], 'float32');
}

/** The checks a resume makes before it builds anything. */
export function checkResumable(cp: Checkpoint, settings: { batch: number; seed: number }): void {
  if (!Number.isInteger(cp.step) || cp.step < 0)
    throw new Error(`checkpoint: step must be a non-negative integer, got ${cp.step}`);
  // Batch and seed fix the data order the resumed steps continue; they cannot change mid-run.
  if (cp.settings.batch !== settings.batch || cp.settings.seed !== settings.seed) {
    throw new Error(
      `checkpoint: it was taken with batch ${cp.settings.batch} and seed ${cp.settings.seed}; ` +
        `the session asks for batch ${settings.batch} and seed ${settings.seed}`,
    );
  }
}

// The Node half of `npm run soak`: one long training run on the wasm backend (what the CLI
// uses), sampled between steps, when nothing is in flight: tf.memory(), the wasm heap (wasm
// memory only grows, so a leak there never comes back) and the JS heap after a forced GC.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../../src/engine/backend-node.ts';
import { loadDatasetFromDisk } from '../../src/engine/data/node.ts';
import { createSession } from '../../src/engine/session.ts';
import type { TrainSettings } from '../../src/engine/types.ts';
import { seedSpec } from '../../src/morphnet/seeds.ts';
import type { Sample, SeriesInfo } from './judge.ts';
import type { SoakPart } from './report.ts';

export interface NodeSoakOptions {
  steps: number;
  sampleEvery: number;
  /** Every this many steps the test accuracy is measured too, as `morphnet train` does. */
  evalEvery: number;
  log: (msg: string) => void;
}

export const NODE_SERIES: SeriesInfo[] = [
  { key: 'tensors', label: 'tf.memory() tensors', unit: 'count', bound: { kind: 'flat' } },
  { key: 'bytes', label: 'tf.memory() bytes', unit: 'bytes', bound: { kind: 'flat' } },
  { key: 'wasm', label: 'wasm heap', unit: 'bytes', bound: { kind: 'flat' } },
  { key: 'heap', label: 'JS heap used', unit: 'bytes', bound: { kind: 'within', limit: 20 * 2 ** 20 } },
];

const NET = 'plain-cnn';
const SETTINGS: TrainSettings = {
  target: 'flops',
  strength: 5,
  threshold: 0.01,
  lr: 0.05,
  batch: 16,
  seed: 1,
};
/** The worker and the CLI read back every few steps; the soak does too, so readbacks are soaked. */
const READ_EVERY = 10;
const EVAL_LIMIT = 500;

/** A real GC before each heap reading: without one the heap is mostly garbage not yet collected. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return gc;
}

function wasmHeapBytes(): number {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.buffer.byteLength ?? NaN;
}

export async function runNodeSoak(opts: NodeSoakOptions): Promise<SoakPart> {
  const { log } = opts;
  const dataset = await loadDatasetFromDisk('mnist');
  await initNodeBackend('wasm');
  const gc = collector();
  const session = await createSession({ spec: seedSpec(NET), dataset, settings: SETTINGS });
  const samples: Sample[] = [];
  const t0 = performance.now();
  const sample = (step: number) => {
    gc();
    const mem = tf.memory();
    samples.push({
      step,
      t: (performance.now() - t0) / 1000,
      values: {
        tensors: mem.numTensors,
        bytes: mem.numBytes,
        wasm: wasmHeapBytes(),
        heap: process.memoryUsage().heapUsed,
      },
    });
  };
  let error: string | null = null;
  let step = 0;
  sample(0);
  try {
    while (step < opts.steps) {
      session.trainStep();
      step += 1;
      if (step % READ_EVERY === 0) await session.readMetrics();
      if (step % opts.evalEvery === 0) await session.evaluate(EVAL_LIMIT);
      if (step % opts.sampleEvery === 0) {
        sample(step);
        const s = samples.at(-1) as Sample;
        if (step % (opts.sampleEvery * 10) === 0) {
          log(`node: step ${step}/${opts.steps}, ${s.values['tensors']} tensors, ${s.t.toFixed(0)} s`);
        }
      }
    }
  } catch (err) {
    error = err instanceof Error ? (err.message.split('\n')[0] ?? err.name) : String(err);
    log(`node: stopped at step ${step}: ${error}`);
  }
  const durationS = (performance.now() - t0) / 1000;
  session.dispose();
  return {
    label: 'Node (the command line’s engine)',
    setup: `${NET} on MNIST, batch ${SETTINGS.batch}, wasm backend, FLOPs target at strength ${SETTINGS.strength}, readback every ${READ_EVERY} steps, test accuracy (${EVAL_LIMIT} examples) every ${opts.evalEvery}`,
    steps: opts.steps,
    reached: step,
    // The first evaluation allocates its batch buffers: the warm-up ends after it.
    warmupStep: opts.evalEvery,
    sampling: `every ${opts.sampleEvery} steps, between steps`,
    series: NODE_SERIES,
    samples,
    durationS,
    error,
  };
}

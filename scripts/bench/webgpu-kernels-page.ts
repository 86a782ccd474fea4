// Bundled by webgpu-kernels.ts into a blank page of headless Chromium: tfjs on WebGPU with the
// project's kernels registered, then filter-grad-timing.ts. Benchmark code only.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { registerWebGPUTrainingKernels } from '../../src/engine/webgpu-kernels.ts';
import { timeFilterGrads, type FilterGradRun } from './filter-grad-timing.ts';
import { timeStepStockVsTiled, type StepRun } from './webgpu-step-timing.ts';

export interface PageRun {
  adapter: string;
  run: FilterGradRun;
  /** Null where no step rounds were asked for. */
  step: StepRun | null;
  log: string[];
}

async function bench(opts: {
  batch: number;
  rounds: number;
  reps: number;
  stepRounds: number;
}): Promise<PageRun> {
  if (!registerWebGPUTrainingKernels()) throw new Error('the tiled filter gradient did not register');
  if (!(await tf.setBackend('webgpu'))) throw new Error('no WebGPU adapter in this Chromium');
  const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } })
    .adapterInfo;
  const adapter = [info?.vendor, info?.architecture].filter((x) => x).join(' ') || 'unknown adapter';
  const log: string[] = [];
  // Also on the console, which webgpu-kernels.ts forwards as it comes: a run takes minutes.
  const note = (m: string) => {
    log.push(m);
    console.log(`[bench] ${m}`);
  };
  const run = await timeFilterGrads({ ...opts, log: note });
  const step =
    opts.stepRounds > 0
      ? await timeStepStockVsTiled({
          batch: opts.batch,
          rounds: opts.stepRounds,
          stepsPerRound: 1,
          log: note,
        })
      : null;
  return { adapter, run, step, log };
}

(window as unknown as { __filterGradBench: unknown }).__filterGradBench = bench;

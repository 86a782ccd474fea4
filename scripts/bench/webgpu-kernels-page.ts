// Bundled by webgpu-kernels.ts into a blank page of headless Chromium: tfjs on WebGPU with the
// project's kernels registered, then filter-grad-timing.ts. Benchmark code only.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { registerWebGPUTrainingKernels } from '../../src/engine/webgpu-kernels.ts';
import { timeBatchNorms, type BatchNormRun } from './bn-timing.ts';
import { timeFilterGrads, type FilterGradRun } from './filter-grad-timing.ts';
import { timeStepNeitherVsBoth, timeStepStockVsTiled, type StepRun } from './webgpu-step-timing.ts';

export interface PageRun {
  adapter: string;
  run: FilterGradRun;
  /** Composed batch norm against the WebGPU programs; absent from runs before they existed. */
  bn?: BatchNormRun;
  /** Null where no step rounds were asked for. */
  step: StepRun | null;
  /** The step with neither replacement (`stockMs`) against both (`tiledMs`). */
  bothStep?: StepRun | null;
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
  const bn = await timeBatchNorms({ ...opts, log: note });
  const stepOpts = { batch: opts.batch, rounds: opts.stepRounds, stepsPerRound: 1, log: note };
  const step = opts.stepRounds > 0 ? await timeStepStockVsTiled(stepOpts) : null;
  const bothStep = opts.stepRounds > 0 ? await timeStepNeitherVsBoth(stepOpts) : null;
  return { adapter, run, bn, step, bothStep, log };
}

(window as unknown as { __filterGradBench: unknown }).__filterGradBench = bench;

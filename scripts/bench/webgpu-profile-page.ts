// Bundled by webgpu-profile.ts into a blank page of headless Chromium: one resnet-mini training
// step under tf.profile on WebGPU (timestamp queries on), kernels counted and timed by name.
// Benchmark code only.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { forceComposedBatchNorm } from '../../src/engine/batchnorm-kernels.ts';
import { registerWebGPUTrainingKernels } from '../../src/engine/webgpu-kernels.ts';
import { resnetMiniSession, timeSteps } from './webgpu-step-timing.ts';

export interface KernelRow {
  name: string;
  count: number;
  ms: number;
}

export interface ProfileRun {
  adapter: string;
  timestamps: boolean;
  composedBatchNorm: boolean;
  stepMs: number;
  kernels: number;
  kernelMs: number;
  rows: KernelRow[];
}

async function profile(opts: { batch: number; composed: boolean }): Promise<ProfileRun> {
  registerWebGPUTrainingKernels();
  if (!(await tf.setBackend('webgpu'))) throw new Error('no WebGPU adapter in this Chromium');
  const backend = tf.backend() as unknown as {
    supportTimestampQuery?: boolean;
    adapterInfo?: { architecture?: string };
  };
  forceComposedBatchNorm(opts.composed);
  const session = await resnetMiniSession(opts.batch);
  try {
    await timeSteps(session, 1); // compiles
    const stepMs = await timeSteps(session, 1);
    const info = await tf.profile(() => {
      session.trainStep();
    });
    await session.readMetrics();
    const rows = new Map<string, KernelRow>();
    let kernelMs = 0;
    for (const k of info.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      kernelMs += ms;
      const row = rows.get(k.name) ?? { name: k.name, count: 0, ms: 0 };
      row.count++;
      row.ms += ms;
      rows.set(k.name, row);
    }
    return {
      adapter: backend.adapterInfo?.architecture ?? 'unknown',
      timestamps: backend.supportTimestampQuery === true,
      composedBatchNorm: opts.composed,
      stepMs,
      kernels: info.kernels.length,
      kernelMs,
      rows: [...rows.values()].sort((a, b) => b.ms - a.ms),
    };
  } finally {
    forceComposedBatchNorm(false);
    session.dispose();
  }
}

(window as unknown as { __webgpuProfile: unknown }).__webgpuProfile = profile;

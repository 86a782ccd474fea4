// A whole resnet-mini training step (the engine's: SGD with momentum and the MorphNet term) with
// tfjs's WebGPU filter gradient against the tiled one, alternated round by round in one session:
// run in headless Chromium by webgpu-kernels.ts and in Node through Dawn by gpu/gpu-step.ts.
import { forceStockFilterGrad } from '../../src/engine/webgpu-kernels.ts';
import { createSession } from '../../src/engine/session.ts';
import type { Dataset, Session } from '../../src/engine/types.ts';
import { seedSpec } from '../../src/morphnet/seeds.ts';

export interface StepRun {
  batch: number;
  /** Steps queued per timing, closed by one metrics readback. */
  stepsPerRound: number;
  stockMs: number[];
  tiledMs: number[];
}

/** Random images of MNIST's shape: the step's cost does not depend on the pixels. */
export function syntheticDataset(count: number): Dataset {
  const images = new Uint8Array(count * 28 * 28);
  let s = 12345;
  for (let i = 0; i < images.length; i++) images[i] = (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24;
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  const split = { images, labels, count };
  return {
    name: 'mnist',
    height: 28,
    width: 28,
    channels: 1,
    classes: 10,
    classNames: [...'0123456789'],
    train: split,
    test: split,
  };
}

export async function resnetMiniSession(batch: number): Promise<Session> {
  const settings = { target: 'flops' as const, strength: 5, threshold: 1e-2, lr: 0.05, batch, seed: 1 };
  return createSession({
    spec: seedSpec('resnet-mini'),
    dataset: syntheticDataset(Math.max(1024, batch)),
    settings,
  });
}

/** ms per step of `steps` queued steps closed by one readback (WebGPU only queues a step's work). */
export async function timeSteps(session: Session, steps: number): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < steps; i++) session.trainStep();
  await session.readMetrics();
  return (performance.now() - t) / steps;
}

export async function timeStepStockVsTiled(opts: {
  batch: number;
  rounds: number;
  stepsPerRound: number;
  log?: (msg: string) => void;
}): Promise<StepRun> {
  const session = await resnetMiniSession(opts.batch);
  const run: StepRun = { batch: opts.batch, stepsPerRound: opts.stepsPerRound, stockMs: [], tiledMs: [] };
  try {
    for (const stock of [true, false]) {
      forceStockFilterGrad(stock);
      const ms = await timeSteps(session, 1); // compiles the step's programs
      opts.log?.(`step warm-up with the ${stock ? 'stock' : 'tiled'} filter gradient: ${ms.toFixed(0)} ms`);
    }
    for (let r = 0; r < opts.rounds; r++) {
      for (const stock of r % 2 === 0 ? [true, false] : [false, true]) {
        forceStockFilterGrad(stock);
        (stock ? run.stockMs : run.tiledMs).push(await timeSteps(session, opts.stepsPerRound));
      }
      opts.log?.(
        `step round ${r + 1}: stock ${run.stockMs.at(-1)!.toFixed(0)} ms, tiled ${run.tiledMs.at(-1)!.toFixed(0)} ms`,
      );
    }
  } finally {
    forceStockFilterGrad(false);
    session.dispose();
  }
  return run;
}

// A whole resnet-mini training step (the engine's: SGD with momentum and the MorphNet term) with
// tfjs's WebGPU filter gradient against the tiled one, and with neither of the project's WebGPU
// kernels (stock filter gradient, composed batch norm) against both, alternated round by round in
// one session: run in headless Chromium by webgpu-kernels.ts and through Dawn by gpu/gpu-step.ts.
import { forceComposedBatchNorm } from '../../src/engine/batchnorm-kernels.ts';
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

interface StepOpts {
  batch: number;
  rounds: number;
  stepsPerRound: number;
  log?: (msg: string) => void;
}

/** Steps with `stock(true)` against `stock(false)`, alternated; `stock(false)` is left in place. */
async function timeStepPair(opts: StepOpts, stock: (on: boolean) => void, what: string): Promise<StepRun> {
  const session = await resnetMiniSession(opts.batch);
  const run: StepRun = { batch: opts.batch, stepsPerRound: opts.stepsPerRound, stockMs: [], tiledMs: [] };
  try {
    for (const on of [true, false]) {
      stock(on);
      const ms = await timeSteps(session, 1); // compiles the step's programs
      opts.log?.(`step warm-up, ${what} ${on ? 'stock' : 'replaced'}: ${ms.toFixed(0)} ms`);
    }
    for (let r = 0; r < opts.rounds; r++) {
      for (const on of r % 2 === 0 ? [true, false] : [false, true]) {
        stock(on);
        (on ? run.stockMs : run.tiledMs).push(await timeSteps(session, opts.stepsPerRound));
      }
      opts.log?.(
        `step round ${r + 1}, ${what}: stock ${run.stockMs.at(-1)!.toFixed(0)} ms, replaced ${run.tiledMs.at(-1)!.toFixed(0)} ms`,
      );
    }
  } finally {
    stock(false);
    session.dispose();
  }
  return run;
}

/** Only the filter gradient switched (the batch norm as registered on both sides). */
export function timeStepStockVsTiled(opts: StepOpts): Promise<StepRun> {
  return timeStepPair(opts, forceStockFilterGrad, 'filter gradient');
}

/** tfjs's filter gradient and the composed batch norm (`stockMs`) against both replacements (`tiledMs`). */
export function timeStepNeitherVsBoth(opts: StepOpts): Promise<StepRun> {
  const stock = (on: boolean) => {
    forceStockFilterGrad(on);
    forceComposedBatchNorm(on);
  };
  return timeStepPair(opts, stock, 'filter gradient and batch norm');
}

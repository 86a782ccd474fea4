// The engine's resnet-mini training step on tfjs's WebGPU backend in Node, through Dawn (the
// `webgpu` package's dawn.node), for a machine with a real GPU (issue 10, "A real GPU"), then
// tfjs's own WebGPU filter gradient against the project's tiled one (per conv shape and over a
// whole step, alternated), the composed batch norm against the WebGPU one, and the step with
// neither replacement against both. Built into a self-contained folder by pack.sh; see README.md. Exits 1
// with one line where Dawn finds no hardware adapter.
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { registerWebGPUTrainingKernels } from '../../../src/engine/webgpu-kernels.ts';
import { networkCost } from '../../../src/morphnet/cost.ts';
import { seedSpec } from '../../../src/morphnet/seeds.ts';
import { timeBatchNorms } from '../bn-timing.ts';
import { timeFilterGrads } from '../filter-grad-timing.ts';
import { pairedRatio } from '../report-kernels.ts';
import { median } from '../stats.ts';
import { resnetMiniSession, timeStepNeitherVsBoth, timeStepStockVsTiled } from '../webgpu-step-timing.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** One line on stderr; exit 2 for a bad flag, 1 for everything else (no GPU, tfjs failing). */
function fail(msg: string, code = 1): never {
  console.error(`gpu-step: ${msg}`);
  process.exit(code);
}

/** dawn.node beside the bundle (the packed folder), else $DAWN_NODE, else the local webgpu package's. */
function loadDawn(): { create: (flags: string[]) => GPU; globals: Record<string, unknown> } {
  const require = createRequire(import.meta.url);
  const candidates = [
    process.env['DAWN_NODE'],
    join(here, 'dawn.node'),
    join(here, 'node_modules', 'webgpu', 'dist', `${process.platform}-${process.arch}`, 'dawn.node'),
  ];
  for (const path of candidates) {
    if (path === undefined) continue;
    try {
      return require(path) as ReturnType<typeof loadDawn>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND')
        fail(`cannot load Dawn from ${path}: ${String(err).split('\n')[0]}`);
    }
  }
  fail('no dawn.node found (run pack.sh, or `npm install` in scripts/bench/gpu, or set DAWN_NODE)');
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        batch: { type: 'string', default: '32' },
        rounds: { type: 'string', default: '10' },
        'kernel-rounds': { type: 'string', default: '10' },
        'allow-software': { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    fail(String((err as Error).message).split('\n')[0]!, 2);
  }
  const { values } = parsed;
  const batch = Number(values.batch);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(batch) || batch < 1)
    fail(`--batch must be a positive integer, got "${values.batch}"`, 2);
  if (!Number.isInteger(rounds) || rounds < 1)
    fail(`--rounds must be a positive integer, got "${values.rounds}"`, 2);
  const kernelRounds = Number(values['kernel-rounds']);
  if (!Number.isInteger(kernelRounds) || kernelRounds < 0)
    fail(`--kernel-rounds must be an integer ≥ 0, got "${values['kernel-rounds']}"`, 2);
  const dawn = loadDawn();
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) fail('no WebGPU adapter: Dawn found no GPU (Vulkan) on this machine');
  const info = adapter.info;
  const name =
    [info.vendor, info.architecture, info.device, info.description].filter((x) => x).join(' ') ||
    'unknown adapter';
  const software =
    (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter ||
    /swiftshader|llvmpipe|lavapipe/i.test(name);
  // --allow-software: for checking the script itself on a machine with only a CPU Vulkan (lavapipe).
  if (software && !values['allow-software']) {
    fail(`no hardware GPU: the only adapter is ${name}, a CPU emulation`);
  }
  // Registers 'webgpu' on import, and only where navigator.gpu exists: imported after it is set.
  await import('@tensorflow/tfjs-backend-webgpu');
  // The step the page runs: the project's tiled filter gradient in tfjs's place, its batch norm.
  if (!registerWebGPUTrainingKernels()) fail('the tiled filter gradient did not register');
  if (!(await tf.setBackend('webgpu'))) fail(`tfjs could not start its WebGPU backend on ${name}`);
  await tf.ready();
  const spec = seedSpec('resnet-mini');
  const session = await resnetMiniSession(batch);
  const t0 = performance.now();
  session.trainStep();
  await session.readMetrics();
  const firstMs = performance.now() - t0;
  for (let i = 0; i < 3; i++) session.trainStep();
  await session.readMetrics();
  // WebGPU only queues a step's work: 10 steps, then one readback that waits for all of them.
  const perStep: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    for (let i = 0; i < 10; i++) session.trainStep();
    await session.readMetrics();
    perStep.push((performance.now() - t) / 10);
  }
  session.dispose();
  const sorted = [...perStep].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1]!;
  const gflop = (3 * batch * networkCost(spec).flops) / 1e9;
  console.log(
    `adapter: ${name} (Dawn through the webgpu package, Node ${process.version}, ${os.cpus().length} CPU cores)`,
  );
  console.log(
    `resnet-mini, batch ${batch}, the engine's step (SGD with momentum + the MorphNet term) on tfjs ${tf.version.tfjs} webgpu`,
  );
  console.log(`first step (shader compilation included): ${firstMs.toFixed(0)} ms`);
  console.log(
    `median ${median.toFixed(2)} ms/step over ${rounds} rounds of 10 (${perStep.map((x) => x.toFixed(2)).join(', ')})`,
  );
  console.log(
    `${(1000 / median).toFixed(1)} steps/s, ${(gflop / (median / 1000)).toFixed(1)} GFLOP/s at ${gflop.toFixed(2)} GFLOP a step`,
  );
  if (kernelRounds > 0) await stockAgainstTiled(batch, kernelRounds);
  process.exit(0); // Dawn's instance keeps the event loop alive
}

const ratio = (stock: number[], tiled: number[]) => {
  const r = pairedRatio(stock, tiled);
  return `${r.median.toFixed(2)}x (quartiles ${r.q1.toFixed(2)}-${r.q3.toFixed(2)})`;
};

/** tfjs's WebGPU Conv2DBackpropFilter against the tiled one, per shape and in the whole step, alternated. */
async function stockAgainstTiled(batch: number, rounds: number): Promise<void> {
  console.log(
    `filter gradient, tfjs's stock kernel against the tiled one, ${rounds} alternated rounds (ms per call):`,
  );
  const k = await timeFilterGrads({ batch, rounds, reps: 5 });
  for (const s of k.shapes) {
    console.log(
      `  ${s.layers[0]} x${s.layers.length}: x ${s.x.join('x')}, filter ${s.filter.join('x')}, stride ${s.stride}: ` +
        `stock ${median(s.stockMs).toFixed(3)}, tiled ${median(s.tiledMs).toFixed(3)}, ${ratio(s.stockMs, s.tiledMs)}`,
    );
  }
  console.log(
    `  one step's filter gradients: stock ${median(k.stepStockMs).toFixed(2)} ms, tiled ${median(k.stepTiledMs).toFixed(2)} ms, ` +
      ratio(k.stepStockMs, k.stepTiledMs),
  );
  const step = await timeStepStockVsTiled({ batch, rounds, stepsPerRound: 10 });
  console.log(
    `whole step, only the filter gradient switched: stock ${median(step.stockMs).toFixed(2)} ms/step, ` +
      `tiled ${median(step.tiledMs).toFixed(2)} ms/step, ${ratio(step.stockMs, step.tiledMs)}`,
  );
  console.log(
    `batch norm forward + gradient, composed against the WebGPU kernels, ${rounds} alternated rounds (ms per call):`,
  );
  const bn = await timeBatchNorms({ batch, rounds, reps: 5 });
  for (const s of bn.shapes) {
    console.log(
      `  ${s.layers[0]} x${s.layers.length}: x ${s.x.join('x')}: composed ${median(s.composedMs).toFixed(3)}, ` +
        `fused ${median(s.fusedMs).toFixed(3)}, ${ratio(s.composedMs, s.fusedMs)}`,
    );
  }
  console.log(
    `  one step's batch norms: composed ${median(bn.stepComposedMs).toFixed(2)} ms, fused ${median(bn.stepFusedMs).toFixed(2)} ms, ` +
      ratio(bn.stepComposedMs, bn.stepFusedMs),
  );
  const both = await timeStepNeitherVsBoth({ batch, rounds, stepsPerRound: 10 });
  console.log(
    `whole step, neither replacement against both: neither ${median(both.stockMs).toFixed(2)} ms/step, ` +
      `both ${median(both.tiledMs).toFixed(2)} ms/step, ${ratio(both.stockMs, both.tiledMs)}`,
  );
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message.split('\n')[0]! : String(err)));

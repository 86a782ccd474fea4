// Times training steps of resnet-mini (28×28×1, 10 classes, batch 32) on tfjs's cpu and wasm
// backends in one process and prints the ratio; 'auto' in src/engine/backend-node.ts is the
// faster one.  Run: npx tsx scripts/bench-backends.ts [--steps N] [--cpu-steps N] [--batch B]
//
// Measured 2026-11-22 on the project's 2-core machine, shared (load average ~4), Node 20,
// tfjs 4.22, wasm SIMD on one thread, median of timed steps after one warm-up step
// (`npx tsx scripts/bench-backends.ts --cpu-steps 2`):
//   cpu  181,916 ms/step (2 steps: 181,916, 171,868)
//   wasm     699 ms/step (10 steps: 584-1,035)        → wasm ≈ 260× faster; auto = wasm.
// The cpu backend's Conv2DBackpropFilter alone takes ~10-16 s per 3×3 layer at this size.
import * as tf from '@tensorflow/tfjs';
import { seedSpec } from '../src/morphnet/seeds.ts';
import { initNodeBackend } from '../src/engine/backend-node.ts';
import { makeRng } from '../src/engine/rng.ts';
import { createSession } from '../src/engine/session.ts';
import type { Dataset } from '../src/engine/types.ts';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  return v;
}

/** Random 28×28×1 uint8 images: the step's cost does not depend on the pixels. */
function fakeDataset(count: number): Dataset {
  const rand = makeRng(1);
  const images = Uint8Array.from({ length: count * 784 }, () => Math.floor(rand() * 256));
  const labels = Uint8Array.from({ length: count }, () => Math.floor(rand() * 10));
  const split = { images, labels, count };
  return {
    name: 'mnist',
    height: 28,
    width: 28,
    channels: 1,
    classes: 10,
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    train: split,
    test: split,
  };
}

async function timeSteps(backend: 'cpu' | 'wasm', steps: number, batch: number): Promise<number[]> {
  await initNodeBackend(backend);
  const session = await createSession({
    spec: seedSpec('resnet-mini'),
    dataset: fakeDataset(256),
    settings: { target: 'flops', strength: 1, threshold: 0.01, lr: 0.05, batch, seed: 1 },
  });
  const times: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const t0 = performance.now();
    session.trainStep();
    await session.readMetrics(); // the readback waits for the step to finish
    if (i > 0) times.push(performance.now() - t0); // step 0 warms up kernels and slots
  }
  session.dispose();
  return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const batch = flag('batch', 32);
const wasmSteps = flag('steps', 10);
const cpuSteps = flag('cpu-steps', 3);
const wasm = await timeSteps('wasm', wasmSteps, batch);
const cpu = await timeSteps('cpu', cpuSteps, batch);
const [mw, mc] = [median(wasm), median(cpu)];
console.log(`resnet-mini, 28×28×1, batch ${batch}, tfjs ${tf.version_core}`);
console.log(`cpu : median ${mc.toFixed(0)} ms/step over ${cpu.length} steps (${cpu.map((t) => t.toFixed(0)).join(', ')})`);
console.log(`wasm: median ${mw.toFixed(0)} ms/step over ${wasm.length} steps (${wasm.map((t) => t.toFixed(0)).join(', ')})`);
console.log(`wasm is ${(mc / mw).toFixed(1)}× ${mc > mw ? 'faster' : 'slower'} than cpu → auto = ${mc > mw ? 'wasm' : 'cpu'}`);

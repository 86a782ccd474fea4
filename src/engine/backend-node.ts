// Backend choice for Node (the CLI, the benchmark, the tests). Node only: it finds the wasm
// binaries on disk. The worker picks webgpu/webgl itself.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerBatchNormKernels } from './batchnorm-kernels.ts';
import { registerWasmTrainingKernels } from './wasm-kernels.ts';

export type NodeBackendName = 'cpu' | 'wasm' | 'auto';

/**
 * What 'auto' means. `npm run bench -- --node-only` (resnet-mini, 28×28×1, batch 32, 2 shared
 * cores): cpu 182 s/step, wasm 0.70 s/step with the kernels in wasm-kernels.ts (≈ 260×).
 */
export const AUTO_BACKEND: 'cpu' | 'wasm' = 'wasm';

let wasmPathsSet = false;

function wasmDistDir(): string {
  // The package's "main" is dist/tf-backend-wasm.node.js; the .wasm files lie beside it.
  const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  return path.dirname(main) + path.sep;
}

/** Activates a backend and returns the one in use. Safe to call again to switch. */
export async function initNodeBackend(name: NodeBackendName): Promise<'cpu' | 'wasm'> {
  const choice = name === 'auto' ? AUTO_BACKEND : name;
  if (choice === 'wasm') {
    if (!wasmPathsSet) {
      setWasmPaths(wasmDistDir());
      wasmPathsSet = true;
    }
    registerWasmTrainingKernels();
    registerBatchNormKernels('wasm');
  }
  // The cpu backend nags once to install tfjs-node, a native addon this project deliberately
  // does without (it must run unchanged in a worker); the nag would garble the progress bar.
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu !== null) cpu.firstUse = false;
  const ok = await tf.setBackend(choice);
  if (!ok || tf.getBackend() !== choice) throw new Error(`could not start the tfjs ${choice} backend`);
  return choice;
}

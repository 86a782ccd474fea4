// The wasm backend in the page's worker: tfjs-backend-wasm with the project's training kernels
// (what it lacks for a CNN's backward pass, and the faster filter gradient and batch norm), its
// .wasm binaries served by Vite from the package (nothing fetched from a CDN).
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerBatchNormKernels } from '../engine/batchnorm-kernels.ts';
import { registerWasmTrainingKernels } from '../engine/wasm-kernels.ts';

let prepared = false;

/**
 * Call before the first `tf.setBackend('wasm')`. Threads stay off: tfjs starts its pthread
 * workers from blob: URLs, which the page's Content-Security-Policy (worker-src 'self') refuses,
 * and a refused worker leaves the module hanging instead of failing; SIMD stays on. Tried with
 * blob: allowed and the worker bundle unminified (its pthread workers run the factory's source
 * text, which minified names break): the threaded module then loads, yet XNNPACK's pool still
 * reports one thread whatever setThreadsCount asks (tfjs 4.22, tensorflow/tfjs#8513), so nothing
 * was gained for a looser policy and a bundle three times the size.
 */
export function prepareWasm(): void {
  if (prepared) return;
  prepared = true;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': plainUrl,
    'tfjs-backend-wasm-simd.wasm': simdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': threadedUrl,
  });
  registerWasmTrainingKernels();
  registerBatchNormKernels('wasm');
}

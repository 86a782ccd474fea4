// The browser side of backend selection: tfjs with its WebGPU and wasm backends registered, the adapter,
// and a watch on GPUDevice.lost (tfjs has none; BROWSER.md).
import * as tf from '@tensorflow/tfjs';
// Registers the 'webgpu' backend; @tensorflow/tfjs alone has only cpu and webgl.
import '@tensorflow/tfjs-backend-webgpu';
import type { BackendPreference } from '../protocol/messages.ts';
import { registerWebGPUTrainingKernels } from '../engine/webgpu-kernels.ts';
import { selectBackend } from './backend.ts';
import { browserMeasuring } from './measuring.ts';
import { prepareWasm } from './wasm.ts';
import type { StudioDeps } from './deps.ts';

export const selectBrowserBackend: StudioDeps['selectBackend'] = async (pref: BackendPreference, network) => {
  prepareWasm();
  registerWebGPUTrainingKernels(); // before `auto` times each backend, so WebGPU is timed with it
  const choice = await selectBackend(
    pref,
    {
      gpu: typeof navigator !== 'undefined' ? navigator.gpu : undefined,
      setBackend: (name) => tf.setBackend(name),
      getBackend: () => tf.getBackend(),
    },
    network ? browserMeasuring(network) : undefined,
  );
  await tf.ready();
  if (choice.backend !== 'webgpu') return choice;
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  const lost = device?.lost.then((info) => {
    // The browser's own words are for developers; the page says what it means.
    console.warn('training worker: GPU device lost', info.reason, info.message);
    return info.reason === 'destroyed'
      ? 'The GPU device was lost (it was destroyed).'
      : 'The GPU device was lost (the browser or the graphics driver reset it).';
  });
  return lost ? { ...choice, lost } : choice;
};

/** Test hook (the `debug` request): destroys the WebGPU device, as a driver reset would lose it. */
export function loseDevice(): boolean {
  if (tf.getBackend() !== 'webgpu') return false;
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  if (!device) return false;
  device.destroy();
  return true;
}

// The browser side of ./device.ts: the probes on the worker's tfjs backend, and measurements
// kept in the same IndexedDB store as the backend choice (./measuring.ts), keyed by the backend
// and what it runs on: the WebGPU adapter, the WebGL renderer, or for wasm and cpu this browser
// on this many cores.
import * as tf from '@tensorflow/tfjs';
import { measureDevice } from '../engine/device-probe.ts';
import type { DeviceMeasurement } from '../engine/device-probe.ts';
import { timeInference } from '../engine/inference-time.ts';
import type { DeviceDeps } from './device.ts';
import { choiceStore, webglRenderer } from './measuring.ts';

/** Bumped when the probe changes what it measures: older measurements are not reused. */
const PROBE_VERSION = 'device-v1';

function deviceKey(): string {
  const backend = tf.getBackend();
  let on: string;
  if (backend === 'webgpu') {
    // tfjs keeps the adapter's info on its backend (fields private in its types).
    const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } })
      .adapterInfo;
    on = `${info?.vendor ?? ''}/${info?.architecture ?? ''}`;
  } else if (backend === 'webgl') {
    on = webglRenderer() ?? 'unknown renderer';
  } else {
    on = `${navigator.hardwareConcurrency} cores/${navigator.userAgent}`;
  }
  return [PROBE_VERSION, backend, on].join('|');
}

export const browserDevice: DeviceDeps = {
  measure: (onProgress) => measureDevice(onProgress),
  timeInference: (spec, alive, batch) => timeInference(spec, alive, batch),
  cache: {
    key: deviceKey,
    cached: async (key) => ((await (await choiceStore()).get('choices', key)) as DeviceMeasurement | undefined) ?? null,
    keep: async (key, m) => void (await (await choiceStore()).put('choices', m, key)),
  },
};

// The browser side of 'auto' by measuring (backend.ts): the WebGL renderer's name, a few timed
// training steps of the network about to train (engine/probe.ts), and the choice kept in
// IndexedDB per device and network size, so a reload does not measure again.
import { openDB } from 'idb';
import { probeTrainingStep } from '../engine/probe.ts';
import { networkCost } from '../morphnet/cost.ts';
import type { AdapterDescription } from '../protocol/messages.ts';
import type { MeasuredChoice, Measuring } from './backend.ts';
import type { ProbeNetwork } from './deps.ts';

/** Steps timed per backend after one warm-up; a warm-up over the budget ends that backend's turn. */
export const PROBE = { steps: 3, warmup: 1, budgetMs: 30_000 } as const;

export function webglRenderer(): string | null {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return null;
  }
}

/** The backend choices kept per device and network size; also this device's measurements (device-browser.ts). */
export const choiceStore = () =>
  openDB('morphnet-backend-choice', 1, { upgrade: (db) => void db.createObjectStore('choices') });

export function browserMeasuring(network: ProbeNetwork): Measuring {
  // Networks within a factor of two of each other in FLOPs share a choice.
  const size = Math.round(Math.log2(Math.max(1, networkCost(network.spec).flops * network.batch)));
  return {
    webglRenderer,
    stepMs: async () => (await probeTrainingStep(network.spec, { batch: network.batch, ...PROBE })).stepMs,
    cacheKey: (adapter: AdapterDescription | null, renderer: string | null) =>
      [
        adapter ? `${adapter.vendor}/${adapter.architecture}/${adapter.description}` : 'no-webgpu',
        renderer ?? 'no-webgl',
        `2^${size}`,
      ].join('|'),
    cached: async (key) =>
      ((await (await choiceStore()).get('choices', key)) as MeasuredChoice | undefined) ?? null,
    keep: async (key, choice) => void (await (await choiceStore()).put('choices', choice, key)),
  };
}

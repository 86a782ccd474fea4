// The latency target's two requests on the worker's side (issue 13): measure the device the
// worker trains on (engine/device-probe.ts), kept per adapter and backend so a reload does not
// measure again, and time real inference of the network training now at its alive widths
// (engine/inference-time.ts). What tfjs and IndexedDB do comes in through `DeviceDeps`, so the
// handler's part runs in Node (device.test.ts); `device-browser.ts` is the browser's.
import type { DeviceMeasurement } from '../engine/device-probe.ts';
import type { InferenceTime } from '../engine/inference-time.ts';
import type { Metrics, Session } from '../engine/types.ts';
import type { AliveCounts, NetworkSpec } from '../morphnet/types.ts';
import type { PostFn } from '../protocol/messages.ts';
import { errorMessage } from './resources.ts';

export interface DeviceDeps {
  measure(onProgress: (fraction: number) => void): Promise<DeviceMeasurement>;
  timeInference(spec: NetworkSpec, alive: AliveCounts | undefined, batch: number): Promise<InferenceTime>;
  /** Where measurements are kept, by this adapter and backend (`key`); absent: measured every time. */
  cache?: {
    key(): string;
    cached(key: string): Promise<DeviceMeasurement | null>;
    keep(key: string, m: DeviceMeasurement): Promise<void>;
  };
}

export const MEASURING_LABEL = 'Measuring this device (compute, memory bandwidth, dispatch)';
export const TIMING_LABEL = 'Timing inference of the network on this device';
export const NO_DEVICE_DEPS = 'This worker cannot measure the device it runs on.';
export const NO_NETWORK_TO_TIME = 'No network is ready to time yet.';

const positive = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;

/** A kept measurement is read back from storage: only a whole, sensible one is used. */
export function usableMeasurement(m: unknown): m is DeviceMeasurement {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  return (
    typeof r.backend === 'string' &&
    positive(r.peakGflops) &&
    positive(r.bandwidthGbs) &&
    typeof r.opOverheadNs === 'number' &&
    Number.isFinite(r.opOverheadNs) &&
    r.opOverheadNs >= 0 &&
    positive(r.measuredAt)
  );
}

function progress(post: PostFn, label: string, fraction: number | null, done = false) {
  post({ type: 'progress', task: 'measure', label, fraction, done });
}

/**
 * The `measure-device` request: the kept measurement of this adapter and backend unless `fresh`,
 * otherwise a new one (with progress), kept for next time. A failure is one plain line of kind
 * `request`: training goes on.
 */
export async function measureDeviceRequest(deps: DeviceDeps | undefined, fresh: boolean, post: PostFn): Promise<void> {
  if (!deps) {
    post({ type: 'error', kind: 'request', message: NO_DEVICE_DEPS });
    return;
  }
  const cache = deps.cache;
  const key = cache?.key() ?? null;
  if (cache && key !== null && !fresh) {
    const kept = await cache.cached(key).catch(() => null);
    if (usableMeasurement(kept)) {
      post({ type: 'device', measurement: kept, cached: true });
      return;
    }
  }
  progress(post, MEASURING_LABEL, 0);
  try {
    const m = await deps.measure((f) => progress(post, MEASURING_LABEL, f));
    if (cache && key !== null) await cache.keep(key, m).catch(() => undefined);
    post({ type: 'device', measurement: m, cached: false });
  } catch (err) {
    post({ type: 'error', kind: 'request', message: `The device could not be measured: ${errorMessage(err)}` });
  } finally {
    progress(post, '', 1, true);
  }
}

/**
 * The `time-inference` request: the network training now, at the alive counts of its last
 * readback, timed on this device with batch `batch`. The event carries what was timed, so the
 * page prices the same network.
 */
export async function timeInferenceRequest(
  deps: DeviceDeps | undefined,
  session: Session | null,
  metrics: Metrics | null,
  batch: number,
  post: PostFn,
): Promise<void> {
  if (!deps || !session) {
    post({ type: 'error', kind: 'request', message: deps ? NO_NETWORK_TO_TIME : NO_DEVICE_DEPS });
    return;
  }
  const alive = metrics?.alive;
  progress(post, TIMING_LABEL, null);
  try {
    const t = await deps.timeInference(session.spec, alive, batch);
    post({
      type: 'inference-time',
      step: session.step,
      spec: session.spec,
      alive: { ...(alive ?? {}) },
      batch,
      medianMs: t.medianMs,
      ...(t.fastestMs === undefined ? {} : { fastestMs: t.fastestMs }),
      runs: t.runs,
    });
  } catch (err) {
    post({ type: 'error', kind: 'request', message: `Inference could not be timed: ${errorMessage(err)}` });
  } finally {
    progress(post, '', 1, true);
  }
}

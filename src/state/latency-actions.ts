// What the latency controls do (issue 13): choose the device the latency target prices for and
// its batch, measure this device (the worker keeps the measurement per adapter and backend), and
// time real inference of the network at its alive widths. The target switches live: the worker
// gets `target` and `latency` in one settings patch, and with "this device" not measured yet the
// patch waits for the measurement (training keeps its old target until then).
import { SETTING_LIMITS } from '../morphnet/limits.ts';
import type { Target } from '../morphnet/types.ts';
import type { LiveSettings, WorkerEvent } from '../protocol/messages.ts';
import { flushEvents, sendRequest } from './actions.ts';
import { latencySettings, type CustomHardware, type PriceFor } from './latency.ts';
import { useStudio } from './store.ts';

/** Images per priced forward pass: the reference's batch_size, the CLI's range too. */
export const LATENCY_BATCH_MAX = SETTING_LIMITS.latencyBatch.max;

/** What the latency target needs measured first: this device, while it is not. */
function needsDevice(): boolean {
  const s = useStudio.getState();
  return s.latency.priceFor === 'device' && s.device === null && s.settings.target === 'latency';
}

/**
 * Asks the worker to measure this device (its kept measurement unless `fresh`). Before the worker
 * has chosen its backend the request waits for the `backend` event: it would measure another one.
 */
export function measureDevice(fresh = false): void {
  useStudio.setState({ measuringDevice: true });
  if (useStudio.getState().backend !== null) sendRequest({ type: 'measure-device', ...(fresh ? { fresh: true } : {}) });
}

/**
 * The target and latency a worker is built with (runConfig): the latency settings whenever the
 * device is known (metrics then carry the predicted latency under any target); target 'latency'
 * before this device is measured trains on FLOPs until the measurement arrives.
 */
export function configTarget(): Pick<LiveSettings, 'target' | 'latency'> {
  const s = useStudio.getState();
  const latency = latencySettings(s);
  const target: Target = s.settings.target === 'latency' && latency === null ? 'flops' : s.settings.target;
  return latency ? { target, latency } : { target };
}

/** Sends the target and the latency settings as they stand now, or asks for the measurement they wait on. */
export function sendTargetAndLatency(): void {
  const s = useStudio.getState();
  const latency = latencySettings(s);
  if (s.settings.target === 'latency' && latency === null) {
    if (!s.measuringDevice) measureDevice();
    return;
  }
  const patch: Partial<LiveSettings> = { target: s.settings.target, ...(latency ? { latency } : {}) };
  sendRequest({ type: 'settings', patch });
}

/**
 * Worker events the latency state acts on (actions.ts calls this for each): a measurement lets a
 * waiting target switch; a new backend is another device, measured again when the target needs it.
 */
export function latencyEvent(e: WorkerEvent): void {
  if (e.type === 'device') {
    flushEvents();
    if (latencySettings(useStudio.getState()) !== null) sendTargetAndLatency();
  } else if (e.type === 'backend') {
    flushEvents();
    const s = useStudio.getState();
    if (s.device !== null && s.device.backend !== e.backend) useStudio.setState({ device: null, deviceCached: false });
    // A request that waited for the backend, one a dead worker never answered, or a new device.
    if (useStudio.getState().measuringDevice || needsDevice()) measureDevice();
  }
}

function setChoice(patch: Partial<ReturnType<typeof useStudio.getState>['latency']>): void {
  useStudio.setState((s) => ({ latency: { ...s.latency, ...patch } }));
  sendTargetAndLatency();
}

export function setPriceFor(priceFor: PriceFor): void {
  setChoice({ priceFor });
  if (priceFor === 'device' && useStudio.getState().device === null && !useStudio.getState().measuringDevice) {
    measureDevice();
  }
}

/** Numbers typed in, already checked positive and finite (ui/latency shows the message otherwise). */
export function setCustomHardware(custom: CustomHardware): void {
  if (!(custom.peakGflops > 0 && custom.bandwidthGbs > 0 && Number.isFinite(custom.peakGflops + custom.bandwidthGbs)))
    return;
  setChoice({ custom: { ...custom } });
}

export function setLatencyBatch(batch: number): void {
  if (!Number.isInteger(batch) || batch < 1 || batch > LATENCY_BATCH_MAX) return;
  setChoice({ batch });
}

/**
 * "Predicted against measured": times a forward pass of the network training now, at its alive
 * widths and the latency batch, on this device (measured first if it is not yet, so the
 * prediction for this device can stand beside it).
 */
export function timeInferenceNow(): void {
  const s = useStudio.getState();
  if (!s.ready) return;
  if (s.device === null && !s.measuringDevice) measureDevice();
  useStudio.setState({ timingInference: true });
  sendRequest({ type: 'time-inference', batch: s.latency.batch });
}

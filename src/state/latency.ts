// The latency target's part of the store (issue 13): which device the target prices for (this
// device as the worker measured it, one of the reference's six chips, or numbers typed in), the
// latency batch, this device's measurement and the last timed inference. Data and pure
// functions only; what changes it is in ./latency-actions.ts and ./events.ts.
import type { DeviceMeasurement } from '../engine/device-probe.ts';
import { DEFAULT_LATENCY_BATCH, networkLatency, REFERENCE_HARDWARE, referenceHardware } from '../morphnet/latency.ts';
import type { Hardware, LatencySettings } from '../morphnet/types.ts';
import type { AdapterDescription, InferenceTimeEvent } from '../protocol/messages.ts';

/** 'device': this device, measured; 'custom': the numbers typed in; otherwise a reference chip's name. */
export type PriceFor = 'device' | 'custom' | string;

export interface CustomHardware {
  peakGflops: number;
  bandwidthGbs: number;
}

export interface LatencyChoice {
  priceFor: PriceFor;
  /** The last valid numbers typed in (used when `priceFor` is 'custom'). */
  custom: CustomHardware;
  /** The reference's batch_size: images per forward pass the latency is priced at. */
  batch: number;
}

export interface LatencySlice {
  latency: LatencyChoice;
  /** This device as the worker measured it (kept per adapter and backend), or null. */
  device: DeviceMeasurement | null;
  /** The measurement came from an earlier visit. */
  deviceCached: boolean;
  /** A measurement was asked for and has not come back. */
  measuringDevice: boolean;
  /** The last timed inference: the network, its alive counts, the batch and the median ms. */
  inference: InferenceTimeEvent | null;
  timingInference: boolean;
}

/** Until a person types their own: the T4's numbers, a common inference chip. */
const DEFAULT_CUSTOM: CustomHardware = { peakGflops: 8100, bandwidthGbs: 300 };

export const initialLatency: LatencySlice = {
  latency: { priceFor: 'device', custom: DEFAULT_CUSTOM, batch: DEFAULT_LATENCY_BATCH },
  device: null,
  deviceCached: false,
  measuringDevice: false,
  inference: null,
  timingInference: false,
};

/** The reference's chips by name, in its order. */
export const CHIP_NAMES: readonly string[] = REFERENCE_HARDWARE.map((h) => h.name);

/** The device the latency target prices for now, or null while this device is not measured yet. */
export function latencyHardware(s: Pick<LatencySlice, 'latency' | 'device'>): Hardware | null {
  const { priceFor, custom } = s.latency;
  if (priceFor === 'device') {
    if (!s.device) return null;
    const { peakGflops, bandwidthGbs, opOverheadNs } = s.device;
    return { name: 'this device', peakGflops, bandwidthGbs, opOverheadNs };
  }
  if (priceFor === 'custom') return { name: 'custom', ...custom };
  return referenceHardware(priceFor) ?? null;
}

export function latencySettings(s: Pick<LatencySlice, 'latency' | 'device'>): LatencySettings | null {
  const hardware = latencyHardware(s);
  return hardware ? { hardware, batch: s.latency.batch } : null;
}

/** Why a typed-in number cannot price a device, or null when it can. */
export function hardwareNumberProblem(raw: string, what: string): string | null {
  const n = raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? null : `${what} must be a positive number, got "${raw.trim()}".`;
}

/** "2,310" for large rates, "0.89" for small ones: three significant figures at most. */
export function formatRate(x: number): string {
  if (x >= 100) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(x >= 1 ? 3 : 2)).toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** "12 s", "4 min", "3 h", "2 days". */
export function formatAgo(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86_400) return `${Math.round(s / 3600)} h`;
  const d = Math.round(s / 86_400);
  return `${d} day${d === 1 ? '' : 's'}`;
}

/** What this device is, in plain words: a GPU, a GPU emulated on the CPU (SwiftShader), or the CPU. */
export function deviceNoun(backend: string, adapter: AdapterDescription | null): string {
  if (backend === 'webgpu') return adapter?.isFallback ? 'this GPU (emulated on the CPU)' : 'this GPU';
  if (backend === 'webgl') return 'this GPU (WebGL)';
  if (backend === 'wasm') return 'this CPU (wasm)';
  return 'this CPU (plain JavaScript)';
}

/** "this GPU: 2,310 GFLOP/s, 184 GB/s, 12 µs an op, measured 12 s ago" */
export function describeDevice(m: DeviceMeasurement, adapter: AdapterDescription | null, now: number): string {
  const us = m.opOverheadNs / 1000;
  const op = us >= 1 ? `${formatRate(us)} µs` : `${formatRate(m.opOverheadNs)} ns`;
  return (
    `${deviceNoun(m.backend, adapter)}: ${formatRate(m.peakGflops)} GFLOP/s, ${formatRate(m.bandwidthGbs)} GB/s, ` +
    `${op} an op, measured ${formatAgo(now - m.measuredAt)} ago`
  );
}

/** A latency in plain units: "850 ns", "12.3 µs", "4.56 ms", "1.2 s" (three significant figures). */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  const [v, unit] =
    ns < 1e3 ? [ns, 'ns'] : ns < 1e6 ? [ns / 1e3, 'µs'] : ns < 1e9 ? [ns / 1e6, 'ms'] : [ns / 1e9, 's'];
  return `${Number(v.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 2 })} ${unit}`;
}

/** Where the latency is priced, for labels: "this device", "T4", "your numbers". */
export function hardwareLabel(priceFor: PriceFor): string {
  return priceFor === 'device' ? 'this device' : priceFor === 'custom' ? 'your numbers' : priceFor;
}

export interface PredictedMeasured {
  measuredMs: number;
  /** The reference's pure roofline on this device: Σ max(compute, memory). */
  rooflineMs: number;
  /** The same plus this device's measured dispatch cost for every priced op. */
  dispatchMs: number;
}

/**
 * The timed network priced on this device as measured, beside the time measured: the network,
 * alive counts and batch are the ones the worker timed (the event carries them).
 */
export function predictedVsMeasured(inference: InferenceTimeEvent, device: DeviceMeasurement): PredictedMeasured {
  const { peakGflops, bandwidthGbs, opOverheadNs } = device;
  const price = (overhead: number) =>
    networkLatency(inference.spec, inference.alive, {
      hardware: { name: 'this device', peakGflops, bandwidthGbs, opOverheadNs: overhead },
      batch: inference.batch,
    }).latencyNs / 1e6;
  return { measuredMs: inference.medianMs, rooflineMs: price(0), dispatchMs: price(opOverheadNs) };
}

/** "0.59×", "1.0×", "19×", "1,200×" */
export const formatTimes = (x: number) => `${x >= 10 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(2)}×`;

/** What the numbers say about the model, in plain words. */
export function latencyVerdict(n: PredictedMeasured, fastestMs: number | undefined): string {
  const roof = n.measuredMs / n.rooflineMs;
  const disp = n.measuredMs / n.dispatchMs;
  const head = `Measured is ${formatTimes(roof)} the roofline's prediction and ${formatTimes(disp)} the prediction with the dispatch cost.`;
  // A median far above the fastest pass is the machine's other work, not the network's.
  if (fastestMs !== undefined && n.measuredMs > 2 * fastestMs)
    return `${head} The passes varied widely (the fastest was ${formatTimes(fastestMs / n.rooflineMs)} the roofline's): this machine is busy, and its waits are in the median.`;
  if (roof > 2 && Math.abs(Math.log(disp)) < Math.abs(Math.log(roof)))
    return `${head} The roofline alone underestimates here: a small network's kernels wait on dispatch, not on compute or memory.`;
  if (roof < 0.5) return `${head} The device ran faster than its measured peaks suggest (they are best-case rates of single ops).`;
  return head;
}


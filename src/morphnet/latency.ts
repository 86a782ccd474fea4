// The latency target (issue 13): the reference's roofline per op (latency-ops.ts), the devices it
// knows, and the network's predicted latency per spec layer.
import { groupAliveFromCounts, toPlan } from './cost.ts';
import { latencyOfOps, planOps } from './latency-ops.ts';
import type { NetworkLatency } from './latency-ops.ts';
import type { AliveCounts, Hardware, LatencySettings, NetworkSpec, RegularizerPlan } from './types.ts';

export type { LayerLatency, NetworkLatency, OpLatency } from './latency-ops.ts';
export { latencyGroupWeights, opLatency, opRegularizer, planOps } from './latency-ops.ts';

/** The reference's PEAK_COMPUTE (GFLOP/s) and MEMORY_BANDWIDTH (GB/s) table, in its order. */
export const REFERENCE_HARDWARE: readonly Hardware[] = Object.freeze([
  { name: 'K80', peakGflops: 8740, bandwidthGbs: 480 },
  { name: 'P4', peakGflops: 5500, bandwidthGbs: 192 },
  { name: 'T4', peakGflops: 8100, bandwidthGbs: 300 },
  { name: 'P100', peakGflops: 9300, bandwidthGbs: 732 },
  { name: 'V100', peakGflops: 125000, bandwidthGbs: 900 },
  { name: 'TPUv2', peakGflops: 22500, bandwidthGbs: 300 },
].map((h) => Object.freeze(h)));

/** One of the six chips by its exact name (as the reference's dict keys: 'K80', 'TPUv2'), or undefined. */
export function referenceHardware(name: string): Hardware | undefined {
  const h = REFERENCE_HARDWARE.find((x) => x.name === name);
  return h === undefined ? undefined : { ...h };
}

/** The reference's `batch_size` default. */
export const DEFAULT_LATENCY_BATCH = 1;

/**
 * Why these latency settings cannot price anything, in one line for a person, or null when they
 * can: peak and bandwidth finite and positive, overhead finite and ≥ 0, batch a positive integer.
 */
export function latencyProblem(latency: LatencySettings): string | null {
  // Settings cross a postMessage or a file: a missing device is named, not a TypeError.
  const hardware = (latency as Partial<LatencySettings> | null)?.hardware;
  if (typeof hardware !== 'object' || hardware === null) return 'the device to price for is missing';
  const { batch } = latency;
  const positive = (x: number) => typeof x === 'number' && Number.isFinite(x) && x > 0;
  if (!positive(hardware.peakGflops))
    return `the peak compute must be a positive number of GFLOP/s, got ${String(hardware.peakGflops)}`;
  if (!positive(hardware.bandwidthGbs))
    return `the memory bandwidth must be a positive number of GB/s, got ${String(hardware.bandwidthGbs)}`;
  const o = hardware.opOverheadNs ?? 0;
  if (typeof o !== 'number' || !Number.isFinite(o) || o < 0)
    return `the per-op overhead must be a number of nanoseconds ≥ 0, got ${String(o)}`;
  if (!Number.isInteger(batch) || batch < 1) return `the latency batch must be a positive integer, got ${String(batch)}`;
  return null;
}

/**
 * Predicted latency in ns per spec layer (a conv with its batch norm and ReLU, an add with its
 * ReLU, a concat, a dense with its ReLU; maxpool and gap are not priced) and in total, with every
 * channel alive or at the given alive counts (static channels always alive, pinned groups full).
 */
export function networkLatency(
  x: NetworkSpec | RegularizerPlan,
  alive: AliveCounts | undefined,
  latency: LatencySettings,
): NetworkLatency {
  const plan = toPlan(x);
  return latencyOfOps(planOps(plan), groupAliveFromCounts(plan, alive), latency);
}

// A run's latency (issue 13): the device a latency-targeted run priced for and its latency batch,
// kept in the record, and the predicted latency at the run's alive counts on that device. The
// run-file validator's check of the field is here too, so the format's rule sits in one place.
import { networkLatency } from '../../morphnet/latency.ts';
import { SETTING_LIMITS } from '../../morphnet/limits.ts';
import type { AliveCounts, LatencySettings, NetworkSpec } from '../../morphnet/types.ts';
import { formatRate } from '../latency.ts';
import type { Checker } from './checker.ts';

/** A hardware name is display text ('T4', 'this device', 'custom'): short. */
export const MAX_HARDWARE_NAME_CHARS = 40;
/** The latency batch range the page and the CLI both hold to: a run cannot have priced more. */
export const MAX_LATENCY_BATCH = SETTING_LIMITS.latencyBatch.max;

/** "T4 (8,100 GFLOP/s, 300 GB/s)"; "this device (31.6 GFLOP/s, 18 GB/s, 12 µs an op)". */
export function hardwareName(l: LatencySettings): string {
  const h = l.hardware;
  const overhead = h.opOverheadNs ? `, ${formatRate(h.opOverheadNs / 1000)} µs an op` : '';
  return `${h.name} (${formatRate(h.peakGflops)} GFLOP/s, ${formatRate(h.bandwidthGbs)} GB/s${overhead})`;
}

/** The predicted latency in ns of `spec` at `alive` on the run's device, or null without one. */
export function predictedLatencyNs(r: {
  spec: NetworkSpec;
  alive: AliveCounts;
  latency?: LatencySettings | undefined;
}): number | null {
  return r.latency ? networkLatency(r.spec, r.alive, r.latency).latencyNs : null;
}

/** The record's latency settings as read from a file: every number positive and finite. */
export function checkLatency(c: Checker, v: unknown, field: string): LatencySettings {
  const o = c.fields(v, field, ['hardware', 'batch'], 'the latency settings');
  for (const k of ['hardware', 'batch']) if (!Object.hasOwn(o, k)) c.fail(`${field}.${k}`, 'is missing');
  const h = c.fields(
    o['hardware'],
    `${field}.hardware`,
    ['name', 'peakGflops', 'bandwidthGbs', 'opOverheadNs'],
    'a device',
  );
  for (const k of ['name', 'peakGflops', 'bandwidthGbs'])
    if (!Object.hasOwn(h, k)) c.fail(`${field}.hardware.${k}`, 'is missing');
  c.str(h['name'], `${field}.hardware.name`, MAX_HARDWARE_NAME_CHARS, true);
  c.positive(h['peakGflops'], `${field}.hardware.peakGflops`);
  c.positive(h['bandwidthGbs'], `${field}.hardware.bandwidthGbs`);
  if (h['opOverheadNs'] !== undefined) c.nonNegative(h['opOverheadNs'], `${field}.hardware.opOverheadNs`);
  const batch = c.count(o['batch'], `${field}.batch`);
  if (batch < 1 || batch > MAX_LATENCY_BATCH)
    c.fail(`${field}.batch`, `must be a whole number from 1 to ${MAX_LATENCY_BATCH}, got ${batch}`);
  return o as unknown as LatencySettings;
}

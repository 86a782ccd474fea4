// The latency parts of a sweep file (issue 13): `settings.latency` (the device a latency sweep
// priced for, as `morphnet sweep --hardware …` writes it) and the predicted `latencyNs` of the
// seed, each point and each learned structure. Each is checked against the method's own
// networkLatency on that device, as FLOPs and parameters are against the cost model, so a file
// cannot put a point anywhere on a latency axis it likes.
import { SETTING_LIMITS as L } from './limits.ts';
import { networkLatency } from './latency.ts';
import type { Reader } from './sweep-reader.ts';
import type { AliveCounts, LatencySettings, NetworkSpec } from './types.ts';

/** A device name is display text ('T4', 'this device', 'custom'). */
const MAX_HARDWARE_NAME_CHARS = 40;

/** `settings.latency`: a device with positive rates, an overhead ≥ 0, a batch in the page's range. */
export function readLatencySettings(r: Reader, v: unknown, field: string): LatencySettings {
  const s = r.record(v, field);
  const h = r.record(s['hardware'], `${field}.hardware`);
  const f = (k: string) => `${field}.hardware.${k}`;
  const hardware: LatencySettings['hardware'] = {
    name: r.string(h['name'], f('name'), MAX_HARDWARE_NAME_CHARS),
    peakGflops: r.number(h['peakGflops'], f('peakGflops'), Number.MIN_VALUE),
    bandwidthGbs: r.number(h['bandwidthGbs'], f('bandwidthGbs'), Number.MIN_VALUE),
  };
  if (h['opOverheadNs'] !== undefined) hardware.opOverheadNs = r.number(h['opOverheadNs'], f('opOverheadNs'), 0);
  const batch = r.number(s['batch'], `${field}.batch`, L.latencyBatch.min, L.latencyBatch.max, true);
  return { hardware, batch };
}

/**
 * A `latencyNs` field, if the file has one: only with a device to check it against, and equal
 * to the method's prediction for `spec` (at `alive`, when given) on that device.
 */
export function readLatencyNs(
  r: Reader,
  v: unknown,
  field: string,
  latency: LatencySettings | undefined,
  spec: NetworkSpec,
  alive: AliveCounts | undefined,
  of: string,
): number | undefined {
  if (v === undefined) return undefined;
  if (latency === undefined) r.fail(field, 'is given, but settings.latency names no device it was priced on');
  const expected = networkLatency(spec, alive, latency).latencyNs;
  const n = r.number(v, field, 0);
  // A sum of per-op quotients: the writer's and this page's float order can differ in the last bits.
  if (Math.abs(n - expected) > Math.max(1e-6, expected * 1e-9))
    r.fail(field, `is ${n} ns, but the network in ${of} takes ${expected} ns on ${latency.hardware.name}`);
  return n;
}

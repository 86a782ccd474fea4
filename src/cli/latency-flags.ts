// The device flags every command that prices latency shares (cost, expand, train, sweep):
// `--hardware NAME` (the reference's six chips) or `--peak-gflops X --bandwidth-gbs Y` (one's
// own), and `--latency-batch B`. One parser, so the four commands word every refusal alike.
import { DEFAULT_LATENCY_BATCH, REFERENCE_HARDWARE } from '../morphnet/latency.ts';
import { SETTING_LIMITS } from '../morphnet/limits.ts';
import type { Hardware, LatencySettings, Target } from '../morphnet/types.ts';
import { UsageError } from './errors.ts';
import { integer, positiveNumber } from './numbers.ts';

/** Spread into a command's parseArgs options. */
export const LATENCY_OPTIONS = {
  hardware: { type: 'string' },
  'peak-gflops': { type: 'string' },
  'bandwidth-gbs': { type: 'string' },
  'latency-batch': { type: 'string' },
} as const;

export interface LatencyFlags {
  hardware?: string | undefined;
  'peak-gflops'?: string | undefined;
  'bandwidth-gbs'?: string | undefined;
  'latency-batch'?: string | undefined;
}

const CHIPS = REFERENCE_HARDWARE.map((h) => h.name);
/** "K80, P4, T4, P100, V100 or TPUv2" */
export const CHIP_LIST = `${CHIPS.slice(0, -1).join(', ')} or ${CHIPS.at(-1) ?? ''}`;
const DEVICE = `--hardware ${CHIPS.join('|')}, or --peak-gflops X with --bandwidth-gbs Y`;

/** A reference chip by name, any case ("v100" is V100); the name as the reference spells it. */
function chip(command: string, text: string): Hardware {
  const found = REFERENCE_HARDWARE.find((h) => h.name.toLowerCase() === text.toLowerCase());
  if (found === undefined) throw new UsageError(`${command}: --hardware must be ${CHIP_LIST}, got ${JSON.stringify(text)}`);
  return { name: found.name, peakGflops: found.peakGflops, bandwidthGbs: found.bandwidthGbs };
}

/**
 * The device and latency batch the flags name, or undefined when none is given. `target`
 * 'latency' needs a device; a batch alone, or half of a custom device, is refused by name.
 */
export function parseLatency(command: string, v: LatencyFlags, target: Target | undefined): LatencySettings | undefined {
  const peak = v['peak-gflops'];
  const bandwidth = v['bandwidth-gbs'];
  if (v.hardware !== undefined && (peak !== undefined || bandwidth !== undefined)) {
    throw new UsageError(`${command}: give --hardware or --peak-gflops with --bandwidth-gbs, not both`);
  }
  let hardware: Hardware | undefined;
  if (v.hardware !== undefined) hardware = chip(command, v.hardware);
  else if (peak !== undefined || bandwidth !== undefined) {
    if (bandwidth === undefined) throw new UsageError(`${command}: --peak-gflops needs --bandwidth-gbs too (or give --hardware)`);
    if (peak === undefined) throw new UsageError(`${command}: --bandwidth-gbs needs --peak-gflops too (or give --hardware)`);
    hardware = {
      name: 'custom',
      peakGflops: positiveNumber(command, 'peak-gflops', peak),
      bandwidthGbs: positiveNumber(command, 'bandwidth-gbs', bandwidth),
    };
  }
  const batchText = v['latency-batch'];
  const batch =
    batchText === undefined
      ? DEFAULT_LATENCY_BATCH
      : integer(command, 'latency-batch', batchText, SETTING_LIMITS.latencyBatch.min, SETTING_LIMITS.latencyBatch.max);
  if (hardware === undefined) {
    if (target === 'latency') throw new UsageError(`${command}: --target latency needs a device to price for: ${DEVICE}`);
    if (batchText !== undefined) throw new UsageError(`${command}: --latency-batch needs a device to price for: ${DEVICE}`);
    return undefined;
  }
  return { hardware, batch };
}

/** "V100 (125,000 GFLOP/s, 900 GB/s), batch 1" */
export function describeLatency(l: LatencySettings): string {
  const n = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 3 });
  return `${l.hardware.name} (${n(l.hardware.peakGflops)} GFLOP/s, ${n(l.hardware.bandwidthGbs)} GB/s), batch ${l.batch}`;
}

/** Nanoseconds in a unit one reads at a glance: 850 ns, 12.3 µs, 4.56 ms, 1.2 s (three figures). */
export function duration(ns: number): string {
  const [value, unit] = ns < 1e3 ? [ns, 'ns'] : ns < 1e6 ? [ns / 1e3, 'µs'] : ns < 1e9 ? [ns / 1e6, 'ms'] : [ns / 1e9, 's'];
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(unit === 'ns' ? 0 : digits)} ${unit}`;
}

// The latency the page prices with now (the Price for choice, this device's measurement) and what
// the views show from it: per-layer text for the diagram's hover, the cost panel's row.
import { useMemo } from 'react';
import { networkLatency } from '../../morphnet/latency.ts';
import type { AliveCounts, LatencySettings, NetworkSpec } from '../../morphnet/types.ts';
import { formatNs, hardwareLabel, latencySettings } from '../../state/latency.ts';
import { useStudio } from '../../state/store.ts';

export interface PricedLatency {
  settings: LatencySettings;
  /** "T4, batch 1" */
  label: string;
}

/** Null until there is a device to price for (this device not measured yet). */
export function usePricedLatency(): PricedLatency | null {
  const latency = useStudio((s) => s.latency);
  const device = useStudio((s) => s.device);
  return useMemo(() => {
    const settings = latencySettings({ latency, device });
    return settings ? { settings, label: `${hardwareLabel(latency.priceFor)}, batch ${settings.batch}` } : null;
  }, [latency, device]);
}

/** "12.3 µs on T4, batch 1" per spec layer. */
export function layerLatencyText(
  spec: NetworkSpec,
  alive: AliveCounts,
  priced: PricedLatency | null,
): Record<string, string> | null {
  if (!priced) return null;
  const out: Record<string, string> = {};
  for (const l of networkLatency(spec, alive, priced.settings).layers) out[l.name] = `${formatNs(l.latencyNs)} on ${priced.label}`;
  return out;
}

/** The cost panel's latency row: the alive network and the seed, priced on the same device. */
export function costLatencyRow(
  spec: NetworkSpec | null,
  seedSpec: NetworkSpec | null,
  alive: AliveCounts,
  priced: PricedLatency | null,
): { label: string; note: string; now: number; seed: number; format: (ns: number) => string } | undefined {
  if (!priced || !spec || !seedSpec) return undefined;
  return {
    label: 'Latency',
    note: `predicted on ${priced.label}`,
    now: networkLatency(spec, alive, priced.settings).latencyNs,
    seed: networkLatency(seedSpec, undefined, priced.settings).latencyNs,
    format: formatNs,
  };
}

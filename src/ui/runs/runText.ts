// How a saved run reads in the list and its view.
import type { RunSummary } from '../../state/runs/record.ts';
import { flopsFraction } from '../../state/runs/record.ts';
import { formatPercent } from '../../viz/format.ts';
import { formatAccuracy } from '../format.ts';
import { formatNs } from '../../state/latency.ts';

export const targetLabel = (t: RunSummary['target']) =>
  (({ flops: 'FLOPs', size: 'size', latency: 'latency' }) as const)[t];

/**
 * "FLOPs target · step 12 · cycle 1 · 63% FLOPs · test 41.0%"; a latency run adds its predicted
 * latency on the device it priced for: "· 4.56 ms on T4".
 */
export function runLine(r: RunSummary): string {
  const f = flopsFraction(r);
  return [
    `${targetLabel(r.target)} target`,
    `step ${r.step}`,
    `cycle ${r.cycle}`,
    `${f === null ? '–' : formatPercent(f)} FLOPs`,
    ...(r.latency && r.latencyNs !== undefined
      ? [`${formatNs(r.latencyNs)} on ${r.latency.hardware.name}`]
      : []),
    `test ${formatAccuracy(r.testAccuracy)}`,
  ].join(' · ');
}

// One formatter for every row: toLocaleString with options builds a new one per call, and the
// runs list formats each row again whenever the recorder saves.
let timeFormat: Intl.DateTimeFormat | null = null;

export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  timeFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return timeFormat.format(d);
}

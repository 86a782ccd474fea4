// Small text helpers for the page (the charts' own formatting lives in src/viz/format.ts).
import type { AdapterDescription } from '../protocol/messages.ts';
import { formatCount } from '../viz/format.ts';

export { formatCount };

export function adapterText(a: AdapterDescription | null): string {
  if (!a) return '';
  const name = a.architecture || a.description || a.vendor || 'GPU adapter';
  const vendor = a.vendor && a.vendor !== name ? ` (${a.vendor})` : '';
  return `${name}${vendor}${a.isFallback ? ', software' : ''}`;
}

/** 0.01 → "0.01", 0.0005 → "5e-4": short enough for a slider's readout. */
export function formatSmall(v: number): string {
  if (v >= 0.01 && v < 1000) return String(Number(v.toPrecision(2)));
  const e = Math.floor(Math.log10(v));
  const m = Number((v / 10 ** e).toPrecision(2));
  return `${m}e${e}`;
}

export function formatAccuracy(a: number | null): string {
  return a === null ? '–' : `${(a * 100).toFixed(1)}%`;
}

export function formatMs(ms: number | null): string {
  if (ms === null || !(ms > 0)) return '–';
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** A longer wait in the largest sensible unit: "40 s", "12 min", "3.5 h". */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

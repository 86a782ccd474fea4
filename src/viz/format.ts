// Number formatting shared by the charts: SI prefixes that read well on a projector.
import { format } from 'd3';

const si = format('.3~s');

/** 3244672 → "3.24M", 5360 → "5.36k"; d3 writes giga as "G", which is what people expect for FLOPs. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return si(n).replace('µ', 'u');
}

/** A ratio as a whole percentage: 0.623 → "62%". */
export function formatPercent(ratio: number): string {
  return Number.isFinite(ratio) ? `${Math.round(ratio * 100)}%` : '–';
}

/** A threshold or γ for labels: 0.001 → "1.0e-3". */
export function formatGamma(v: number): string {
  if (!(v > 0)) return '0';
  let e = Math.floor(Math.log10(v));
  let m = Number((v / 10 ** e).toFixed(1));
  // 9.96e-3 rounds to "10.0e-3"; carry it into the exponent.
  if (m >= 10) {
    m = 1;
    e += 1;
  }
  return `${m.toFixed(1)}e${e}`;
}

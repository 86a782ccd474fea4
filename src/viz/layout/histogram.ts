// |γ| histogram on a log axis (MORPHNET.md §5: the threshold belongs in the gap of the bimodal
// histogram). Pure: values in, bars and the threshold's x out.
import { scaleLog } from 'd3';
import { isAlive as gammaAlive } from '../../morphnet/regularizer.ts';

export interface HistogramOptions {
  threshold: number;
  /** [min, max] of |γ| on the log axis; values below min (including 0) are drawn at min. */
  domain: [number, number];
  bins: number;
  width: number;
  height: number;
}

export interface HistogramBar {
  x: number;
  y: number;
  width: number;
  height: number;
  count: number;
  /** At or below the threshold: dead channels (alive is strictly greater, MORPHNET.md §1). */
  dead: boolean;
}

export interface HistogramLayout {
  /** One or two bars per non-empty bin: a bin the threshold cuts is split at the threshold. */
  bars: HistogramBar[];
  /** Per-bin counts; they sum to the number of values. */
  counts: number[];
  thresholdX: number;
  alive: number;
  total: number;
  ticks: { x: number; label: string }[];
}

const r2 = (v: number) => Math.round(v * 100) / 100;

/** The log x scale shared by the layout and the drag handler (pixel ↔ |γ|). */
export function gammaScale(domain: [number, number], width: number) {
  return scaleLog().domain(domain).range([0, width]).clamp(true);
}

export function layoutHistogram(values: Float32Array | number[], opts: HistogramOptions): HistogramLayout {
  const [min, max] = opts.domain;
  const bins = Math.max(1, Math.floor(opts.bins));
  const x = gammaScale(opts.domain, opts.width);
  const lmin = Math.log10(min);
  const step = (Math.log10(max) - lmin) / bins;
  const dead = new Array<number>(bins).fill(0);
  const live = new Array<number>(bins).fill(0);
  let alive = 0;
  for (const raw of values) {
    const v = Math.abs(raw);
    // NaN and tiny values sit in the first bin, huge ones in the last, so every value is counted.
    const c = Number.isNaN(v) ? min : Math.min(max, Math.max(min, v));
    const b = Math.min(bins - 1, Math.max(0, Math.floor((Math.log10(c) - lmin) / step)));
    // The training step's own test (float32 γ − T > 0), so the bars agree with the alive counts.
    const isAlive = gammaAlive(v, opts.threshold);
    if (isAlive) alive++;
    (isAlive ? live : dead)[b]! += 1;
  }
  const counts = dead.map((d, i) => d + (live[i] ?? 0));
  const top = Math.max(1, ...counts);
  const tx = x(opts.threshold);
  const bars: HistogramBar[] = [];
  const bar = (x0: number, x1: number, count: number, isDead: boolean) => {
    if (count === 0 || x1 <= x0) return;
    const h = (count / top) * opts.height;
    bars.push({ x: r2(x0), y: r2(opts.height - h), width: r2(x1 - x0), height: r2(h), count, dead: isDead });
  };
  for (let i = 0; i < bins; i++) {
    const x0 = (i / bins) * opts.width;
    const x1 = ((i + 1) / bins) * opts.width;
    const d = dead[i] ?? 0;
    const l = live[i] ?? 0;
    // A bin the threshold cuts shows its dead part left of the line and its live part right of
    // it, so no bar ever straddles the line in the wrong colour.
    const cut = tx > x0 && tx < x1;
    bar(x0, cut ? tx : x1, d, true);
    bar(cut ? tx : x0, x1, l, false);
  }
  const ticks = histogramTicks(opts.domain, opts.width);
  return { bars, counts, thresholdX: r2(tx), alive, total: values.length, ticks };
}

/** One tick per decade of the domain: the same for every panel of a given width. */
export function histogramTicks(domain: [number, number], width: number): { x: number; label: string }[] {
  const x = gammaScale(domain, width);
  const ticks: { x: number; label: string }[] = [];
  for (let e = Math.ceil(Math.log10(domain[0]) - 1e-9); e <= Math.floor(Math.log10(domain[1]) + 1e-9); e++) {
    ticks.push({ x: r2(x(10 ** e)), label: e === 0 ? '1' : `1e${e}` });
  }
  return ticks;
}

/** Same bars and counts: a panel drawn from either looks the same. */
export function sameBars(a: readonly HistogramBar[], b: readonly HistogramBar[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => {
      const q = b[i]!;
      return p.x === q.x && p.y === q.y && p.width === q.width && p.height === q.height && p.dead === q.dead;
    })
  );
}

/** One keyboard step of the threshold: a factor on the log scale, clamped to the domain. */
export function stepThreshold(
  value: number,
  steps: number,
  domain: [number, number],
  factor = 10 ** 0.1,
): number {
  const next = roundThreshold(10 ** (Math.log10(value) + steps * Math.log10(factor)));
  return Math.min(domain[1], Math.max(domain[0], next));
}

/** Three significant digits: 0.010000000000000005 → 0.01, so values read well in the URL. */
export function roundThreshold(value: number): number {
  return Number(value.toPrecision(3));
}

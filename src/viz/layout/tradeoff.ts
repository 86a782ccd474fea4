// The trade-off chart as data (issue 4): test accuracy against FLOPs or parameters, one marker
// per trained network, three families. Pure: numbers in, positions, marker paths, line paths and
// ticks out, rounded to 2 decimals for stable snapshots.
//
// x is logarithmic: the width multipliers 0.25 … 1.5 span a factor of ~36 in FLOPs, and on a
// linear axis every small network would sit on top of the others at the left edge.
import { line, scaleLinear, scaleLog, symbol, symbolCircle, symbolSquare, symbolTriangle } from 'd3';
import { formatCount } from '../format.ts';
import { plotArea, type Margin } from './lines.ts';

export type TradeoffFamily = 'uniform' | 'pruning' | 'morphnet';
/** `latency`: each network's forward pass as measured on this device (`latencyMs`). */
export type TradeoffMetric = 'flops' | 'params' | 'latency';

export interface TradeoffInput {
  family: TradeoffFamily;
  label: string;
  flops: number;
  params: number;
  /** In [0, 1]. */
  accuracy: number;
  /** The network's forward pass timed on this device, ms; a point not timed yet has no marker on the latency axis. */
  latencyMs?: number;
  /** Several seeds at this point: `accuracy` is their mean, and this their lowest and highest. */
  spread?: { min: number; max: number; seeds: number };
}

export interface TradeoffOptions {
  width: number;
  height: number;
  metric: TradeoffMetric;
  /** The seed network's cost: a reference line marks it (on the latency axis once timed). */
  seed: { flops: number; params: number; latencyMs?: number };
  margin?: Margin;
}

export interface TradeoffMarker {
  /** Index into the input points. */
  index: number;
  family: TradeoffFamily;
  label: string;
  x: number;
  y: number;
  /** The marker's outline around (0, 0): each family has its own shape, not only its colour. */
  d: string;
  /** Radius of its click target. */
  hitR: number;
  /** On its family's line (uniform, pruning) or on MorphNet's frontier. */
  onLine: boolean;
  /** The seeds' accuracy range as offsets from y (top < 0 < bottom), when the point has several. */
  spread?: { top: number; bottom: number };
}

export interface TradeoffLine {
  family: TradeoffFamily;
  d: string;
}

export interface TradeoffLayout {
  plot: { x: number; y: number; width: number; height: number };
  markers: TradeoffMarker[];
  lines: TradeoffLine[];
  seedX: number;
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  xLabel: string;
  yLabel: string;
}

export const FAMILIES: readonly TradeoffFamily[] = ['uniform', 'pruning', 'morphnet'];
export const FAMILY_NAMES: Record<TradeoffFamily, string> = {
  uniform: 'uniform width multiplier',
  pruning: 'magnitude pruning',
  morphnet: 'MorphNet',
};
const SHAPES = { uniform: symbolCircle, pruning: symbolSquare, morphnet: symbolTriangle };
/** Marker area in px²: about 11 px across, big enough to see and to click on a projector. */
const MARKER_AREA = 100;
const DEFAULT_MARGIN = { top: 14, right: 20, bottom: 50, left: 60 };
const r2 = (v: number) => Math.round(v * 100) / 100;

/** A family's marker outline, also used by the legend. */
export function markerPath(family: TradeoffFamily, area = MARKER_AREA): string {
  return symbol(SHAPES[family], area).digits(2)() ?? '';
}

/**
 * The points no other point of the same family beats: none with at most its cost and higher
 * accuracy. MorphNet's points come from two knobs (strength, budget), so a line through all of
 * them would zigzag; its frontier is the curve the method offers.
 */
export function paretoFrontier<T extends { x: number; y: number }>(points: readonly T[]): T[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || b.y - a.y);
  const out: T[] = [];
  for (const p of sorted) if (out.length === 0 || p.y > (out[out.length - 1]?.y ?? -Infinity)) out.push(p);
  return out;
}

/** Log-axis ticks at 1, 2 and 5 × 10ⁿ where that gives at least three, else every d3 tick. */
function logTicks(ticks: number[]): number[] {
  const nice = ticks.filter((t) => {
    const m = Math.round(t / 10 ** Math.floor(Math.log10(t) + 1e-9));
    return m === 1 || m === 2 || m === 5;
  });
  const chosen = nice.length >= 3 ? nice : ticks;
  // Too many on a wide domain: keep the powers of ten.
  return chosen.length > 8
    ? chosen.filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9)
    : chosen;
}

/**
 * The transparent click target around a marker: 24 px across, the smallest target WCAG 2.2
 * (2.5.8) accepts, larger than the ~11 px marker.
 */
const HIT_R = 12;
/**
 * Markers closer than one target (px) both ways would overlap each other's targets and hide one
 * from the mouse (two MorphNet strengths that learn similar structures land a few px apart).
 */
const OVERLAP = 2 * HIT_R;
/** How far apart side by side markers of one spot are drawn: their targets just clear. */
const DODGE_STEP = 2 * HIT_R + 1;

/**
 * Horizontal offsets that set coincident or nearly coincident markers side by side, centred on
 * their true spot.
 * Sweeps do make identical networks (MorphNet at budget 1 with nothing pruned is the seed; two
 * strengths can learn the same structure), and a hidden marker could only be reached by keyboard.
 * Lines still pass through the true positions.
 */
export function dodge(points: readonly { x: number; y: number }[]): number[] {
  const out = points.map(() => 0);
  const groups: number[][] = [];
  points.forEach((p, i) => {
    const g = groups.find((members) => {
      const a = points[members[0]!]!;
      return Math.abs(a.x - p.x) < OVERLAP && Math.abs(a.y - p.y) < OVERLAP;
    });
    if (g) g.push(i);
    else groups.push([i]);
  });
  for (const g of groups) g.forEach((i, k) => (out[i] = (k - (g.length - 1) / 2) * DODGE_STEP));
  return out;
}

export function layoutTradeoff(points: readonly TradeoffInput[], opts: TradeoffOptions): TradeoffLayout {
  const plot = plotArea(opts.width, opts.height, opts.margin ?? DEFAULT_MARGIN);
  const cost = (p: { flops: number; params: number; latencyMs?: number }) =>
    opts.metric === 'latency' ? (p.latencyMs ?? NaN) : opts.metric === 'flops' ? p.flops : p.params;
  // A log axis needs positive values; a zero-cost point is not a network anyone trains.
  const xs = [...points.map(cost), cost(opts.seed)].filter((v) => v > 0);
  const lo = xs.length ? Math.min(...xs) : 1;
  const hi = xs.length ? Math.max(...xs) : 10;
  // Padding by a factor keeps the extreme markers off the axes.
  const x = scaleLog()
    .domain([lo / 1.25, hi * 1.25])
    .range([0, plot.width]);
  const accs = points.flatMap((p) => (p.spread ? [p.accuracy, p.spread.min, p.spread.max] : [p.accuracy]));
  const aLo = accs.length ? Math.min(...accs) : 0;
  const aHi = accs.length ? Math.max(...accs) : 1;
  const pad = Math.max((aHi - aLo) * 0.1, 0.01);
  const y = scaleLinear()
    .domain([Math.max(0, aLo - pad), Math.min(1, aHi + pad)])
    .range([plot.height, 0])
    .nice(5);
  const px = (v: number) => r2(x(Math.max(v, lo)));
  const py = (v: number) => r2(y(v));

  const placed = points.map((p, index) => ({
    index,
    family: p.family,
    label: p.label,
    x: px(cost(p)),
    y: py(p.accuracy),
  }));
  const onLine = new Set<number>();
  const path = line<{ x: number; y: number }>()
    .x((p) => p.x)
    .y((p) => p.y)
    .digits(2);
  const lines: TradeoffLine[] = [];
  for (const family of FAMILIES) {
    // In data units: on screen a higher accuracy has a smaller y.
    const mine = points.flatMap((p, index) =>
      p.family === family && Number.isFinite(cost(p)) ? [{ index, x: cost(p), y: p.accuracy }] : [],
    );
    const through = family === 'morphnet' ? paretoFrontier(mine) : [...mine].sort((a, b) => a.x - b.x);
    through.forEach((p) => onLine.add(p.index));
    const at = through.flatMap((p) => placed[p.index] ?? []);
    if (at.length >= 2) lines.push({ family, d: path(at) ?? '' });
  }
  const dx = dodge(placed);
  const markers = placed.map((p, i) => {
    const s = points[i]?.spread;
    return {
      ...p,
      x: r2(p.x + (dx[i] ?? 0)),
      hitR: HIT_R,
      d: markerPath(p.family),
      onLine: onLine.has(p.index),
      ...(s ? { spread: { top: r2(py(s.max) - p.y), bottom: r2(py(s.min) - p.y) } } : {}),
    };
  });
  const pct = (v: number) => `${r2(v * 100)}`.replace(/\.0+$/, '');
  const latency = opts.metric === 'latency';
  return {
    plot,
    // Untimed networks keep their place (markers[i] is points[i]) with x NaN: drawn once timed.
    markers,
    lines,
    seedX: px(cost(opts.seed)),
    xTicks: logTicks(x.ticks()).map((t) => ({
      x: r2(x(t)),
      label: latency ? `${+t.toPrecision(2)} ms` : formatCount(t),
    })),
    yTicks: y.ticks(5).map((t) => ({ y: r2(y(t)), label: `${pct(t)}%` })),
    xLabel: latency
      ? 'measured latency on this device, ms per pass (log scale)'
      : opts.metric === 'flops'
        ? 'FLOPs per example (log scale)'
        : 'parameters (log scale)',
    yLabel: 'test accuracy (%)',
  };
}

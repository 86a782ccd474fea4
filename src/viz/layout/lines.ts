// Line-chart geometry for the curves and the cost sparklines: d3-scale and d3-shape compute,
// the components only draw the strings. Paths are rounded to 2 decimals for stable snapshots.
import { extent, format, line, scaleLinear } from 'd3';

export interface Point {
  x: number;
  y: number;
}

export interface Series {
  name: string;
  points: Point[];
}

export interface ChartOptions {
  width: number;
  height: number;
  margin?: Margin;
  xDomain?: [number, number] | undefined;
  yDomain?: [number, number] | undefined;
  /** Approximate tick counts (d3 picks round values near them). */
  xTicks?: number;
  yTicks?: number;
}

export interface ChartLayout {
  plot: { x: number; y: number; width: number; height: number };
  lines: { name: string; d: string; last: Point | null }[];
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
}

const r2 = (v: number) => Math.round(v * 100) / 100;
const finite = (p: Point) => Number.isFinite(p.x) && Number.isFinite(p.y);
const DEFAULT_MARGIN = { top: 10, right: 18, bottom: 44, left: 52 };

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** The plot's box inside a chart of `width` × `height` with margin `m` (axes and labels live there). */
export function plotArea(width: number, height: number, m: Margin) {
  return { x: m.left, y: m.top, width: width - m.left - m.right, height: height - m.top - m.bottom };
}

function domainOf(values: number[], fallback: [number, number]): [number, number] {
  const [a, b] = extent(values);
  if (a === undefined || b === undefined) return fallback;
  // A flat series still needs a span, or every point lands on the axis.
  return a === b ? [a - 1, b + 1] : [a, b];
}

export function layoutChart(series: Series[], opts: ChartOptions): ChartLayout {
  const plot = plotArea(opts.width, opts.height, opts.margin ?? DEFAULT_MARGIN);
  const pts = series.flatMap((s) => s.points.filter(finite));
  const x = scaleLinear()
    .domain(
      opts.xDomain ??
        domainOf(
          pts.map((p) => p.x),
          [0, 1],
        ),
    )
    .range([0, plot.width]);
  const y = scaleLinear()
    .domain(
      opts.yDomain ??
        domainOf(
          pts.map((p) => p.y),
          [0, 1],
        ),
    )
    .range([plot.height, 0]);
  if (!opts.yDomain) y.nice(opts.yTicks ?? 4);
  const path = line<Point>()
    .defined(finite)
    .x((p) => x(p.x))
    .y((p) => y(p.y))
    .digits(2);
  // Steps read best as 0, 500, 1k, 1.5k; d3's tickFormat would print "0k".
  const xf = format('~s');
  const yf = y.tickFormat(opts.yTicks ?? 4);
  return {
    plot,
    lines: series.map((s) => {
      const last = s.points.filter(finite).at(-1);
      return {
        name: s.name,
        d: path(s.points) ?? '',
        last: last ? { x: r2(x(last.x)), y: r2(y(last.y)) } : null,
      };
    }),
    // The x axis counts steps: with only a step or two d3 offers 1.2, 1.4…, which read as "1.2"
    // or "200m" — whole steps only.
    xTicks: x
      .ticks(opts.xTicks ?? 5)
      .filter(Number.isInteger)
      .map((v) => ({ x: r2(x(v)), label: xf(v) })),
    yTicks: y.ticks(opts.yTicks ?? 4).map((v) => ({ y: r2(y(v)), label: yf(v) })),
  };
}

export interface SparklineLayout {
  d: string;
  /** y of the reference value (the seed's cost, 100%), to draw as a faint line. */
  referenceY: number;
  last: Point | null;
}

/** A sparkline of values relative to `reference`, on a scale from 0 that always includes it. */
export function layoutSparkline(
  points: Point[],
  opts: { width: number; height: number; reference: number },
): SparklineLayout {
  const good = points.filter(finite);
  const pad = 3;
  const xs = domainOf(
    good.map((p) => p.x),
    [0, 1],
  );
  const x = scaleLinear()
    .domain(xs)
    .range([pad, opts.width - pad]);
  const top = Math.max(opts.reference, ...good.map((p) => p.y));
  const y = scaleLinear()
    .domain([0, top > 0 ? top : 1])
    .range([opts.height - pad, pad]);
  const path = line<Point>()
    .defined(finite)
    .x((p) => x(p.x))
    .y((p) => y(p.y))
    .digits(2);
  const last = good.at(-1);
  return {
    d: good.length > 1 ? (path(points) ?? '') : '',
    referenceY: r2(y(opts.reference)),
    last: last ? { x: r2(x(last.x)), y: r2(y(last.y)) } : null,
  };
}

// The trade-off chart (issue 4): layoutTradeoff computes, this draws it and owns only the
// hover/focus state of its tooltip. Every point is a keyboard-focusable button: Enter or a click
// selects it (the page then shows its structure); the metric switch is a radio group.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { formatCount } from './format.ts';
import {
  FAMILIES,
  FAMILY_NAMES,
  layoutTradeoff,
  markerPath,
  type TradeoffInput,
  type TradeoffMarker,
  type TradeoffMetric,
} from './layout/tradeoff.ts';
import './tradeoff.css';
import { Axes } from './Axes.tsx';

export interface TradeoffChartProps {
  points: TradeoffInput[];
  seed: { flops: number; params: number };
  metric: TradeoffMetric;
  onMetricChange: (metric: TradeoffMetric) => void;
  /** Index of the selected point, or null. */
  selected: number | null;
  onSelect: (index: number) => void;
  title: string;
  /** The widest it draws; in a narrower box it lays itself out at the box's width. */
  width?: number;
  height?: number;
}

/** 0.1914 → "19.1%": accuracies differ in the first decimal on small test sets. */
export const formatAccuracy = (a: number) => `${(a * 100).toFixed(1)}%`;

const METRIC_NAMES: Record<TradeoffMetric, string> = {
  flops: 'FLOPs',
  params: 'parameters',
  latency: 'measured latency',
};

/** ", 3.2 ms measured": a point timed on this device. */
const latencyWords = (p: TradeoffInput) =>
  p.latencyMs === undefined ? '' : `, ${+p.latencyMs.toPrecision(3)} ms measured`;

/** The one line a screen reader and the tooltip both say about a point. */
export function describePoint(p: TradeoffInput): string {
  return `${FAMILY_NAMES[p.family]} ${p.label}: ${formatCount(p.flops)} FLOPs, ${formatCount(p.params)} params, ${formatAccuracy(p.accuracy)} test accuracy${spreadWords(p)}${latencyWords(p)}`;
}

/** ", mean of 3 seeds (89.1% to 90.4%)"; nothing for a point of one seed. */
const spreadWords = (p: TradeoffInput) =>
  p.spread
    ? `, mean of ${p.spread.seeds} seeds (${formatAccuracy(p.spread.min)} to ${formatAccuracy(p.spread.max)})`
    : '';

/** The narrowest width the chart lays itself out at; a narrower box scales that down. */
const MIN_WIDTH = 300;

/**
 * The box's width in CSS px, once measured (null before, and on the server). A chart laid out
 * at its box's width keeps its text at its CSS size; a fixed 640-wide SVG scaled into a 350 px
 * phone column shrank 11 px labels to 6 px.
 */
function useBoxWidth(ref: RefObject<HTMLElement | null>): number | null {
  const [width, setWidth] = useState<number | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w !== undefined && w > 0) setWidth(Math.floor(w));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

export function TradeoffChart(props: TradeoffChartProps) {
  const {
    points,
    seed,
    metric,
    onMetricChange,
    selected,
    onSelect,
    title,
    width: maxWidth = 640,
    height = 380,
  } = props;
  const boxRef = useRef<HTMLElement>(null);
  const box = useBoxWidth(boxRef);
  const width = box === null ? maxWidth : Math.max(MIN_WIDTH, Math.min(maxWidth, box));
  const layout = useMemo(
    () => layoutTradeoff(points, { width, height, metric, seed }),
    [points, width, height, metric, seed],
  );
  const [active, setActive] = useState<number | null>(null);
  const titleId = useId();
  const radioName = useId();
  const { plot } = layout;
  const shown = active === null ? undefined : layout.markers[active];
  const present = FAMILIES.filter((f) => points.some((p) => p.family === f));
  const onKey = (e: KeyboardEvent, index: number) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(index);
    }
  };

  return (
    <figure className="viz-tradeoff" aria-labelledby={titleId} ref={boxRef}>
      <figcaption id={titleId} className="viz-title">
        {title}
      </figcaption>
      <div className="viz-tradeoff-bar">
        <div role="radiogroup" aria-labelledby={`${radioName}-label`} className="viz-tradeoff-metric">
          <span id={`${radioName}-label`} className="viz-tradeoff-metric-label">
            x axis
          </span>
          {(['flops', 'params', 'latency'] as const).map((m) => {
            const text = METRIC_NAMES[m];
            return (
              <label key={m}>
                {/* Named "x axis: …" so it is never mistaken for the page's FLOPs target radio. */}
                <input
                  type="radio"
                  name={radioName}
                  value={m}
                  aria-label={`x axis: ${text}`}
                  checked={metric === m}
                  onChange={() => onMetricChange(m)}
                />
                {text}
              </label>
            );
          })}
        </div>
        <ul className="viz-tradeoff-legend" aria-label="Legend">
          {present.map((f) => (
            <li key={f}>
              <svg width={16} height={16} viewBox="-8 -8 16 16" aria-hidden="true">
                <path className={`viz-tradeoff-marker viz-tradeoff-${f}`} d={markerPath(f, 70)} />
              </svg>
              {FAMILY_NAMES[f]}
            </li>
          ))}
          <li>
            <svg width={16} height={16} viewBox="0 0 16 16" aria-hidden="true">
              <line className="viz-tradeoff-seed" x1={8} x2={8} y1={0} y2={16} />
            </svg>
            seed network
          </li>
        </ul>
      </div>
      <div className="viz-plot">
        <svg
          className="viz-svg"
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="group"
          aria-labelledby={titleId}
        >
          <g transform={`translate(${plot.x},${plot.y})`}>
            <Axes width={plot.width} height={plot.height} xTicks={layout.xTicks} yTicks={layout.yTicks} />
            <text className="viz-axis-label" x={plot.width / 2} y={plot.height + 40} textAnchor="middle">
              {layout.xLabel}
            </text>
            <text
              className="viz-axis-label"
              transform={`translate(${-46},${plot.height / 2}) rotate(-90)`}
              textAnchor="middle"
            >
              {layout.yLabel}
            </text>
            {Number.isFinite(layout.seedX) && (
              <>
                <line
                  className="viz-tradeoff-seed"
                  x1={layout.seedX}
                  x2={layout.seedX}
                  y1={0}
                  y2={plot.height}
                />
                <text className="viz-tradeoff-seed-label" x={layout.seedX - 4} y={10} textAnchor="end">
                  seed
                </text>
              </>
            )}
            {layout.lines.map((l) => (
              <path key={l.family} className={`viz-tradeoff-line viz-tradeoff-${l.family}`} d={l.d} />
            ))}
            {layout.markers.map((k) => {
              const p = points[k.index];
              // Not timed yet on the measured-latency axis: no marker until it is.
              if (!p || !Number.isFinite(k.x)) return null;
              return (
                <g
                  key={k.index}
                  className={markerClass(k, k.index === selected, k.index === active)}
                  transform={`translate(${k.x},${k.y})`}
                  tabIndex={0}
                  role="button"
                  aria-pressed={k.index === selected}
                  aria-label={describePoint(p)}
                  data-family={k.family}
                  data-x={k.x}
                  onClick={() => onSelect(k.index)}
                  onKeyDown={(e) => onKey(e, k.index)}
                  onMouseEnter={() => setActive(k.index)}
                  onMouseLeave={() => setActive(null)}
                  onFocus={() => setActive(k.index)}
                  onBlur={() => setActive(null)}
                >
                  {/* A larger transparent target: an 11 px marker is hard to hit. */}
                  <circle className="viz-tradeoff-hit" r={k.hitR} />
                  {k.spread && (
                    <line
                      className="viz-tradeoff-spread"
                      x1={0}
                      x2={0}
                      y1={k.spread.top}
                      y2={k.spread.bottom}
                    />
                  )}
                  <path className="viz-tradeoff-marker" d={k.d} />
                </g>
              );
            })}
          </g>
        </svg>
        {shown && points[shown.index] && (
          <Tooltip marker={shown} point={points[shown.index]!} plot={plot} width={width} height={height} />
        )}
      </div>
    </figure>
  );
}

function markerClass(k: TradeoffMarker, selected: boolean, active: boolean): string {
  return [
    'viz-tradeoff-point',
    `viz-tradeoff-${k.family}`,
    k.onLine ? '' : 'is-off-line',
    selected ? 'is-selected' : '',
    active ? 'is-active' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function Tooltip(props: {
  marker: TradeoffMarker;
  point: TradeoffInput;
  plot: { x: number; y: number; width: number; height: number };
  width: number;
  height: number;
}) {
  const { marker: k, point: p, plot, width, height } = props;
  // Percentages keep it beside its point when CSS scales the SVG; it opens away from the edges.
  const pct = (v: number, of: number) => `${Math.round((v / of) * 10000) / 100}%`;
  const cx = plot.x + k.x;
  const cy = plot.y + k.y;
  const style = {
    ...(cx > width / 2 ? { right: pct(width - cx + 14, width) } : { left: pct(cx + 14, width) }),
    ...(cy > height / 2 ? { bottom: pct(height - cy + 8, height) } : { top: pct(cy + 8, height) }),
    transform: 'none',
  };
  return (
    <div className="viz-tooltip viz-tradeoff-tooltip" role="tooltip" style={style}>
      <div className="viz-tooltip-name">
        {FAMILY_NAMES[p.family]} {p.label}
      </div>
      <div>
        {formatAccuracy(p.accuracy)} test accuracy{spreadWords(p)}
      </div>
      <div>
        {formatCount(p.flops)} FLOPs · {formatCount(p.params)} params
      </div>
      {p.latencyMs !== undefined && <div>{latencyWords(p).slice(2)} on this device</div>}
    </div>
  );
}

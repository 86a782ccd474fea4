// Line charts over training steps (task loss, regularizer, accuracies). layoutChart computes
// paths and ticks with d3-scale; React draws the axes too, so the chart renders on the server
// for snapshot tests and no effect has to clean up D3-owned DOM.
import { memo, useId, useMemo } from 'react';
import { layoutChart, type Series } from './layout/lines.ts';
import { Axes } from './Axes.tsx';

export interface CurvesProps {
  series: Series[];
  title: string;
  width?: number;
  height?: number;
  xLabel?: string;
  /** Fixed y range, e.g. [0, 1] for accuracy; otherwise fitted to the data. */
  yDomain?: [number, number] | undefined;
  /** Formats the latest value shown in the legend. */
  formatValue?: (v: number) => string;
}

const defaultFormat = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));

/** Memoized: the page re-renders its views on every readback, often with the same props. */
export const Curves = memo(function Curves(props: CurvesProps) {
  const {
    series,
    title,
    width = 420,
    height = 200,
    xLabel = 'step',
    yDomain,
    formatValue = defaultFormat,
  } = props;
  const layout = useMemo(
    () => layoutChart(series, { width, height, yDomain }),
    [series, width, height, yDomain],
  );
  const titleId = useId();
  const { plot } = layout;
  return (
    <figure className="viz-curves" aria-labelledby={titleId}>
      <figcaption id={titleId} className="viz-title">
        {title}
      </figcaption>
      <ul className="viz-legend">
        {series.map((s, i) => {
          const last = s.points.filter((p) => Number.isFinite(p.y)).at(-1);
          return (
            <li key={s.name} className={`viz-series-${i % 5}`}>
              <span className="viz-swatch" aria-hidden="true" />
              {s.name}
              {last && <span className="viz-legend-value">{formatValue(last.y)}</span>}
            </li>
          );
        })}
      </ul>
      <svg
        className="viz-svg"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        aria-hidden="true"
      >
        <g transform={`translate(${plot.x},${plot.y})`}>
          <Axes width={plot.width} height={plot.height} xTicks={layout.xTicks} yTicks={layout.yTicks} />
          <text className="viz-axis-label" x={plot.width / 2} y={plot.height + 36} textAnchor="middle">
            {xLabel}
          </text>
          {layout.lines.map((l, i) => (
            <g key={l.name} className={`viz-series-${i % 5}`}>
              <path className="viz-line" d={l.d} />
              {l.last && <circle className="viz-line-dot" cx={l.last.x} cy={l.last.y} r={3.5} />}
            </g>
          ))}
        </g>
      </svg>
    </figure>
  );
});

// Small multiples of |γ| per regularized layer with one threshold across them all. The line is
// dragged in any panel (pointer capture, no document listeners) or moved with the keyboard on
// the single slider above the grid. The parent owns the value: pure props in, callback out.
import { useId, useMemo, type KeyboardEvent, type PointerEvent } from 'react';
import { formatGamma } from './format.ts';
import { gammaScale, layoutHistogram, roundThreshold, stepThreshold } from './layout/histogram.ts';

export interface GammaHistogramsProps {
  /** |γ| per regularized layer or group, one value per channel. */
  gammas: Record<string, Float32Array>;
  threshold: number;
  onThresholdChange: (threshold: number) => void;
  /** Log axis range of |γ|, also the threshold's range. */
  domain?: [number, number];
  bins?: number;
  panelWidth?: number;
  panelHeight?: number;
  title?: string;
}

const MARGIN = 10;
const AXIS_H = 22;
const DEFAULT_DOMAIN: [number, number] = [1e-5, 10];

export function GammaHistograms(props: GammaHistogramsProps) {
  const { gammas, threshold, onThresholdChange, domain = DEFAULT_DOMAIN, bins = 28 } = props;
  const { panelWidth = 230, panelHeight = 70, title = '|γ| per layer' } = props;
  const plotW = panelWidth - 2 * MARGIN;
  const [lo, hi] = domain;
  const titleId = useId();
  const panels = useMemo(
    () =>
      Object.entries(gammas).map(([name, values]) => ({
        name,
        layout: layoutHistogram(values, {
          threshold,
          domain: [lo, hi],
          bins,
          width: plotW,
          height: panelHeight,
        }),
      })),
    [gammas, threshold, lo, hi, bins, plotW, panelHeight],
  );
  const scale = useMemo(() => gammaScale([lo, hi], plotW), [lo, hi, plotW]);
  const tx = Math.round(scale(threshold) * 100) / 100;

  // Pointer x in the SVG's own units (it may be scaled by CSS), minus the plot margin.
  const valueAt = (e: PointerEvent<SVGElement>) => {
    const svg = e.currentTarget.ownerSVGElement;
    if (!svg) return threshold;
    const box = svg.getBoundingClientRect();
    const x = ((e.clientX - box.left) * panelWidth) / Math.max(1, box.width) - MARGIN;
    return roundThreshold(scale.invert(Math.min(plotW, Math.max(0, x))));
  };
  const drag = {
    onPointerDown: (e: PointerEvent<SVGElement>) => {
      e.currentTarget.setPointerCapture(e.pointerId);
      onThresholdChange(valueAt(e));
    },
    onPointerMove: (e: PointerEvent<SVGElement>) => {
      if (e.currentTarget.hasPointerCapture(e.pointerId)) onThresholdChange(valueAt(e));
    },
    onPointerUp: (e: PointerEvent<SVGElement>) => e.currentTarget.releasePointerCapture(e.pointerId),
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const steps: Record<string, number> = {
      ArrowRight: 1,
      ArrowUp: 1,
      ArrowLeft: -1,
      ArrowDown: -1,
      PageUp: 10,
      PageDown: -10,
    };
    let next: number | undefined;
    if (e.key in steps) next = stepThreshold(threshold, steps[e.key] ?? 0, [lo, hi]);
    else if (e.key === 'Home') next = lo;
    else if (e.key === 'End') next = hi;
    if (next === undefined) return;
    e.preventDefault();
    onThresholdChange(next);
  };

  const ticks = panels[0]?.layout.ticks ?? [];
  const h = panelHeight;
  return (
    <figure className="viz-histograms" aria-labelledby={titleId}>
      <figcaption id={titleId} className="viz-title">
        {title}
      </figcaption>
      <div className="viz-threshold-control">
        <span className="viz-threshold-label">threshold {formatGamma(threshold)}</span>
        <svg className="viz-svg" width={panelWidth} height={34} viewBox={`0 0 ${panelWidth} 34`}>
          <g transform={`translate(${MARGIN},0)`}>
            <line className="viz-track" x1={0} x2={plotW} y1={12} y2={12} />
            <rect className="viz-drag-area" x={-MARGIN} y={0} width={panelWidth} height={24} {...drag} />
            <circle
              className="viz-threshold-handle"
              cx={tx}
              cy={12}
              r={8}
              tabIndex={0}
              role="slider"
              aria-label="Threshold on the histograms"
              aria-orientation="horizontal"
              aria-valuemin={lo}
              aria-valuemax={hi}
              aria-valuenow={threshold}
              aria-valuetext={formatGamma(threshold)}
              onKeyDown={onKeyDown}
              {...drag}
            />
            {ticks.map((t, i) =>
              // Every other decade: a label per decade would collide at this width.
              i % 2 === 0 ? (
                <text key={t.label} className="viz-tick-label" x={t.x} y={32} textAnchor="middle">
                  {t.label}
                </text>
              ) : null,
            )}
          </g>
        </svg>
      </div>
      <div
        className="viz-hist-grid"
        style={{ gridTemplateColumns: `repeat(auto-fill, minmax(${panelWidth}px, 1fr))` }}
      >
        {panels.map(({ name, layout }) => (
          <div key={name} className="viz-hist-panel" style={{ width: panelWidth }}>
            <div className="viz-hist-label">
              <span className="viz-hist-name">{name}</span>{' '}
              <span className="viz-hist-count">
                {layout.alive}/{layout.total} alive
              </span>
            </div>
            <svg
              className="viz-svg"
              width={panelWidth}
              height={h + AXIS_H}
              viewBox={`0 0 ${panelWidth} ${h + AXIS_H}`}
              aria-hidden="true"
            >
              <g transform={`translate(${MARGIN},0)`}>
                <line className="viz-axis-line" x1={0} x2={plotW} y1={h} y2={h} />
                {layout.ticks.map((t, i) => (
                  <g key={t.label}>
                    <line className="viz-tick" x1={t.x} x2={t.x} y1={h} y2={h + 4} />
                    {i % 2 === 0 && (
                      <text className="viz-tick-label" x={t.x} y={h + 18} textAnchor="middle">
                        {t.label}
                      </text>
                    )}
                  </g>
                ))}
                {layout.bars.map((b, i) => (
                  <rect
                    key={i}
                    className={b.dead ? 'viz-bar-dead' : 'viz-bar-live'}
                    x={b.x}
                    y={b.y}
                    width={b.width}
                    height={b.height}
                  />
                ))}
                <line className="viz-threshold" x1={layout.thresholdX} x2={layout.thresholdX} y1={0} y2={h} />
                <rect className="viz-drag-area" x={-MARGIN} y={0} width={panelWidth} height={h} {...drag} />
              </g>
            </svg>
          </div>
        ))}
      </div>
    </figure>
  );
}

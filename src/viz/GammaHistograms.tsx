// Small multiples of |γ| per regularized layer with one threshold across them all. The line is
// dragged in any panel (pointer capture, no document listeners) or moved with the keyboard on
// the single slider above the grid. The parent owns the value: pure props in, callback out.
// A readback changes every layer's γ but moves few of them across a bin: each panel is its own
// memoized component and its bars and axis are memoized apart, so React re-renders and re-commits
// only what moved (15 panels × ~40 SVG elements each, ~10 times a second, on the main thread).
import { memo, useId, useMemo, type KeyboardEvent, type PointerEvent } from 'react';
import { formatGamma } from './format.ts';
import {
  gammaScale,
  histogramTicks,
  layoutHistogram,
  roundThreshold,
  sameBars,
  stepThreshold,
  type HistogramBar,
} from './layout/histogram.ts';

export interface GammaHistogramsProps {
  /** |γ| per regularized layer or group, one value per channel. */
  gammas: Record<string, Float32Array>;
  threshold: number;
  /**
   * Absent: the threshold is fixed (a recording's), so the line shows it but neither the pointer
   * nor the keyboard can move it, and the slider says it is read-only.
   */
  onThresholdChange?: (threshold: number) => void;
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

type Tick = { x: number; label: string };
type DragHandlers = {
  onPointerDown: (e: PointerEvent<SVGElement>) => void;
  onPointerMove: (e: PointerEvent<SVGElement>) => void;
  onPointerUp: (e: PointerEvent<SVGElement>) => void;
};
// The threshold never changes when fixed, so this one no-op keeps the memoized panels still.
const IGNORE = (): void => {};

// The slider's decade labels appear with the first panel, as they always have.
const NO_TICKS: Tick[] = [];
const NO_DRAG: Partial<DragHandlers> = {};

const KEY_STEPS: Record<string, number> = {
  ArrowRight: 1,
  ArrowUp: 1,
  ArrowLeft: -1,
  ArrowDown: -1,
  PageUp: 10,
  PageDown: -10,
};

function GammaHistogramsImpl(props: GammaHistogramsProps) {
  const { gammas, threshold, domain = DEFAULT_DOMAIN, bins = 28 } = props;
  const readOnly = props.onThresholdChange === undefined;
  const onThresholdChange = props.onThresholdChange ?? IGNORE;
  const { panelWidth = 230, panelHeight = 70, title = '|γ| per layer' } = props;
  const plotW = panelWidth - 2 * MARGIN;
  const [lo, hi] = domain;
  const titleId = useId();
  const scale = useMemo(() => gammaScale([lo, hi], plotW), [lo, hi, plotW]);
  const ticks = useMemo(() => histogramTicks([lo, hi], plotW), [lo, hi, plotW]);

  // Stable between readbacks (they change only with the threshold), so unchanged panels stay memoized.
  const drag = useMemo((): Partial<DragHandlers> => {
    if (readOnly) return NO_DRAG;
    // Pointer x in the SVG's own units (it may be scaled by CSS), minus the plot margin.
    const valueAt = (e: PointerEvent<SVGElement>) => {
      const svg = e.currentTarget.ownerSVGElement;
      if (!svg) return threshold;
      const box = svg.getBoundingClientRect();
      const x = ((e.clientX - box.left) * panelWidth) / Math.max(1, box.width) - MARGIN;
      return roundThreshold(scale.invert(Math.min(plotW, Math.max(0, x))));
    };
    return {
      onPointerDown: (e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        onThresholdChange(valueAt(e));
      },
      onPointerMove: (e) => {
        if (e.currentTarget.hasPointerCapture(e.pointerId)) onThresholdChange(valueAt(e));
      },
      onPointerUp: (e) => e.currentTarget.releasePointerCapture(e.pointerId),
    };
  }, [readOnly, threshold, panelWidth, plotW, scale, onThresholdChange]);

  const entries = Object.entries(gammas);
  const panel = { threshold, lo, hi, bins, plotW, panelWidth, panelHeight, ticks, drag, readOnly };
  return (
    <figure className={readOnly ? 'viz-histograms viz-readonly' : 'viz-histograms'} aria-labelledby={titleId}>
      <figcaption id={titleId} className="viz-title">
        {title}
      </figcaption>
      <ThresholdSlider
        {...panel}
        ticks={entries.length > 0 ? ticks : NO_TICKS}
        onThresholdChange={onThresholdChange}
      />
      <div
        className="viz-hist-grid"
        style={{ gridTemplateColumns: `repeat(auto-fill, minmax(${panelWidth}px, 1fr))` }}
      >
        {entries.map(([name, values]) => (
          <HistogramPanel key={name} name={name} values={values} {...panel} />
        ))}
      </div>
    </figure>
  );
}

/** Re-renders only when its props change: a new readback alone leaves it as it was. */
export const GammaHistograms = memo(GammaHistogramsImpl);

interface PanelProps {
  threshold: number;
  lo: number;
  hi: number;
  bins: number;
  plotW: number;
  panelWidth: number;
  panelHeight: number;
  ticks: Tick[];
  drag: Partial<DragHandlers>;
  readOnly: boolean;
}

const ThresholdSlider = memo(function ThresholdSlider(
  props: PanelProps & { onThresholdChange: (threshold: number) => void },
) {
  const { threshold, lo, hi, plotW, panelWidth, ticks, drag, onThresholdChange, readOnly } = props;
  const tx = useMemo(
    () => Math.round(gammaScale([lo, hi], plotW)(threshold) * 100) / 100,
    [lo, hi, plotW, threshold],
  );
  const onKeyDown = (e: KeyboardEvent) => {
    if (readOnly) return;
    let next: number | undefined;
    if (e.key in KEY_STEPS) next = stepThreshold(threshold, KEY_STEPS[e.key] ?? 0, [lo, hi]);
    else if (e.key === 'Home') next = lo;
    else if (e.key === 'End') next = hi;
    if (next === undefined) return;
    e.preventDefault();
    onThresholdChange(next);
  };
  return (
    <div className="viz-threshold-control">
      <span className="viz-threshold-label">
        threshold {formatGamma(threshold)}
        {readOnly ? ' (fixed)' : ''}
      </span>
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
            aria-readonly={readOnly || undefined}
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
  );
});

const HistogramPanel = memo(function HistogramPanel(
  props: PanelProps & { name: string; values: Float32Array },
) {
  const { name, values, threshold, lo, hi, bins, plotW, panelWidth, panelHeight: h, ticks, drag } = props;
  const layout = useMemo(
    () => layoutHistogram(values, { threshold, domain: [lo, hi], bins, width: plotW, height: h }),
    [values, threshold, lo, hi, bins, plotW, h],
  );
  return (
    <div className="viz-hist-panel" style={{ width: panelWidth }}>
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
          <PanelAxis ticks={ticks} width={plotW} height={h} />
          <PanelBars bars={layout.bars} />
          <line className="viz-threshold" x1={layout.thresholdX} x2={layout.thresholdX} y1={0} y2={h} />
          <rect className="viz-drag-area" x={-MARGIN} y={0} width={panelWidth} height={h} {...drag} />
        </g>
      </svg>
    </div>
  );
});

const PanelAxis = memo(function PanelAxis(props: { ticks: Tick[]; width: number; height: number }) {
  const { ticks, width, height: h } = props;
  return (
    <>
      <line className="viz-axis-line" x1={0} x2={width} y1={h} y2={h} />
      {ticks.map((t, i) => (
        <g key={t.label}>
          <line className="viz-tick" x1={t.x} x2={t.x} y1={h} y2={h + 4} />
          {i % 2 === 0 && (
            <text className="viz-tick-label" x={t.x} y={h + 18} textAnchor="middle">
              {t.label}
            </text>
          )}
        </g>
      ))}
    </>
  );
});

/** Compared by value: a readback that moved no channel across a bin leaves the bars' DOM alone. */
const PanelBars = memo(
  function PanelBars({ bars }: { bars: HistogramBar[] }) {
    return (
      <>
        {bars.map((b, i) => (
          <rect
            key={i}
            className={b.dead ? 'viz-bar-dead' : 'viz-bar-live'}
            x={b.x}
            y={b.y}
            width={b.width}
            height={b.height}
          />
        ))}
      </>
    );
  },
  (a, b) => sameBars(a.bars, b.bars),
);

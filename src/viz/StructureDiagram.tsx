// The paper's ResNet figure, live: layoutStructure computes the geometry, this draws it and
// owns only the hover/focus state of its tooltip. Pure props in, callbacks out.
// For assistive technology the diagram is one listbox with ONE tab stop (a 5,000-layer spec must
// not make 5,000): the arrow keys move between its layers (options), the current one is named
// through aria-activedescendant and shown in the tooltip. A listbox rather than a group or an img
// because it is the role screen readers follow aria-activedescendant in; the drawing around the
// layers (stages, skips, the input bar) is aria-hidden.
import { memo, useId, useMemo, useState, type KeyboardEvent } from 'react';
import type { AliveCounts, NetworkSpec } from '../morphnet/types.ts';
import { formatCount } from './format.ts';
import { layoutStructure, type StructureRect } from './layout/structure.ts';

export interface LayerCost {
  flops: number;
  params: number;
  /** Predicted latency, formatted by the caller ("12.3 µs on T4"); absent without a latency device. */
  latency?: string | undefined;
}

export interface StructureDiagramProps {
  spec: NetworkSpec;
  /** Alive output channels per conv/depthwise layer; missing layers count as fully alive. */
  alive?: AliveCounts | undefined;
  /** The seed's widths, drawn faint behind the alive widths (defaults to the spec's widths). */
  seedWidths?: Record<string, number> | undefined;
  /** Per-layer cost for the tooltip, from the cost model (kept out of viz on purpose). */
  layerCosts?: Record<string, LayerCost> | undefined;
  title: string;
  width?: number;
  /** The most height to use; a short network draws shorter. */
  height?: number;
  /** Same value on diagrams shown side by side, so equal channels get equal widths. */
  maxChannels?: number | undefined;
  onHover?: ((layer: string | null) => void) | undefined;
  /** A layer to show as hovered from outside (e.g. while its histogram is hovered). */
  highlighted?: string | null | undefined;
}

/** Keys that move between layers: up the drawing is later in the network. */
const LAYER_STEPS: Record<string, number> = {
  ArrowUp: 1,
  ArrowRight: 1,
  ArrowDown: -1,
  ArrowLeft: -1,
  PageUp: 10,
  PageDown: -10,
};

/** The layer index a key moves to from `index` among `count` layers, or null for other keys. */
export function layerIndexAfterKey(index: number, key: string, count: number): number | null {
  if (count <= 0) return null;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  const step = LAYER_STEPS[key];
  if (step === undefined) return null;
  return Math.min(count - 1, Math.max(0, index + step));
}

/** Memoized: the page re-renders its views on every readback, often with the same props. */
export const StructureDiagram = memo(function StructureDiagram(props: StructureDiagramProps) {
  const {
    spec,
    alive,
    seedWidths,
    layerCosts,
    title,
    width = 360,
    height: maxHeight = 520,
    maxChannels,
    onHover,
    highlighted,
  } = props;
  const layout = useMemo(
    () => layoutStructure(spec, { alive, seedWidths, width, height: maxHeight, maxChannels }),
    [spec, alive, seedWidths, width, maxHeight, maxChannels],
  );
  const [active, setActive] = useState<string | null>(null);
  // The keyboard's layer, kept while focus is elsewhere so Tab back resumes there.
  const [cursor, setCursor] = useState(0);
  const titleId = useId();
  const layerId = useId();
  const activate = (name: string | null) => {
    setActive(name);
    onHover?.(name);
  };
  const height = layout.height;
  const shown = active ?? highlighted ?? null;
  const activeRect = layout.rects.find((r) => r.name === shown);
  const labelX = 4;
  const count = layout.rects.length;
  const current = Math.min(cursor, count - 1);
  const currentName = layout.rects[current]?.name ?? null;
  const onKeyDown = (e: KeyboardEvent) => {
    const next = layerIndexAfterKey(current, e.key, count);
    if (next === null) return;
    e.preventDefault();
    setCursor(next);
    activate(layout.rects[next]?.name ?? null);
  };
  // A network without conv layers has nothing to move between: a labelled image then.
  const widget =
    count > 0
      ? {
          role: 'listbox',
          tabIndex: 0,
          'aria-activedescendant': `${layerId}-${current}`,
          onKeyDown,
          onFocus: () => activate(currentName),
          onBlur: () => activate(null),
        }
      : { role: 'img' };

  return (
    <figure className="viz-structure" style={{ maxWidth: width }}>
      <figcaption id={titleId} className="viz-title">
        {title}
      </figcaption>
      {/* The tooltip is positioned against this box, which is exactly the SVG (not the caption). */}
      <div className="viz-plot">
        <svg
          className="viz-svg"
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          aria-labelledby={titleId}
          {...widget}
        >
          {layout.stages.map((s, i) => (
            <g key={`stage-${i}`} className="viz-stage" aria-hidden="true">
              {i > 0 && <line className="viz-stage-line" x1={labelX} x2={width - 4} y1={s.y0} y2={s.y0} />}
              <text className="viz-stage-label" x={labelX} y={s.y0 - 6}>
                {`${s.resolution}×${s.resolution}`}
              </text>
            </g>
          ))}
          {layout.paths.map((p, i) => (
            <path key={`path-${i}`} className={`viz-${p.kind}`} d={p.d} aria-hidden="true" />
          ))}
          <g className="viz-input" aria-hidden="true">
            <rect
              x={layout.input.x}
              y={layout.input.y}
              width={layout.input.width}
              height={layout.input.height}
              rx={3}
            />
            <text
              x={layout.input.x + layout.input.width / 2}
              y={layout.input.y + layout.input.height / 2}
              dy="0.35em"
            >
              {layout.input.label}
            </text>
          </g>
          {layout.joins.map((j) =>
            j.kind === 'add' ? (
              <g key={j.name} className="viz-join viz-join-add" aria-hidden="true">
                <circle cx={j.x} cy={j.y} r={j.r} />
                <path d={j.mark} />
              </g>
            ) : (
              <rect
                key={j.name}
                className="viz-join viz-join-concat"
                aria-hidden="true"
                x={j.x1}
                y={j.y - j.r}
                width={j.x2 - j.x1}
                height={2 * j.r}
                rx={j.r}
              />
            ),
          )}
          {layout.rects.map((r, i) => (
            <g
              key={r.name}
              id={`${layerId}-${i}`}
              className={layerClass(r, r.name === shown)}
              role="option"
              aria-selected={i === current}
              aria-label={`${r.name}: ${r.alive}/${r.total} channels`}
              onMouseEnter={() => activate(r.name)}
              onMouseLeave={() => activate(null)}
              // A click focuses the diagram: on the layer clicked, not the keyboard's last one.
              onMouseDown={() => setCursor(i)}
            >
              <rect
                className="viz-layer-seed"
                x={r.seedX}
                y={r.y}
                width={Math.max(r.seedWidth, 1)}
                height={r.height}
              />
              {!r.gone && (
                <rect className="viz-layer-alive" x={r.x} y={r.y} width={r.width} height={r.height} />
              )}
            </g>
          ))}
        </svg>
        {activeRect && <Tooltip rect={activeRect} cost={layerCosts?.[activeRect.name]} height={height} />}
      </div>
    </figure>
  );
});

function layerClass(r: StructureRect, active: boolean): string {
  return [
    'viz-layer',
    `viz-layer-${r.role}`,
    `viz-layer-${r.kind}`,
    r.gone ? 'viz-layer-gone' : '',
    active ? 'is-active' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function Tooltip(props: { rect: StructureRect; cost: LayerCost | undefined; height: number }) {
  const { rect: r, cost, height } = props;
  // Above a low layer, below a high one, centred on the figure: a narrow diagram has no room
  // beside its layers. Percentages keep it aligned when CSS scales the SVG.
  const pct = (v: number) => `${Math.round((v / height) * 10000) / 100}%`;
  const style = r.y > height * 0.4 ? { bottom: pct(height - r.y + 8) } : { top: pct(r.y + r.height + 8) };
  return (
    <div className="viz-tooltip" role="tooltip" style={style}>
      <div className="viz-tooltip-name">{r.name}</div>
      <div>
        {r.alive}/{r.total} channels alive{r.gone ? ' (gone)' : ''}
      </div>
      {r.seed !== r.total && <div>seed width {r.seed}</div>}
      {cost && (
        <div>
          {formatCount(cost.flops)} FLOPs · {formatCount(cost.params)} params
        </div>
      )}
      {cost?.latency !== undefined && <div>predicted {cost.latency}</div>}
    </div>
  );
}

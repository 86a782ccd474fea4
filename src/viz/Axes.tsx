// The grid rows, baseline and ticks every cartesian chart here shares (Curves, TradeoffChart):
// one place, so their axes stay alike. Renders into the caller's translated <g>.
export interface Tick {
  label: string;
}

export interface AxesProps {
  width: number;
  height: number;
  xTicks: readonly (Tick & { x: number })[];
  yTicks: readonly (Tick & { y: number })[];
}

export function Axes({ width, height, xTicks, yTicks }: AxesProps) {
  return (
    <>
      {yTicks.map((t) => (
        <g key={`y${t.label}`} className="viz-grid-row">
          <line x1={0} x2={width} y1={t.y} y2={t.y} />
          <text className="viz-tick-label" x={-6} y={t.y} dy="0.35em" textAnchor="end">
            {t.label}
          </text>
        </g>
      ))}
      <line className="viz-axis-line" x1={0} x2={width} y1={height} y2={height} />
      {xTicks.map((t) => (
        <g key={`x${t.label}`}>
          <line className="viz-tick" x1={t.x} x2={t.x} y1={height} y2={height + 4} />
          <text className="viz-tick-label" x={t.x} y={height + 18} textAnchor="middle">
            {t.label}
          </text>
        </g>
      ))}
    </>
  );
}

// FLOPs and parameters now against the seed (MORPHNET.md §2), each with a sparkline of its
// history and the seed's cost as a faint 100% line.
import { memo, useMemo } from 'react';
import { formatCount, formatPercent } from './format.ts';
import { layoutSparkline } from './layout/lines.ts';

export interface CostPoint {
  step: number;
  flops: number;
  params: number;
}

export interface CostPanelProps {
  flops: number;
  params: number;
  seedFlops: number;
  seedParams: number;
  history: CostPoint[];
  title?: string;
  sparkWidth?: number;
  /** Predicted latency now and of the seed (ns), with its label and units; absent without a latency device. */
  latency?: { label: string; note: string; now: number; seed: number; format: (ns: number) => string } | undefined;
}

const SPARK_H = 40;

/** Memoized: the page re-renders its views on every readback, often with the same props. */
export const CostPanel = memo(function CostPanel(props: CostPanelProps) {
  const { flops, params, seedFlops, seedParams, history, title = 'Cost', sparkWidth = 160, latency } = props;
  const rows = useMemo(
    () =>
      (
        [
          ['FLOPs', flops, seedFlops, 'flops'],
          ['Parameters', params, seedParams, 'params'],
        ] as const
      ).map(([label, now, seed, key]) => ({
        label,
        now,
        seed,
        spark: layoutSparkline(
          history.map((h) => ({ x: h.step, y: h[key] })),
          { width: sparkWidth, height: SPARK_H, reference: seed },
        ),
      })),
    [flops, params, seedFlops, seedParams, history, sparkWidth],
  );
  return (
    <section className="viz-cost" aria-label={title}>
      <h3 className="viz-title">{title}</h3>
      <dl className="viz-cost-rows">
        {rows.map((r) => (
          <div key={r.label} className="viz-cost-row">
            <dt>{r.label}</dt>
            <dd>
              <span className="viz-cost-now">{formatCount(r.now)}</span>
              <span className="viz-cost-pct">
                {formatPercent(r.seed > 0 ? r.now / r.seed : NaN)} of seed ({formatCount(r.seed)})
              </span>
            </dd>
            <svg
              className="viz-svg viz-spark"
              width={sparkWidth}
              height={SPARK_H}
              viewBox={`0 0 ${sparkWidth} ${SPARK_H}`}
              aria-hidden="true"
            >
              <line
                className="viz-spark-ref"
                x1={0}
                x2={sparkWidth}
                y1={r.spark.referenceY}
                y2={r.spark.referenceY}
              />
              {r.spark.d && <path className="viz-spark-line" d={r.spark.d} />}
              {r.spark.last && (
                <circle className="viz-spark-dot" cx={r.spark.last.x} cy={r.spark.last.y} r={3} />
              )}
            </svg>
          </div>
        ))}
        {latency && (
          <div className="viz-cost-row">
            <dt>{latency.label}</dt>
            <dd>
              <span className="viz-cost-now">{latency.format(latency.now)}</span>
              <span className="viz-cost-pct">
                {formatPercent(latency.seed > 0 ? latency.now / latency.seed : NaN)} of seed ({latency.format(latency.seed)})
              </span>
              <span className="viz-cost-pct">{latency.note}</span>
            </dd>
          </div>
        )}
      </dl>
    </section>
  );
});

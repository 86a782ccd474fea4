// The selected point of the trade-off chart: its structure against the seed's widths, and its
// numbers. Before a selection, a hint says how to pick one.
import type { SweepFile, SweepPoint } from '../../morphnet/sweep.ts';
import { formatCount } from '../../viz/format.ts';
import { FAMILY_NAMES } from '../../viz/layout/tradeoff.ts';
import { StructureDiagram } from '../../viz/StructureDiagram.tsx';
import { formatAccuracy } from '../../viz/TradeoffChart.tsx';
import { PointLatency } from './MeasuredLatency.tsx';

const TARGET_WORDS = { flops: 'FLOPs', size: 'size', latency: 'latency' } as const;

const pctOf = (v: number, of: number) => (of > 0 ? `${Math.round((v / of) * 100)}% of the seed` : '');

/** How the point was made, in words, from its settings. */
export function howMade(p: SweepPoint): string {
  const s = p.settings;
  if (s.family === 'uniform')
    return `every layer of the seed × ${s.multiplier}, trained from scratch for ${p.steps} steps`;
  if (s.family === 'pruning') {
    return `the trained seed with ${Math.round(s.fraction * 100)}% of each layer's filters removed (smallest L2 norm), fine-tuned for ${s.finetune} steps`;
  }
  return `learned at strength ${s.strength} towards ${TARGET_WORDS[s.target]}, expanded ×${s.omega.toFixed(2)} to ${Math.round(s.budget * 100)}% of the seed's cost, retrained for ${p.steps} steps`;
}

export function PointDetail(props: { sweep: SweepFile; point: SweepPoint | undefined }) {
  const { sweep, point } = props;
  if (!point) {
    return (
      <div className="tradeoff-detail tradeoff-detail-empty muted">
        Pick a point on the chart to see its structure and numbers.
      </div>
    );
  }
  const name = `${FAMILY_NAMES[point.family]} ${point.label}`;
  return (
    <div className="tradeoff-detail" role="region" aria-label="Selected point">
      <h3>{name}</h3>
      <dl className="tradeoff-numbers">
        <dt>test accuracy</dt>
        <dd>
          {formatAccuracy(point.testAccuracy)}{' '}
          <span className="muted small">of {sweep.testExamples} examples</span>
        </dd>
        <dt>FLOPs</dt>
        <dd>
          {formatCount(point.flops)}{' '}
          <span className="muted small">{pctOf(point.flops, sweep.seed.flops)}</span>
        </dd>
        <dt>parameters</dt>
        <dd>
          {formatCount(point.params)}{' '}
          <span className="muted small">{pctOf(point.params, sweep.seed.params)}</span>
        </dd>
        <PointLatency sweep={sweep} point={point} />
        {point.learned && (
          <>
            <dt>learned, before expansion</dt>
            <dd>
              {formatCount(point.learned.flops)} FLOPs · {formatCount(point.learned.params)} params
            </dd>
          </>
        )}
      </dl>
      <p className="small muted tradeoff-how">{howMade(point)}</p>
      <StructureDiagram
        spec={sweep.seed.spec}
        alive={point.widths}
        title={`Widths against the seed (faint): ${point.label}`}
        width={300}
        height={420}
      />
    </div>
  );
}

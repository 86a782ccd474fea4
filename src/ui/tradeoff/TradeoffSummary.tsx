// The sweep's result in words, computed from the file shown: each MorphNet point against the
// uniform and pruning curves at its own cost, and the command that produced the sweep.
import type { SweepFile } from '../../morphnet/sweep.ts';
import {
  compareMorphnet,
  headlineComparison,
  sameAsUniform,
  sweepCommand,
  type CostMetric,
} from '../../state/tradeoff/summary.ts';
import { formatCount } from '../../viz/format.ts';
import { formatAccuracy } from '../../viz/TradeoffChart.tsx';

/** A difference of accuracies in percentage points, signed: "+1.6 points". */
export const formatPoints = (d: number) => `${d >= 0 ? '+' : '−'}${Math.abs(d * 100).toFixed(1)} points`;

export function TradeoffSummary(props: {
  sweep: SweepFile;
  metric: CostMetric;
  fileName?: string | undefined;
  /** The page's own points (no file made them): the command is how to measure the same in Node. */
  measuredHere?: boolean;
}) {
  const { sweep, metric, fileName, measuredHere = false } = props;
  const seeds = sweep.settings.seeds ?? [sweep.settings.seed];
  const rows = compareMorphnet(sweep, metric);
  const head = headlineComparison(rows);
  const unit = metric === 'flops' ? 'FLOPs' : 'parameters';
  const cost = (p: { flops: number; params: number }) => formatCount(metric === 'flops' ? p.flops : p.params);
  // An exact hit (MorphNet's budget-1 point can be the seed itself) is not an interpolation.
  const uniformAt = (b: [{ label: string }, { label: string }]) =>
    b[0] === b[1]
      ? `the uniform width multiplier ${b[0].label}`
      : `the uniform width multiplier, interpolated between ${b[0].label} and ${b[1].label},`;
  return (
    <div className="tradeoff-summary">
      <h3>At equal {unit}</h3>
      {head?.uniform ? (
        <p className="tradeoff-headline" data-testid="tradeoff-headline">
          At {cost(head.point)} {unit}, MorphNet ({head.point.label}) reaches{' '}
          {formatAccuracy(head.point.testAccuracy)} test accuracy; {uniformAt(head.uniform.between)} reaches{' '}
          {formatAccuracy(head.uniform.accuracy)}:{' '}
          <strong>{formatPoints(head.point.testAccuracy - head.uniform.accuracy)}</strong> for MorphNet.
        </p>
      ) : (
        <p className="muted">
          {sweep.points.some((p) => p.family === 'uniform')
            ? `No MorphNet point lies within the uniform multipliers' range of ${unit}, so none is compared.`
            : 'This sweep has no uniform-multiplier points to compare MorphNet with.'}
        </p>
      )}
      {rows.length > 0 && (
        // Scrolls sideways on a narrow screen; focusable so the keyboard can scroll it too.
        <div
          className="tradeoff-table-scroll"
          role="region"
          aria-label={`MorphNet against the baselines at equal ${unit}`}
          tabIndex={0}
        >
          <table className="tradeoff-table">
            <thead>
              <tr>
                <th scope="col">MorphNet point</th>
                <th scope="col">{unit}</th>
                <th scope="col">accuracy</th>
                <th scope="col">uniform at equal {unit}</th>
                <th scope="col">pruning at equal {unit}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.point.label}>
                  <th scope="row">{r.point.label}</th>
                  <td>{cost(r.point)}</td>
                  <td>{formatAccuracy(r.point.testAccuracy)}</td>
                  <td>
                    {!r.uniform
                      ? 'out of range'
                      : sameAsUniform(r)
                        ? `same network as ${r.uniform.between[0].label}`
                        : `${formatAccuracy(r.uniform.accuracy)} (${formatPoints(r.point.testAccuracy - r.uniform.accuracy)})`}
                  </td>
                  <td>
                    {r.pruning
                      ? `${formatAccuracy(r.pruning.accuracy)} (${formatPoints(r.point.testAccuracy - r.pruning.accuracy)})`
                      : 'out of range'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="small muted">
        Baselines are interpolated linearly in log {unit} between their two nearest points, as the chart draws
        them; test accuracy is measured on {sweep.testExamples} examples, so one example is{' '}
        {(100 / sweep.testExamples).toFixed(2)} points.{' '}
        {seeds.length > 1
          ? `Each point is the mean of ${seeds.length} seeds (${seeds.join(', ')}), its bar their range; a difference inside that range is not evidence either way (docs/RESULTS.md judges each point seed by seed).`
          : 'Each point is one network trained from one seed, so a difference smaller than the seed-to-seed spread (docs/RESULTS.md measures it with `npm run results`) is not evidence either way.'}
        {sweep.skipped.length > 0 &&
          ` Skipped: ${sweep.skipped.map((s) => `${s.label} (${s.reason})`).join('; ')}.`}
      </p>
      <p className="small tradeoff-command-label">
        {measuredHere
          ? 'The same grid in Node, scored on the whole test set:'
          : seeds.length > 1
            ? `Made by \`npm run results\` (docs/RESULTS.md lists its commands): each seed swept on its own, then merged. The grid they cover, as one command for seed ${seeds[0]}:`
            : 'Made by:'}
      </p>
      <pre className="tradeoff-command">
        <code>{sweepCommand(sweep.settings, fileName ?? 'sweep.json')}</code>
      </pre>
    </div>
  );
}

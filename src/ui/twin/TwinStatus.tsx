// One line per twin run: how far it is, what it costs now against the seed, its test accuracy,
// and what it waits for (shader compilation on a first step can take a while).
import { runLabel } from '../../state/twin/controller.ts';
import type { TwinRun } from '../../state/twin/store.ts';
import { formatPercent } from '../../viz/format.ts';
import { formatAccuracy, formatMs } from '../format.ts';

export function TwinStatus(props: { run: TwinRun; steps: number }) {
  const { run, steps } = props;
  const label = runLabel(run.target);
  const name = label.charAt(0).toUpperCase() + label.slice(1);
  const share = (key: 'flops' | 'params') =>
    run.cost && run.seedCost ? formatPercent(run.cost[key] / run.seedCost[key]) : '–';
  return (
    <div className={`twin-status twin-${run.target}`}>
      <div className="twin-status-head">
        <strong>{name}</strong>
        <span>
          step <span data-testid={`twin-${run.target}-step`}>{run.step}</span> / {steps}
        </span>
      </div>
      <progress
        max={steps}
        value={Math.min(run.step, steps)}
        aria-label={`${name} progress`}
        title={`${run.step} of ${steps} steps trained`}
      />
      <div className="small muted">
        <span title="FLOPs of the alive network, as a share of the seed's">FLOPs {share('flops')}</span>
        {' · '}
        <span title="Parameters of the alive network, as a share of the seed's">
          params {share('params')}
        </span>
        {' · '}
        <span title="Test accuracy, measured when the run pauses or finishes (skipped where too slow)">
          test {formatAccuracy(run.testAccuracy)}
        </span>
        {' · '}
        <span title="Median time of one step">{formatMs(run.stepMs)}/step</span>
      </div>
      {run.error ? (
        <div className="twin-error" role="alert">
          {run.error}
        </div>
      ) : (
        // Always there (a blank line when idle), so the diagrams below do not jump.
        <div className="small twin-progress">{run.progress ? `${run.progress}…` : '\u00a0'}</div>
      )}
    </div>
  );
}

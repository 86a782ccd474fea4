// One line per twin run: how far it is, what it costs now against the seed, its test accuracy,
// and what it waits for (shader compilation on a first step can take a while).
import { hardwareName } from '../../state/runs/latency.ts';
import { formatNs } from '../../state/latency.ts';
import { runTitle } from '../../state/twin/labels.ts';
import type { TwinRun } from '../../state/twin/store.ts';
import { formatPercent } from '../../viz/format.ts';
import { formatAccuracy, formatMs } from '../format.ts';

export function TwinStatus(props: { run: TwinRun; steps: number }) {
  const { run, steps } = props;
  const name = runTitle(run.target);
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
        {run.latencyNs !== null && run.seedLatencyNs !== null && (
          <>
            {' · '}
            <span
              data-testid={`twin-${run.target}-latency`}
              title={`Predicted latency of the alive network (${formatNs(run.latencyNs)}), as a share of the seed's`}
            >
              latency {formatPercent(run.latencyNs / run.seedLatencyNs)}
            </span>
          </>
        )}
        {' · '}
        <span title="Test accuracy, measured when the run pauses or finishes (skipped where too slow)">
          test {formatAccuracy(run.testAccuracy)}
        </span>
        {' · '}
        <span title="Median time of one step">{formatMs(run.stepMs)}/step</span>
      </div>
      {run.latency && (
        <div className="small muted" data-testid="twin-latency-device">
          priced for {hardwareName(run.latency)}, batch {run.latency.batch}
        </div>
      )}
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

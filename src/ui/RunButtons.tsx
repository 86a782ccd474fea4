// Train/Pause, Step, Reset and Expand, with the step counter and speed beside them. The keyboard
// shortcuts (Space, S, E) are named in each tooltip and in aria-keyshortcuts.
import { openExpand, resetRun, stepOnce, toggleTraining } from '../state/actions.ts';
import { useStudio } from '../state/store.ts';
import { formatMs } from './format.ts';

export function RunButtons() {
  const ready = useStudio((s) => s.ready);
  const running = useStudio((s) => s.running);
  const step = useStudio((s) => s.step);
  const stepMs = useStudio((s) => s.stepMs);
  const lostDevice = useStudio((s) => s.error?.kind === 'device');
  // A step is already on its way (its first one compiles for seconds): one click is enough.
  const stepping = useStudio((s) => s.progress.compile !== undefined);
  return (
    <div className="run-buttons">
      <div className="button-row">
        <button
          type="button"
          className={`primary ${running ? 'pause' : ''}`}
          disabled={!ready || lostDevice}
          onClick={toggleTraining}
          aria-keyshortcuts="Space"
          title={running ? 'Pause training (Space)' : 'Train continuously in the background worker (Space)'}
        >
          {running ? 'Pause' : 'Train'}
        </button>
        <button
          type="button"
          disabled={!ready || running || lostDevice || stepping}
          onClick={stepOnce}
          aria-keyshortcuts="S"
          title="Take one training step and show it (S)"
        >
          Step
        </button>
        {/* Never disabled: with no network ready (a stuck or failed worker) Reset starts a new one. */}
        <button
          type="button"
          onClick={resetRun}
          title="Start over from the seed network with fresh weights (cycle 0, step 0)"
        >
          Reset
        </button>
        <button
          type="button"
          className="accent"
          data-tour="expand"
          disabled={!ready || lostDevice}
          onClick={openExpand}
          aria-keyshortcuts="E"
          title="Preview expanding the learned structure back to a budget, then retrain it (E)"
        >
          Expand…
        </button>
      </div>
      <dl className="run-stats">
        <div>
          <dt>Step</dt>
          <dd data-testid="step">{step}</dd>
        </div>
        <div title="Median time of one training step lately">
          <dt>Per step</dt>
          <dd>{formatMs(stepMs)}</dd>
        </div>
      </dl>
    </div>
  );
}

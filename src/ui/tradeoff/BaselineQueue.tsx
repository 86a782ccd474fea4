// The page's own uniform baseline: the network the page is training, at each width multiplier,
// trained from scratch in the background (src/state/tradeoff/queue.ts) with progress, and kept in
// this browser so a second visit shows the measured points at once.
import { useEffect, useId, useState } from 'react';
import { useStudio } from '../../state/store.ts';
import {
  loadQueuePoints,
  pauseQueue,
  queueContext,
  resumeQueue,
  startQueue,
  stopQueue,
} from '../../state/tradeoff/queue.ts';
import { useQueueStore } from '../../state/tradeoff/queue-store.ts';
import { formatCount } from '../../viz/format.ts';
import { formatAccuracy } from '../../viz/TradeoffChart.tsx';

/** "0.25, 0.5,1" → [0.25, 0.5, 1]; a bad entry is one line naming it. */
export function parseMultipliers(text: string): number[] | string {
  const parts = text.split(',').map((p) => p.trim());
  const out: number[] = [];
  for (const p of parts) {
    const n = Number(p);
    if (p === '' || !Number.isFinite(n) || n <= 0 || n > 4) {
      return `Multipliers: expected numbers in (0, 4] separated by commas, got "${p}"`;
    }
    if (!out.includes(n)) out.push(n);
  }
  return out.sort((a, b) => a - b);
}

export function parseSteps(text: string): number | string {
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 1 || n > 100_000) {
    return `Steps: expected a whole number from 1 to 100000, got "${text.trim()}"`;
  }
  return n;
}

export function BaselineQueue() {
  const q = useQueueStore();
  const seedSpec = useStudio((s) => s.seedSpec);
  const settings = useStudio((s) => s.settings);
  const importedSpec = useStudio((s) => s.importedSpec);
  const [multipliersText, setMultipliersText] = useState(q.multipliers.join(', '));
  const [stepsText, setStepsText] = useState(String(q.steps));
  const [inputError, setInputError] = useState<string | null>(null);
  const ids = { m: useId(), s: useId() };
  // The network, dataset and settings the cached points must match. queueContext reads them from
  // the store; this component re-renders when they change because it selects them above.
  const context = seedSpec ? queueContext() : null;
  useEffect(() => {
    if (context) void loadQueuePoints();
  }, [context]);

  const busy = q.phase === 'running' || q.phase === 'paused';
  const start = () => {
    const m = parseMultipliers(multipliersText);
    const s = parseSteps(stepsText);
    const error = typeof m === 'string' ? m : typeof s === 'string' ? s : null;
    setInputError(error);
    if (error === null && typeof m !== 'string' && typeof s !== 'string') void startQueue(m, s);
  };
  const points = q.context === context ? q.points : [];
  const netName = importedSpec ? importedSpec.name : settings.net;

  return (
    <div className="tradeoff-queue" role="region" aria-label="Uniform baselines on this page">
      <h3>Uniform baselines for this page&apos;s network</h3>
      <p className="small muted tradeoff-queue-intro">
        Trains {netName} on {settings.dataset} at each width multiplier from scratch, one after the other, in
        a worker of its own: the page&apos;s batch ({settings.batch}), learning rate ({settings.lr}) and seed
        ({settings.seed}), no MorphNet penalty. Measured points are kept in this browser. Test accuracy is the
        page&apos;s quick estimate (up to 400 test examples), so compare these with each other and with this
        page&apos;s runs, not with the sweep file above.
      </p>
      <div className="tradeoff-queue-controls">
        <label htmlFor={ids.m}>Multipliers</label>
        <input
          id={ids.m}
          className="tradeoff-queue-multipliers"
          value={multipliersText}
          disabled={busy}
          onChange={(e) => setMultipliersText(e.currentTarget.value)}
        />
        <label htmlFor={ids.s}>Steps per network</label>
        <input
          id={ids.s}
          className="tradeoff-queue-steps"
          inputMode="numeric"
          value={stepsText}
          disabled={busy}
          onChange={(e) => setStepsText(e.currentTarget.value)}
        />
        {!busy && (
          <button type="button" className="secondary" onClick={start} disabled={!seedSpec}>
            Train baselines
          </button>
        )}
        {q.phase === 'running' && (
          <button type="button" className="secondary" onClick={pauseQueue}>
            Pause baselines
          </button>
        )}
        {q.phase === 'paused' && (
          <button type="button" className="secondary" onClick={resumeQueue}>
            Resume baselines
          </button>
        )}
        {busy && (
          <button type="button" className="secondary" onClick={stopQueue}>
            Stop baselines
          </button>
        )}
      </div>
      {(inputError ?? q.message) && (
        <p className="field-error" role="alert">
          {inputError ?? q.message}
        </p>
      )}
      {busy && q.current && (
        <div className="tradeoff-queue-progress">
          <progress
            aria-label="Baseline queue"
            max={q.total * q.steps}
            value={q.done * q.steps + Math.min(q.current.step, q.steps)}
          />
          <span className="small" role="status">
            {q.phase === 'paused' ? 'Paused: ' : ''}×{q.current.multiplier} ({q.done + 1} of {q.total}): step{' '}
            {q.current.step}/{q.steps}
            {q.current.label ? ` · ${q.current.label}` : ''}
          </span>
        </div>
      )}
      {points.length > 0 ? (
        <table className="tradeoff-table tradeoff-queue-table">
          <thead>
            <tr>
              <th scope="col">multiplier</th>
              <th scope="col">FLOPs</th>
              <th scope="col">parameters</th>
              <th scope="col">test accuracy</th>
              <th scope="col">steps</th>
              <th scope="col">time</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.key}>
                <th scope="row">{p.label}</th>
                <td>{formatCount(p.flops)}</td>
                <td>{formatCount(p.params)}</td>
                <td>{p.testAccuracy === null ? 'not measured' : formatAccuracy(p.testAccuracy)}</td>
                <td>{p.steps}</td>
                <td>{p.seconds.toFixed(0)} s</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        !busy && <p className="small muted">No baselines measured yet for this network and these settings.</p>
      )}
    </div>
  );
}

// The page's own trade-off: the network the page is training, measured the three ways the chart
// compares (uniform multiplier, magnitude pruning, MorphNet) in the background
// (src/state/tradeoff/queue.ts) with progress, and kept in this browser so a second visit shows
// the measured points at once. The chart shows them when "this page's network" is picked.
import { useEffect, useId, useState } from 'react';
import { useStudio } from '../../state/store.ts';
import { setTradeoffView } from '../../state/tradeoff/actions.ts';
import {
  loadQueuePoints,
  pauseQueue,
  queueContext,
  resumeInterruptedQueue,
  resumeQueue,
  startQueue,
  stopQueue,
} from '../../state/tradeoff/queue.ts';
import { useQueueStore, type QueueGrid } from '../../state/tradeoff/queue-store.ts';
import { planJobs } from '../../state/tradeoff/plan.ts';
import { formatCount } from '../../viz/format.ts';
import { formatDuration, formatMs } from '../format.ts';
import { formatAccuracy } from '../../viz/TradeoffChart.tsx';
import { parseCount, parseList } from './grid-input.ts';

const FAMILY_NAMES = { uniform: 'uniform', pruning: 'pruning', morphnet: 'MorphNet' } as const;

type Field = 'steps' | 'multipliers' | 'fractions' | 'finetune' | 'strengths' | 'budgets';
const FIELDS: { key: Field; label: string; title: string }[] = [
  { key: 'steps', label: 'Steps per network', title: 'Training steps of every network trained from scratch' },
  { key: 'multipliers', label: 'Multipliers', title: "Uniform width multipliers: the seed's widths × each" },
  {
    key: 'fractions',
    label: 'Pruning fractions',
    title: "Fractions of each layer's filters removed (0 to 1)",
  },
  {
    key: 'finetune',
    label: 'Fine-tuning steps',
    title: 'Steps each pruned network trains from the pruned weights',
  },
  { key: 'strengths', label: 'MorphNet strengths', title: 'Strengths to learn a structure at (× 1/F(seed))' },
  {
    key: 'budgets',
    label: 'Budgets',
    title: "Fractions of the seed's cost each learned structure is expanded to",
  },
];

/** The text fields as a grid, or the first bad field's one line. */
export function readGrid(text: Record<Field, string>): QueueGrid | string {
  const steps = parseCount(text.steps, 'Steps per network');
  const multipliers = parseList(text.multipliers, 'Multipliers', { min: 0, max: 4 }, true);
  const fractions = parseList(text.fractions, 'Pruning fractions', { min: 0, max: 1, closed: true }, true);
  const finetune = parseCount(text.finetune, 'Fine-tuning steps', 0);
  const strengths = parseList(text.strengths, 'MorphNet strengths', { min: 0, max: 1000 }, true);
  const budgets = parseList(text.budgets, 'Budgets', { min: 0, max: 4 });
  for (const v of [steps, multipliers, fractions, finetune, strengths, budgets])
    if (typeof v === 'string') return v;
  const grid = { steps, multipliers, fractions, finetune, strengths, budgets } as QueueGrid;
  if (grid.multipliers.length + grid.fractions.length + grid.strengths.length === 0) {
    return 'Nothing to train: give multipliers, pruning fractions or MorphNet strengths.';
  }
  return grid;
}

const asText = (q: QueueGrid): Record<Field, string> => ({
  steps: String(q.steps),
  multipliers: q.multipliers.join(', '),
  fractions: q.fractions.join(', '),
  finetune: String(q.finetune),
  strengths: q.strengths.join(', '),
  budgets: q.budgets.join(', '),
});

const plural = (n: number, what: string) => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;

export function PageQueue() {
  const q = useQueueStore();
  const seedSpec = useStudio((s) => s.seedSpec);
  const settings = useStudio((s) => s.settings);
  const importedSpec = useStudio((s) => s.importedSpec);
  const [text, setText] = useState(() => asText(q));
  const [inputError, setInputError] = useState<string | null>(null);
  const id = useId();
  // The network, dataset and settings the kept points must match. queueContext reads them from
  // the store; this component re-renders when they change because it selects them above.
  const context = seedSpec ? queueContext() : null;
  useEffect(() => {
    if (!context) return;
    // Then a queue an earlier visit left running (a reload, a crash) picks up where it was.
    void loadQueuePoints().then(() => resumeInterruptedQueue());
  }, [context]);

  const busy = q.phase === 'running' || q.phase === 'paused';
  const start = () => {
    const grid = readGrid(text);
    setInputError(typeof grid === 'string' ? grid : null);
    if (typeof grid === 'string') return;
    setTradeoffView('page');
    void startQueue(grid);
  };
  const points = q.context === context ? q.points : [];
  const stepMs = useStudio((s) => s.stepMs);
  const grid = readGrid(text);
  const plan =
    typeof grid === 'string' || !context
      ? null
      : planJobs(
          { ...grid, target: settings.target, threshold: settings.threshold },
          context,
          new Set(points.map((p) => p.key)),
        );
  const netName = importedSpec ? importedSpec.name : settings.net;
  const target = { flops: 'FLOPs', size: 'size', latency: 'latency' }[settings.target];

  return (
    <div className="tradeoff-queue" role="region" aria-label="Measure this page's network">
      <h3>Measure this page&apos;s network</h3>
      <p className="small muted tradeoff-queue-intro">
        Trains {netName} on {settings.dataset} the three ways the chart compares, one network after the other
        in a worker of its own, with the page&apos;s batch ({settings.batch}), learning rate ({settings.lr})
        and seed ({settings.seed}): each multiplier from scratch; the seed trained once, then pruned at each
        fraction and fine-tuned; MorphNet learning toward {target} (the page&apos;s target, threshold{' '}
        {settings.threshold}) at each strength, expanded to each budget and retrained from scratch.{' '}
        {q.keepError
          ? 'This browser is not keeping the measured points now (see below).'
          : 'Measured points are kept in this browser, and a queue cut short by a reload resumes on your next visit.'}{' '}
        Test accuracy is the page&apos;s quick estimate (up to 400 test examples), so compare them with each
        other, not with a sweep file.
      </p>
      <div className="tradeoff-queue-controls">
        {FIELDS.map((f) => (
          <span key={f.key} className="tradeoff-queue-field">
            <label htmlFor={`${id}-${f.key}`} title={f.title}>
              {f.label}
            </label>
            <input
              id={`${id}-${f.key}`}
              className={`tradeoff-queue-${f.key}`}
              inputMode={f.key === 'steps' || f.key === 'finetune' ? 'numeric' : 'decimal'}
              value={text[f.key]}
              disabled={busy}
              title={f.title}
              onChange={(e) => setText({ ...text, [f.key]: e.currentTarget.value })}
            />
          </span>
        ))}
      </div>
      {plan && !busy && (
        <p className="small muted tradeoff-queue-estimate" data-testid="queue-estimate">
          {plan.points === 0
            ? q.keepError
              ? 'Every point asked for is measured (not all of them kept: see below).'
              : 'Every point asked for is measured already.'
            : `${plural(plan.points, 'point')} to measure: ${plural(plan.steps, 'training step')} and ${plural(plan.builds, 'network')} to build` +
              (stepMs
                ? `. The steps alone take roughly ${formatDuration(plan.steps * stepMs)} at the ${formatMs(stepMs)} per step the page last measured (for the seed network; smaller ones step faster); on a GPU each new network also compiles its programs first, which on a software adapter can take longer than all the steps.`
                : '.')}
        </p>
      )}
      <div className="button-row">
        {!busy && (
          <button type="button" className="secondary" onClick={start} disabled={!seedSpec}>
            Measure the trade-off
          </button>
        )}
        {q.phase === 'running' && (
          <button type="button" className="secondary" onClick={pauseQueue}>
            Pause
          </button>
        )}
        {q.phase === 'paused' && (
          <button type="button" className="secondary" onClick={resumeQueue}>
            Resume
          </button>
        )}
        {busy && (
          <button type="button" className="secondary" onClick={stopQueue}>
            Stop
          </button>
        )}
      </div>
      {(inputError ?? q.message) && (
        <p className="field-error" role="alert">
          {inputError ?? q.message}
        </p>
      )}
      {q.keepError && (
        <p className="field-error" role="alert" data-testid="queue-keep-error">
          {q.keepError}
        </p>
      )}
      {q.resumed && busy && (
        <p className="small muted" role="status">
          {q.resumed}
        </p>
      )}
      {busy && q.current && (
        <div className="tradeoff-queue-progress">
          <progress aria-label="Trade-off queue" max={q.totalSteps} value={q.doneSteps} />
          <span className="small" role="status">
            {q.phase === 'paused' ? 'Paused: ' : ''}
            {q.current.label} ({Math.min(q.done + 1, q.total)} of {q.total} points): {q.current.task}, step{' '}
            {q.current.step}/{q.current.steps}
            {q.current.wait ? ` · ${q.current.wait}` : ''}
          </span>
        </div>
      )}
      {q.skipped.length > 0 && (
        <ul className="small muted tradeoff-queue-skipped">
          {q.skipped.map((s) => (
            <li key={s.label}>
              {s.label}: not trained. {s.reason}
            </li>
          ))}
        </ul>
      )}
      {points.length > 0 ? (
        // Scrolls sideways on a narrow screen; focusable so the keyboard can scroll it too.
        <div className="tradeoff-table-scroll" role="region" aria-label="Measured points" tabIndex={0}>
          <table className="tradeoff-table tradeoff-queue-table">
            <thead>
              <tr>
                <th scope="col">family</th>
                <th scope="col">point</th>
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
                  <td>{FAMILY_NAMES[p.family]}</td>
                  <th scope="row">
                    {p.label}
                    {p.settings.family === 'morphnet' && p.settings.target !== settings.target
                      ? ` (toward ${p.settings.target})`
                      : ''}
                  </th>
                  <td>{formatCount(p.flops)}</td>
                  <td>{formatCount(p.params)}</td>
                  <td>{p.testAccuracy === null ? 'not measured' : formatAccuracy(p.testAccuracy)}</td>
                  <td>{p.settings.family === 'pruning' ? `${p.steps} + ${p.settings.finetune}` : p.steps}</td>
                  <td>{p.seconds.toFixed(0)} s</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        !busy && <p className="small muted">Nothing measured yet for this network and these settings.</p>
      )}
    </div>
  );
}

// The run's controls. Every one has a visible label (its accessible name) and a tooltip that
// says what it does in MorphNet terms, for a class following along. A classroom link
// (`?hide=strength,lr`) hides the controls a teacher wants fixed.
import { useId } from 'react';
import { setSetting } from '../state/actions.ts';
import { useStudio } from '../state/store.ts';
import { DATASETS, LIMITS, parseHidden, type ControlName } from '../state/url.ts';
import type { DatasetName } from '../engine/types.ts';
import { CommitNumber } from './CommitNumber.tsx';
import { formatSmall } from './format.ts';
import { LogSlider } from './LogSlider.tsx';
import { NetworkPicker } from './NetworkPicker.tsx';
import { StartFrom } from './StartFrom.tsx';
import { LatencyControls } from './latency/LatencyControls.tsx';

const DATASET_LABELS: Record<DatasetName, string> = {
  mnist: 'MNIST digits',
  fashion: 'Fashion-MNIST',
  shapes: 'Shapes (small, fast)',
};
const BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/** Each hideable control's name on the page. */
export const CONTROL_LABELS: Record<ControlName, string> = {
  target: 'Target',
  strength: 'Strength',
  threshold: 'Threshold',
  lr: 'Learning rate',
  batch: 'Batch size',
  seed: 'Random seed',
  dataset: 'Dataset',
  net: 'Network',
};

let hiddenOnLoad: ReadonlySet<ControlName> | null = null;
/** The controls the page's link hides (read once: the page never changes `hide=` itself). */
export function hiddenControls(): ReadonlySet<ControlName> {
  hiddenOnLoad ??= new Set(typeof window === 'undefined' ? [] : parseHidden(window.location.search).hidden);
  return hiddenOnLoad;
}

/** The page's address without `hide=`: every control shown again. */
function showAllHref(): string {
  const params = new URLSearchParams(window.location.search);
  params.delete('hide');
  const q = params.toString();
  return `${window.location.pathname}${q === '' ? '' : `?${q}`}`;
}

function HiddenNote({ hidden }: { hidden: ReadonlySet<ControlName> }) {
  if (hidden.size === 0) return null;
  const names = [...hidden].map((c) => CONTROL_LABELS[c]).join(', ');
  return (
    <p className="small muted hidden-note" title="This link was made for a class: some controls are fixed">
      This link hides {hidden.size === 1 ? 'a control' : `${hidden.size} controls`} ({names}).{' '}
      <a href={showAllHref()} title="Open the same settings with every control shown">
        Show all
      </a>
    </p>
  );
}

export function TargetRadios() {
  const target = useStudio((s) => s.settings.target);
  return (
    <fieldset
      className="field target"
      data-tour="target"
      title="The resource the regularizer charges each channel for; switch it any time"
    >
      <legend>Target</legend>
      <div className="segmented" role="radiogroup" aria-label="Target">
        {(
          [
            ['flops', 'FLOPs', 'Charge channels for compute: thins the early, high-resolution layers'],
            ['size', 'Model size', 'Charge channels for weights: thins the late, wide layers'],
            ['latency', 'Latency', 'Charge channels for time on a device: compute or memory traffic, whichever bounds each op'],
          ] as const
        ).map(([value, label, title]) => (
          <label key={value} title={title} className={target === value ? 'on' : ''}>
            <input
              type="radio"
              name="target"
              value={value}
              checked={target === value}
              onChange={() => setSetting('target', value)}
            />
            {label}
          </label>
        ))}
      </div>
      {target === 'latency' && <LatencyControls />}
    </fieldset>
  );
}

export function Controls() {
  const settings = useStudio((s) => s.settings);
  const batchId = useId();
  const datasetId = useId();
  const batches = BATCHES.includes(settings.batch)
    ? BATCHES
    : [...BATCHES, settings.batch].sort((a, b) => a - b);
  const hidden = hiddenControls();
  const shown = (c: ControlName) => !hidden.has(c);
  return (
    <div className="controls">
      <HiddenNote hidden={hidden} />
      {shown('target') && <TargetRadios />}
      {shown('strength') && (
        <LogSlider
          label="Strength (× 1/F of the seed)"
          title="How hard the regularizer pushes γ to zero, as a multiple of 1/F(seed) so one scale fits both targets. Larger shrinks more; too large collapses everything."
          value={settings.strength}
          min={LIMITS.strength.min}
          max={LIMITS.strength.max}
          format={formatSmall}
          onChange={(v) => setSetting('strength', v)}
        />
      )}
      {shown('threshold') && (
        <LogSlider
          label="Threshold on |γ|"
          title="A channel whose |γ| is at or below this is dead. Put it in the gap of the histograms (you can drag it there too)."
          value={settings.threshold}
          min={LIMITS.threshold.min}
          max={LIMITS.threshold.max}
          format={formatSmall}
          onChange={(v) => setSetting('threshold', v)}
        />
      )}
      {shown('lr') && (
        <LogSlider
          label="Learning rate"
          title="Step size of the optimizer; kept constant while the network shrinks"
          value={settings.lr}
          min={1e-4}
          max={LIMITS.lr.max}
          format={formatSmall}
          onChange={(v) => setSetting('lr', v)}
        />
      )}
      {(shown('batch') || shown('seed')) && (
        <div className="field-row">
          {shown('batch') && (
            <div className="field" title="Examples per training step. Changing it starts a new run.">
              <label htmlFor={batchId}>Batch size</label>
              <select
                id={batchId}
                value={settings.batch}
                title="Examples per training step. Changing it starts a new run."
                onChange={(e) => setSetting('batch', Number(e.currentTarget.value))}
              >
                {batches.map((b) => (
                  <option key={b} value={b}>
                    {b}
                  </option>
                ))}
              </select>
            </div>
          )}
          {shown('seed') && (
            <CommitNumber
              label="Random seed"
              title="Seeds the initial weights and the order of examples, so a run can be repeated. Changing it starts a new run."
              value={settings.seed}
              min={LIMITS.seed.min}
              max={LIMITS.seed.max}
              onCommit={(v) => setSetting('seed', v)}
            />
          )}
        </div>
      )}
      {shown('dataset') && (
        <div className="field" title="The images to learn from. Changing it starts a new run.">
          <label htmlFor={datasetId}>Dataset</label>
          <select
            id={datasetId}
            value={settings.dataset}
            title="The images to learn from. Changing it starts a new run."
            onChange={(e) => {
              const v = DATASETS.find((d) => d === e.currentTarget.value);
              if (v) setSetting('dataset', v);
            }}
          >
            {DATASETS.map((d) => (
              <option key={d} value={d}>
                {DATASET_LABELS[d]}
              </option>
            ))}
          </select>
        </div>
      )}
      {shown('net') && <NetworkPicker />}
      {shown('net') && <StartFrom />}
    </div>
  );
}

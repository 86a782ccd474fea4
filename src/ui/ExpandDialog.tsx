// MorphNet's expansion step as a preview: the budget ζ (the seed's cost under the current target
// unless edited), the ω the worker found, the new widths beside the learned ones, and the new
// FLOPs and size. "Retrain" rebuilds at those widths with fresh weights: the next cycle.
import { useEffect, useId, useRef, useState } from 'react';
import type { NetworkSpec } from '../morphnet/types.ts';
import { closeExpand, defaultBudget, retrain, setBudget } from '../state/actions.ts';
import { useStudio } from '../state/store.ts';
import { StructureDiagram } from '../viz/StructureDiagram.tsx';
import { formatCount } from './format.ts';
import { formatNs } from '../state/latency.ts';
import { costLatencyRow, usePricedLatency } from './latency/usePricedLatency.ts';

/** The budget's unit per target: latency is priced in ns on the latency device. */
const UNIT = { flops: 'FLOPs', size: 'parameters', latency: 'ns of predicted latency' } as const;
const WHAT = { flops: 'FLOPs', size: 'size', latency: 'predicted latency' } as const;

function widest(spec: NetworkSpec): number {
  return Math.max(1, ...spec.layers.map((l) => (l.type === 'conv' ? l.filters : 0)));
}

function BudgetInput() {
  const id = useId();
  const budget = useStudio((s) => s.budget);
  const target = useStudio((s) => s.settings.target);
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft !== null && Number(draft) > 0) setBudget(Math.round(Number(draft)));
    setDraft(null);
  };
  const unit = UNIT[target];
  const title = `The cost the expanded network may have, in ${unit}. It starts at the seed's own cost.`;
  return (
    <div className="field" title={title}>
      <label htmlFor={id}>Budget ζ ({unit})</label>
      <div className="field-row tight">
        <input
          id={id}
          type="number"
          min={1}
          step={1}
          title={title}
          value={draft ?? (budget === null ? '' : String(budget))}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              commit();
            }
          }}
        />
        <span className="muted">{budget === null ? '' : target === 'latency' ? formatNs(budget) : formatCount(budget)}</span>
        <button
          type="button"
          className="secondary"
          title="Set the budget back to the seed network's cost"
          onClick={() => {
            const b = defaultBudget();
            if (b !== null) setBudget(b);
            setDraft(null);
          }}
        >
          Seed's cost
        </button>
      </div>
    </div>
  );
}

export function ExpandDialog() {
  const open = useStudio((s) => s.expandOpen);
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const spec = useStudio((s) => s.spec);
  const cost = useStudio((s) => s.cost);
  const preview = useStudio((s) => s.preview);
  const expanding = useStudio((s) => s.expanding);
  const cycle = useStudio((s) => s.cycle);
  const target = useStudio((s) => s.settings.target);
  const alive = useStudio((s) => s.alive);
  const seedSpec = useStudio((s) => s.seedSpec);
  const priced = usePricedLatency();
  const latencyNow = target === 'latency' ? costLatencyRow(spec, seedSpec, alive, priced)?.now : undefined;

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  const max = spec && preview ? Math.max(widest(spec), widest(preview.spec)) : undefined;
  const overBudget = preview
    ? (target === 'flops'
        ? preview.cost.flops
        : target === 'size'
          ? preview.cost.params
          : (preview.cost.latencyNs ?? Infinity)) > preview.budget
    : false;
  return (
    <dialog ref={ref} className="expand-dialog" aria-labelledby={titleId} onClose={closeExpand}>
      <h2 id={titleId}>Expand</h2>
      <p className="muted">
        Multiply every learned width by one factor ω, the largest whose{' '}
        {WHAT[target]} fit the budget, then retrain from scratch. This starts cycle{' '}
        {cycle + 1} (×{cycle + 1}).
      </p>
      <BudgetInput />
      <div className="expand-body" aria-busy={expanding}>
        {expanding && !preview && <progress aria-label="Computing the expansion" />}
        {preview && spec && (
          <>
            <dl className="expand-numbers">
              <div>
                <dt>ω</dt>
                <dd data-testid="omega">{preview.omega.toFixed(3)}</dd>
              </div>
              <div>
                <dt>FLOPs</dt>
                <dd>
                  {cost ? formatCount(cost.flops) : '–'} → <strong>{formatCount(preview.cost.flops)}</strong>
                </dd>
              </div>
              <div>
                <dt>Parameters</dt>
                <dd>
                  {cost ? formatCount(cost.params) : '–'} →{' '}
                  <strong>{formatCount(preview.cost.params)}</strong>
                </dd>
              </div>
              {preview.cost.latencyNs !== undefined && (
                <div>
                  <dt>Latency</dt>
                  <dd>
                    {latencyNow === undefined ? '–' : formatNs(latencyNow)} → <strong>{formatNs(preview.cost.latencyNs)}</strong>
                  </dd>
                </div>
              )}
            </dl>
            {overBudget && <p className="notice warn">Even ω at its smallest exceeds this budget.</p>}
            <div className="expand-diagrams">
              <StructureDiagram
                spec={spec}
                alive={preview.learned}
                title="Learned"
                width={300}
                height={380}
                maxChannels={max}
              />
              <StructureDiagram
                spec={preview.spec}
                title={`Expanded (×${preview.omega.toFixed(2)})`}
                width={300}
                height={380}
                maxChannels={max}
              />
            </div>
          </>
        )}
      </div>
      <div className="button-row end">
        <button type="button" onClick={closeExpand} title="Close without changing anything">
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={!preview || expanding}
          onClick={retrain}
          title="Rebuild the network at the expanded widths with fresh weights and train it"
        >
          Retrain
        </button>
      </div>
    </dialog>
  );
}

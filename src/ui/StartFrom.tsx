// "Start from": untrained, or the seed network trained on MNIST or Fashion-MNIST (issue 11), as
// MorphNet is often used in practice: the γ histograms mean something from step 0, test accuracy
// is high at once, and the shrinking shows within seconds. Offered only where weights ship for
// the chosen seed and the data has the images they were trained on (not an imported network,
// not the shapes set).
import { useEffect, useId } from 'react';
import { chooseStart } from '../state/pretrained/actions.ts';
import { choiceLabel, choicesFor, START_CHOICES, type StartChoice } from '../state/pretrained/manifest.ts';
import { loadIndex, useStartFrom } from '../state/pretrained/start.ts';
import { useStudio } from '../state/store.ts';

const TITLE =
  'The weights the seed network starts from: fresh random ones, or ones already trained to convergence on a dataset (then MorphNet thins a network that already works). Changing it starts a new run.';

/** Why only "untrained" is offered, or null when trained weights can be. */
function unavailable(imported: boolean, dataset: string): string | null {
  if (imported) return 'No trained weights for an imported network.';
  if (dataset === 'shapes') return 'Trained weights are for the 28×28 MNIST and Fashion-MNIST images.';
  return null;
}

export function StartFrom() {
  const id = useId();
  const noteId = useId();
  const imported = useStudio((s) => s.importedSpec !== null);
  const net = useStudio((s) => s.settings.net);
  const dataset = useStudio((s) => s.settings.dataset);
  const { choice, index, loading } = useStartFrom();
  useEffect(() => void loadIndex(), []);
  const why = unavailable(imported, dataset);
  const choices = why === null ? choicesFor(index, net) : (['untrained'] as StartChoice[]);
  // A choice from the link is shown while the list of files is still on its way.
  const shown = why === null ? START_CHOICES.filter((c) => c === choice || choices.includes(c)) : choices;
  const note = why ?? (index !== null && choices.length === 1 ? 'No trained weights ship for this network.' : null);
  return (
    <div className="field" title={TITLE}>
      <label htmlFor={id}>Start from</label>
      <select
        id={id}
        value={why === null ? choice : 'untrained'}
        title={TITLE}
        disabled={shown.length === 1}
        aria-describedby={note === null ? undefined : noteId}
        onChange={(e) => {
          const v = START_CHOICES.find((c) => c === e.currentTarget.value);
          if (v) chooseStart(v);
        }}
      >
        {shown.map((c) => (
          <option key={c} value={c}>
            {choiceLabel(c)}
          </option>
        ))}
      </select>
      {note !== null && (
        <p id={noteId} className="small muted">
          {note}
        </p>
      )}
      {loading && <p className="small muted">Loading the trained weights…</p>}
    </div>
  );
}

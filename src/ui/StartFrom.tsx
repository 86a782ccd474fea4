// "Start from": untrained, or the seed network trained on MNIST or Fashion-MNIST (issue 11), as
// MorphNet is often used in practice: the γ histograms mean something from step 0, test accuracy
// is high at once, and the shrinking shows within seconds. Offered only where weights ship for
// the chosen seed (an imported network has none).
import { useEffect, useId } from 'react';
import { chooseStart } from '../state/pretrained/actions.ts';
import { choiceLabel, choicesFor, START_CHOICES } from '../state/pretrained/manifest.ts';
import { loadIndex, useStartFrom } from '../state/pretrained/start.ts';
import { useStudio } from '../state/store.ts';

const TITLE =
  'The weights the seed network starts from: fresh random ones, or ones already trained to convergence on a dataset (then MorphNet thins a network that already works). Changing it starts a new run.';

export function StartFrom() {
  const id = useId();
  const noteId = useId();
  const net = useStudio((s) => (s.importedSpec ? null : s.settings.net));
  const { choice, index, loading } = useStartFrom();
  useEffect(() => void loadIndex(), []);
  const choices = choicesFor(index, net);
  const only = choices.length === 1;
  // A choice from the link is shown while the list of files is still on its way.
  const shown = choices.includes(choice) ? choices : START_CHOICES.filter((c) => c === choice || choices.includes(c));
  return (
    <div className="field" title={TITLE}>
      <label htmlFor={id}>Start from</label>
      <select
        id={id}
        value={net === null ? 'untrained' : choice}
        title={TITLE}
        disabled={only && choice === 'untrained'}
        aria-describedby={only ? noteId : undefined}
        onChange={(e) => {
          const v = START_CHOICES.find((c) => c === e.currentTarget.value);
          if (v) chooseStart(v);
        }}
      >
        {(net === null ? ['untrained' as const] : shown).map((c) => (
          <option key={c} value={c}>
            {choiceLabel(c)}
          </option>
        ))}
      </select>
      {only && (net === null || index !== null) && (
        <p id={noteId} className="small muted">
          {net === null ? 'No trained weights for an imported network.' : 'No trained weights ship for this network.'}
        </p>
      )}
      {loading && <p className="small muted">Loading the trained weights…</p>}
    </div>
  );
}

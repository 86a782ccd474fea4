// A whole-number input that applies on Enter or blur, not per keystroke: each change of the
// random seed starts a new run, and typing "42" must not start runs for 4 and then 42.
import { useId, useState } from 'react';

export interface CommitNumberProps {
  label: string;
  title: string;
  value: number;
  min: number;
  max: number;
  onCommit: (v: number) => void;
}

export function CommitNumber({ label, title, value, min, max, onCommit }: CommitNumberProps) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    const n = Number(draft);
    if (draft.trim() !== '' && Number.isInteger(n) && n >= min && n <= max) onCommit(n);
    setDraft(null);
  };
  return (
    <div className="field" title={title}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        step={1}
        title={title}
        value={draft ?? String(value)}
        onChange={(e) => setDraft(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setDraft(null);
        }}
      />
    </div>
  );
}

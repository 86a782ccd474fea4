// Things a person should know, in plain words: URL values that were replaced by defaults, why
// the backend is not a GPU, and errors (a lost GPU device says how to go on).
import { useRuns } from '../state/runs/runs.ts';
import { useStudio } from '../state/store.ts';

export function Notices() {
  const invalid = useStudio((s) => s.invalid);
  const note = useStudio((s) => s.backendNote);
  const error = useStudio((s) => s.error);
  const saveError = useRuns((s) => s.saveError);
  if (invalid.length === 0 && !note && !error && !saveError) return null;
  return (
    <div className="notices">
      {invalid.length > 0 && (
        <div className="notice warn" role="alert" aria-label="Invalid settings">
          <strong>Some settings in the address were not valid:</strong>
          <ul>
            {invalid.map((i) => (
              <li key={i.key}>{i.message}</li>
            ))}
          </ul>
        </div>
      )}
      {note && (
        <p className="notice info" role="note" aria-label="Backend note">
          {note}
        </p>
      )}
      {saveError && (
        <p className="notice warn" role="alert" aria-label="Saving runs">
          {saveError}
        </p>
      )}
      {error && (
        <p className="notice error" role="alert">
          {error.kind === 'device'
            ? `${error.message} Press Reset to start again on a fresh device.`
            : error.message}
        </p>
      )}
    </div>
  );
}

// Things a person should know, in plain words: URL values that were replaced by defaults, why
// the backend is not a GPU, what went wrong and was recovered from (a diverged run, a lost GPU
// device, a worker that died), and errors. Faults and errors can be dismissed; an error clears
// when its cause is gone (a network is ready again); when the page gave up on its worker it
// offers Try again.
import { dismissNotice, retryWorker } from '../state/actions.ts';
import { useRuns } from '../state/runs/runs.ts';
import { useStudio } from '../state/store.ts';

export function Notices() {
  const invalid = useStudio((s) => s.invalid);
  const note = useStudio((s) => s.backendNote);
  const error = useStudio((s) => s.error);
  const notice = useStudio((s) => s.notice);
  const saveError = useRuns((s) => s.saveError);
  if (invalid.length === 0 && !note && !error && !saveError && !notice) return null;
  return (
    <div className="notices">
      {invalid.length > 0 && (
        <div className="notice warn" role="alert" aria-label="Invalid settings">
          <strong>Some of the address was not used as written:</strong>
          <ul>
            {invalid.map((i) => (
              <li key={`${i.key}: ${i.message}`}>{i.message}</li>
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
      {notice && (
        <p className="notice warn" role="alert" aria-label="What happened">
          <span>{notice}</span>{' '}
          <button type="button" className="notice-dismiss" onClick={() => dismissNotice('notice')}>
            Dismiss
          </button>
        </p>
      )}
      {error && (
        <p className="notice error" role="alert" aria-label="Error">
          <span>
            {error.kind === 'device'
              ? `${error.message} Press Reset to start again on a fresh device.`
              : error.message}
          </span>{' '}
          {error.kind === 'worker' && (
            <button type="button" onClick={retryWorker}>
              Try again
            </button>
          )}{' '}
          <button type="button" className="notice-dismiss" onClick={() => dismissNotice('error')}>
            Dismiss
          </button>
        </p>
      )}
    </div>
  );
}

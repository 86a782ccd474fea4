// One saved run in the list: its name (opens it), what it is, the faults it went through, and
// its buttons — Resume (a run with saved weights, from its last checkpoint), pin, rename
// (inline: Enter keeps, Escape cancels), export as JSON, delete (undone from the list's bar).
import { useRef, useState } from 'react';
import { resumeRun } from '../../state/runs/resume.ts';
import { getRun, pinRun, renameRun } from '../../state/runs/runs.ts';
import { useStudio } from '../../state/store.ts';
import type { RunFault, RunSummary } from '../../state/runs/record.ts';
import { formatRunFile } from '../../state/runs/validate.ts';
import { download, fileSafe } from './files.ts';
import { formatTime, runLine } from './runText.ts';

const FAULT_WORDS: Record<RunFault['kind'], string> = {
  diverged: 'diverged',
  'device-lost': 'GPU device lost',
  crashed: 'worker restarted',
};

/** "diverged at step 120, back to step 100" */
export function faultLine(f: RunFault): string {
  const back = f.restored === null ? '' : `, back to step ${f.restored}`;
  return `${FAULT_WORDS[f.kind]} at step ${f.step}${back}`;
}

export async function exportRunJson(id: string): Promise<void> {
  const record = await getRun(id);
  if (record) download(`${fileSafe(record.name)}.morphnet-run.json`, formatRunFile(record));
}

interface RunRowProps {
  run: RunSummary;
  current: boolean;
  onOpen: (id: string) => void;
  onDelete: (run: RunSummary) => void;
}

export function RunRow({ run, current, onOpen, onDelete }: RunRowProps) {
  // Only the current row says whether it trains; the others never re-render for it.
  const running = useStudio((s) => current && s.running);
  const [draft, setDraft] = useState<string | null>(null);
  const [resumeError, setResumeError] = useState<string | null>(null);
  const faults = run.faults ?? [];
  const resumeStep = run.resumeStep ?? null;
  const renameButton = useRef<HTMLButtonElement>(null);
  // Enter or Escape ends the edit; the blur that follows as the field goes must not end it again.
  const editing = useRef(false);
  const finish = (keep: boolean) => {
    if (!editing.current) return;
    editing.current = false;
    if (keep && draft !== null && draft.trim() !== '' && draft.trim() !== run.name) {
      void renameRun(run.id, draft);
    }
    setDraft(null);
    // Back to where the keyboard was before renaming.
    requestAnimationFrame(() => renameButton.current?.focus());
  };
  const commit = () => finish(true);
  return (
    <li className={`run-row${run.pinned ? ' pinned' : ''}${current ? ' current' : ''}`} data-run-id={run.id}>
      <div className="run-main">
        {draft === null ? (
          <button
            type="button"
            className="run-name"
            onClick={() => onOpen(run.id)}
            title={`Open this run: its structure, its numbers and a link that reproduces it (saved ${formatTime(run.updatedAt)})`}
          >
            {run.name}
          </button>
        ) : (
          <input
            className="run-rename"
            aria-label={`New name for ${run.name}`}
            title="Enter keeps the new name, Escape cancels"
            value={draft}
            // The person asked to rename: the field takes the focus at once.
            autoFocus
            maxLength={120}
            onChange={(e) => setDraft(e.currentTarget.value)}
            onBlur={commit}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                commit();
              } else if (e.key === 'Escape') {
                e.preventDefault();
                finish(false);
              }
            }}
          />
        )}
        <span className="run-line small muted">
          {current && <span className="run-now">{running ? 'training now' : 'on the page, paused'} · </span>}
          {runLine(run)}
        </span>
        {faults.length > 0 && (
          <span className="run-faults small" title={faults.map((f) => f.message).join('\n')}>
            ⚠ {faults.map(faultLine).join(' · ')}
          </span>
        )}
        {resumeError && (
          <span className="field-error small" role="alert">
            {resumeError}
          </span>
        )}
      </div>
      <div className="run-actions" role="group" aria-label={`Actions for ${run.name}`}>
        {resumeStep !== null && !current && (
          <button
            type="button"
            className="secondary run-resume"
            aria-label={`Resume ${run.name} from step ${resumeStep}`}
            title={`Train this run on from its last saved checkpoint (step ${resumeStep}), with its own settings`}
            onClick={() => void resumeRun(run.id).then(setResumeError)}
          >
            Resume
          </button>
        )}
        <button
          type="button"
          className="icon"
          aria-pressed={run.pinned}
          aria-label={`Pin ${run.name}`}
          title={
            run.pinned ? 'Unpin: back among the others by date' : 'Pin: keep this run at the top of the list'
          }
          onClick={() => void pinRun(run.id, !run.pinned)}
        >
          {run.pinned ? '★' : '☆'}
        </button>
        <button
          ref={renameButton}
          type="button"
          className="icon"
          aria-label={`Rename ${run.name}`}
          title="Rename this run"
          onClick={() => {
            editing.current = true;
            setDraft(run.name);
          }}
        >
          ✎
        </button>
        <button
          type="button"
          className="icon"
          aria-label={`Export ${run.name} as JSON`}
          title="Download this run as a JSON file (import it here or in another browser)"
          onClick={() => void exportRunJson(run.id)}
        >
          ⤓
        </button>
        <button
          type="button"
          className="icon danger"
          aria-label={`Delete ${run.name}`}
          title="Delete this run (you can undo it for a few seconds)"
          onClick={() => onDelete(run)}
        >
          ✕
        </button>
      </div>
    </li>
  );
}

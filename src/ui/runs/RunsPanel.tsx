// The saved runs: newest first, pinned on top, each renamed, pinned, exported or deleted (with
// undo) in place; import a run file; open one to see its structure. The run training now is
// saved as it goes (state/runs/recorder.ts), started here so it begins with the page.
import { useEffect, useId, useRef, useState } from 'react';
import type { RunRecord, RunSummary } from '../../state/runs/record.ts';
import { startRunRecorder } from '../../state/runs/recorder.ts';
import { importRunFromFile } from '../../state/runs/import.ts';
import { deleteRun, loadRuns, restoreRun, useRuns } from '../../state/runs/runs.ts';
import { FileButton } from '../FileButton.tsx';
import { ExportCurrent } from './ExportCurrent.tsx';
import { RunRow } from './RunRow.tsx';
import { RunView } from './RunView.tsx';
import './runs.css';

const UNDO_MS = 10_000;

/** What an empty list says: never that runs are kept while saving fails (the notice says why). */
export function emptyListText(loaded: boolean, saveError: string | null): string {
  if (!loaded) return 'Reading saved runs…';
  if (saveError) return 'No run is saved in this browser now (see the notice above).';
  return 'Runs are saved here as they train, and kept when you reload.';
}

/** Above a list while saving fails: the runs listed stay, the one training is not being saved. */
export function notSavedText(storageFull: boolean): string {
  return storageFull
    ? 'The run training now is not being saved: the storage is full. Deleting old runs here makes room.'
    : 'The run training now is not being saved (see the notice above); the runs below are as last saved.';
}

function useUndo() {
  const [undo, setUndo] = useState<RunRecord | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const offer = (r: RunRecord | null) => {
    if (timer.current) clearTimeout(timer.current);
    setUndo(r);
    if (r) timer.current = setTimeout(() => setUndo(null), UNDO_MS);
  };
  return [undo, offer] as const;
}

function ImportButton({ onResult }: { onResult: (message: string, ok: boolean) => void }) {
  return (
    <FileButton
      label="Import…"
      title="Add a run from a JSON file exported here or in another browser"
      inputLabel="Import a run file"
      onFile={(file) =>
        void importRunFromFile(file).then(
          (message) => onResult(message, true),
          (err: unknown) => onResult(err instanceof Error ? err.message : String(err), false),
        )
      }
    />
  );
}

export function RunsPanel() {
  const runs = useRuns((s) => s.runs);
  const loaded = useRuns((s) => s.loaded);
  const currentId = useRuns((s) => s.currentId);
  const saveError = useRuns((s) => s.saveError);
  const storageFull = useRuns((s) => s.storageFull);
  const [openId, setOpenId] = useState<string | null>(null);
  const [undo, offerUndo] = useUndo();
  const [importNote, setImportNote] = useState<{ message: string; ok: boolean } | null>(null);
  const titleId = useId();

  useEffect(() => {
    startRunRecorder();
    void loadRuns();
  }, []);

  const remove = (run: RunSummary) => {
    void deleteRun(run.id).then((r) => offerUndo(r ?? null));
  };

  return (
    <section className="runs-panel" aria-labelledby={titleId}>
      <div className="runs-head">
        <h2 id={titleId}>Runs</h2>
        <ImportButton onResult={(message, ok) => setImportNote({ message, ok })} />
      </div>
      <ExportCurrent />
      {importNote && (
        <p
          className={importNote.ok ? 'small muted' : 'field-error'}
          role={importNote.ok ? 'status' : 'alert'}
        >
          {importNote.message}
        </p>
      )}
      {undo && (
        <div className="runs-undo" role="status">
          <span>Deleted “{undo.name}”.</span>
          <button
            type="button"
            className="secondary"
            title="Put the deleted run back"
            onClick={() => {
              void restoreRun(undo);
              offerUndo(null);
            }}
          >
            Undo
          </button>
        </div>
      )}
      {saveError && runs.length > 0 && (
        <p className="small field-error" role="status">
          {notSavedText(storageFull)}
        </p>
      )}
      {runs.length === 0 ? (
        <p className="small muted">{emptyListText(loaded, saveError)}</p>
      ) : (
        <ul className="runs-list" aria-label="Saved runs">
          {runs.map((r) => (
            <RunRow key={r.id} run={r} current={r.id === currentId} onOpen={setOpenId} onDelete={remove} />
          ))}
        </ul>
      )}
      <RunView id={openId} onClose={() => setOpenId(null)} />
    </section>
  );
}

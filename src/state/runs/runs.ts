// The saved runs as the page sees them: module-level actions over one repository, and a small
// zustand store of their summaries (newest first, pinned on top) that the runs list and the test
// API read. Any part of the page saves a run with `saveRun(record)`.
import { create } from 'zustand';
import type { Checkpoint } from '../../engine/types.ts';
import type { StoredWeights } from './db.ts';
import { compareRuns, summarizeRun, type RunRecord, type RunSummary } from './record.ts';
import { createRunRepository, StorageFullError, type ImportedRun, type RunRepository } from './repository.ts';
import { parseRunFile } from './validate.ts';

export interface RunsState {
  /** Summaries of every saved run, pinned first, then newest first. */
  runs: RunSummary[];
  /** The run the page is training now (saved once it has trained a step); null before. */
  currentId: string | null;
  /** false until the saved runs have been read from IndexedDB once. */
  loaded: boolean;
  /** One line for the page's notices when saving failed (said once; cleared by a later success). */
  saveError: string | null;
  /** The last failure was the browser's storage being full (the panel says what to delete). */
  storageFull: boolean;
}

export const useRuns = create<RunsState>()(() => ({
  runs: [],
  currentId: null,
  loaded: false,
  saveError: null,
  storageFull: false,
}));

let repo: RunRepository | null = null;
function repository(): RunRepository {
  repo ??= createRunRepository();
  return repo;
}

/** Swaps the repository (tests: a fresh database name on fake-indexeddb). */
export function setRunRepository(next: RunRepository): void {
  repo?.close();
  repo = next;
  deleted.clear();
  deletedWeights.clear();
  useRuns.setState({ runs: [], currentId: null, loaded: false, saveError: null, storageFull: false });
}

/** Runs the person deleted in this session: a live run's later saves must not bring them back. */
const deleted = new Set<string>();
/** The weights of runs deleted in this session, for undo (the record itself goes back to the list). */
const deletedWeights = new Map<string, StoredWeights>();

export const STORAGE_FULL_MESSAGE =
  'The browser’s storage is full: this run is no longer being saved. Delete old runs in the list to make room.';

/** The summary's resume step as last known (a save without a checkpoint keeps the stored one). */
const knownResumeStep = (id: string) => useRuns.getState().runs.find((r) => r.id === id)?.resumeStep ?? null;

function upsert(summary: RunSummary) {
  useRuns.setState((s) => ({
    runs: [...s.runs.filter((r) => r.id !== summary.id), summary].sort(compareRuns),
  }));
}

function reportSaveError(e: unknown) {
  const full = e instanceof StorageFullError;
  const s = useRuns.getState();
  if (s.saveError && s.storageFull === full) return;
  const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  useRuns.setState({
    saveError: full
      ? STORAGE_FULL_MESSAGE
      : `This run could not be saved in the browser (${why}); it keeps training.`,
    storageFull: full,
  });
}

function savedOk() {
  if (useRuns.getState().saveError) useRuns.setState({ saveError: null, storageFull: false });
}

/** Reads every saved run's summary from IndexedDB into the store. */
export async function loadRuns(): Promise<RunSummary[]> {
  try {
    const runs = await repository().list();
    // Summaries saved while the list was loading are newer than what the list read.
    useRuns.setState((s) => {
      const byId = new Map(runs.map((r) => [r.id, r]));
      for (const r of s.runs) byId.set(r.id, r);
      return { runs: [...byId.values()].sort(compareRuns), loaded: true };
    });
  } catch (e) {
    useRuns.setState({ loaded: true });
    reportSaveError(e);
  }
  return useRuns.getState().runs;
}

/**
 * Saves a run: inserts it, or updates the stored one keeping the name and pin the person gave it
 * and its creation time. A run the person deleted is not saved again. Never throws: a failure is
 * said once in the page's notices and resolves to null.
 */
export async function saveRun(record: RunRecord, checkpoint?: Checkpoint | null): Promise<RunSummary | null> {
  if (deleted.has(record.id)) return null;
  try {
    const stored = await repository().save(record, checkpoint);
    return stored ? saved(stored, checkpoint) : null;
  } catch (e) {
    reportSaveError(e);
    return null;
  }
}

function saved(stored: RunRecord, checkpoint: Checkpoint | null | undefined): RunSummary | null {
  if (deleted.has(stored.id)) return null; // deleted while it was being written
  const summary = summarizeRun(stored, checkpoint ? checkpoint.step : knownResumeStep(stored.id));
  upsert(summary);
  savedOk();
  return summary;
}

/**
 * Saves a run as the page goes away (pagehide, a hidden tab): the write is queued before this
 * returns and committed at once, with the name, pin and creation time the list knows. Falls back
 * to `saveRun` while the database is still opening. Never throws.
 */
export function saveRunNow(record: RunRecord, checkpoint?: Checkpoint | null): Promise<RunSummary | null> {
  if (deleted.has(record.id)) return Promise.resolve(null);
  const known = useRuns.getState().runs.find((r) => r.id === record.id);
  const merged = known
    ? { ...record, name: known.name, pinned: known.pinned, createdAt: known.createdAt }
    : record;
  let writing: Promise<RunRecord> | null;
  try {
    writing = repository().saveNow(merged, checkpoint);
  } catch (e) {
    reportSaveError(e);
    return Promise.resolve(null);
  }
  if (!writing) return saveRun(record, checkpoint);
  return writing.then(
    (stored) => saved(stored, checkpoint),
    (e: unknown) => {
      reportSaveError(e);
      return null;
    },
  );
}

export function getRun(id: string): Promise<RunRecord | undefined> {
  return repository().get(id);
}

/** The run's saved checkpoint (weights and optimizer state), for Resume; undefined if none. */
export function getRunCheckpoint(id: string): Promise<Checkpoint | undefined> {
  return repository().getCheckpoint(id);
}

export async function renameRun(id: string, name: string): Promise<void> {
  const r = await repository().rename(id, name.trim() === '' ? id : name.trim());
  if (r) upsert(summarizeRun(r, knownResumeStep(id)));
}

export async function pinRun(id: string, pinned: boolean): Promise<void> {
  const r = await repository().setPinned(id, pinned);
  if (r) upsert(summarizeRun(r, knownResumeStep(id)));
}

/** Deletes a run and its weights; returns the deleted record so the page can offer to undo. */
export async function deleteRun(id: string): Promise<RunRecord | undefined> {
  deleted.add(id);
  useRuns.setState((s) => ({ runs: s.runs.filter((r) => r.id !== id) }));
  const removed = await repository().remove(id);
  if (removed?.weights) deletedWeights.set(id, removed.weights);
  return removed?.record;
}

/** Puts a deleted run back exactly as it was, weights included. */
export async function restoreRun(record: RunRecord): Promise<void> {
  deleted.delete(record.id);
  const weights = deletedWeights.get(record.id);
  deletedWeights.delete(record.id);
  upsert(summarizeRun(await repository().put(record, weights), weights?.step ?? null));
}

/**
 * Imports a run file: validates it (throws a one-line RunFileError naming the file and the field)
 * and stores it; nothing changes when the file is bad. Keeps the run's id unless another run
 * holds it; the same run imported again keeps the name and pin it has here (`already`).
 */
export async function importRunFile(text: string, fileName: string): Promise<ImportedRun> {
  const record = parseRunFile(text, fileName);
  const imported = await repository().putImported(record);
  const stored = imported.record;
  deleted.delete(stored.id);
  upsert(summarizeRun(stored, knownResumeStep(stored.id)));
  return imported;
}

/** The recorder names the run it is saving, so the list can mark it. */
export function setCurrentRun(id: string | null): void {
  if (useRuns.getState().currentId !== id) useRuns.setState({ currentId: id });
}

// The saved runs as the page sees them: module-level actions over one repository, and a small
// zustand store of their summaries (newest first, pinned on top) that the runs list and the test
// API read. Any part of the page saves a run with `saveRun(record)`.
import { create } from 'zustand';
import { compareRuns, summarizeRun, type RunRecord, type RunSummary } from './record.ts';
import { createRunRepository, type RunRepository } from './repository.ts';
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
}

export const useRuns = create<RunsState>()(() => ({
  runs: [],
  currentId: null,
  loaded: false,
  saveError: null,
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
  useRuns.setState({ runs: [], currentId: null, loaded: false, saveError: null });
}

/** Runs the person deleted in this session: a live run's later saves must not bring them back. */
const deleted = new Set<string>();

function upsert(summary: RunSummary) {
  useRuns.setState((s) => ({
    runs: [...s.runs.filter((r) => r.id !== summary.id), summary].sort(compareRuns),
  }));
}

function reportSaveError(e: unknown) {
  if (useRuns.getState().saveError) return;
  const why = e instanceof Error ? e.message : String(e);
  useRuns.setState({
    saveError: `This run could not be saved in the browser (${why}); runs saved before are kept.`,
  });
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
export async function saveRun(record: RunRecord): Promise<RunSummary | null> {
  if (deleted.has(record.id)) return null;
  try {
    const stored = await repository().save(record);
    if (deleted.has(record.id)) return null; // deleted while it was being written
    const summary = summarizeRun(stored);
    upsert(summary);
    if (useRuns.getState().saveError) useRuns.setState({ saveError: null });
    return summary;
  } catch (e) {
    reportSaveError(e);
    return null;
  }
}

export function getRun(id: string): Promise<RunRecord | undefined> {
  return repository().get(id);
}

export async function renameRun(id: string, name: string): Promise<void> {
  const r = await repository().rename(id, name.trim() === '' ? id : name.trim());
  if (r) upsert(summarizeRun(r));
}

export async function pinRun(id: string, pinned: boolean): Promise<void> {
  const r = await repository().setPinned(id, pinned);
  if (r) upsert(summarizeRun(r));
}

/** Deletes a run; returns the deleted record so the page can offer to undo. */
export async function deleteRun(id: string): Promise<RunRecord | undefined> {
  deleted.add(id);
  useRuns.setState((s) => ({ runs: s.runs.filter((r) => r.id !== id) }));
  return repository().remove(id);
}

/** Puts a deleted run back exactly as it was. */
export async function restoreRun(record: RunRecord): Promise<void> {
  deleted.delete(record.id);
  upsert(summarizeRun(await repository().put(record)));
}

/**
 * Imports a run file: validates it (throws a one-line RunFileError naming the file and the field)
 * and stores it; nothing changes when the file is bad. Keeps the run's id unless another run
 * holds it. Returns the stored record.
 */
export async function importRunFile(text: string, fileName: string): Promise<RunRecord> {
  const record = parseRunFile(text, fileName);
  const stored = await repository().putImported(record);
  deleted.delete(stored.id);
  upsert(summarizeRun(stored));
  return stored;
}

/** The recorder names the run it is saving, so the list can mark it. */
export function setCurrentRun(id: string | null): void {
  if (useRuns.getState().currentId !== id) useRuns.setState({ currentId: id });
}

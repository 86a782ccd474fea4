// Saved runs in IndexedDB (object store `runs` of the database `morphnet-studio`), through idb.
// Every write is one transaction, so a save and a rename racing each other never lose either.
import type { IDBPDatabase } from 'idb';
import { openStudioDb, RUNS_STORE, type StudioDB } from './db.ts';
import { compareRuns, newRunId, summarizeRun, type RunRecord, type RunSummary } from './record.ts';

export interface RunRepository {
  /**
   * Inserts a run, or updates it keeping what the person set on the stored one (name, pin) and
   * its creation time. Returns the record as stored.
   */
  save(record: RunRecord): Promise<RunRecord>;
  /** Writes the record exactly as given (undo of a delete). */
  put(record: RunRecord): Promise<RunRecord>;
  /**
   * Stores a validated imported run. It keeps its id unless a different run holds that id, in
   * which case it gets a new one; importing the same run twice replaces it.
   */
  putImported(record: RunRecord): Promise<RunRecord>;
  get(id: string): Promise<RunRecord | undefined>;
  /** Every run's summary, pinned first, then newest first. */
  list(): Promise<RunSummary[]>;
  rename(id: string, name: string): Promise<RunRecord | undefined>;
  setPinned(id: string, pinned: boolean): Promise<RunRecord | undefined>;
  /** Removes the run; returns what was removed (for undo). */
  remove(id: string): Promise<RunRecord | undefined>;
  close(): void;
}

type Db = IDBPDatabase<StudioDB>;

/** Writes what `change` makes of the stored run `id` (nothing for undefined), in one transaction. */
async function update<R extends RunRecord | undefined>(
  db: Db,
  id: string,
  change: (old: RunRecord | undefined) => R,
): Promise<R> {
  const tx = db.transaction(RUNS_STORE, 'readwrite');
  const next = change(await tx.store.get(id));
  if (next) await tx.store.put(next);
  await tx.done;
  return next;
}

/** Same run (ignoring when it was written and what the person named or pinned it). */
function sameRun(a: RunRecord, b: RunRecord): boolean {
  const strip = (r: RunRecord) =>
    JSON.stringify({ ...r, name: '', pinned: false, updatedAt: '', origin: '' });
  return strip(a) === strip(b);
}

export function createRunRepository(dbName?: string): RunRepository {
  let opened: Promise<Db> | null = null;
  const db = () => {
    opened ??= openStudioDb(dbName, () => (opened = null)).catch((e: unknown) => {
      opened = null; // try again next time
      throw e;
    });
    return opened;
  };
  return {
    async save(record) {
      return update(await db(), record.id, (old) =>
        old ? { ...record, name: old.name, pinned: old.pinned, createdAt: old.createdAt } : record,
      );
    },
    async put(record) {
      await (await db()).put(RUNS_STORE, record);
      return record;
    },
    async putImported(record) {
      return update(await db(), record.id, (old) =>
        old && !sameRun(old, record) ? { ...record, id: newRunId() } : record,
      );
    },
    async get(id) {
      return (await db()).get(RUNS_STORE, id);
    },
    async list() {
      const all = await (await db()).getAll(RUNS_STORE);
      return all.map(summarizeRun).sort(compareRuns);
    },
    async rename(id, name) {
      return update(await db(), id, (r) => r && { ...r, name });
    },
    async setPinned(id, pinned) {
      return update(await db(), id, (r) => r && { ...r, pinned });
    },
    async remove(id) {
      const d = await db();
      const tx = d.transaction(RUNS_STORE, 'readwrite');
      const old = await tx.store.get(id);
      if (old) await tx.store.delete(id);
      await tx.done;
      return old;
    },
    close() {
      void opened?.then((d) => d.close());
      opened = null;
    },
  };
}

// Saved runs in IndexedDB (object store `runs` of the database `morphnet-studio`), through idb,
// and each run's last checkpoint in the store `weights` under the same id. A run and its weights
// are written in one transaction, so a failure (storage full) leaves neither half-written; every
// request's and transaction's rejection is caught here, so an abort never goes unhandled.
import type { IDBPDatabase, IDBPTransaction } from 'idb';
import type { Checkpoint } from '../../engine/types.ts';
import { openStudioDb, RUNS_STORE, WEIGHTS_STORE, type StoredWeights, type StudioDB } from './db.ts';
import { compareRuns, newRunId, summarizeRun, type RunRecord, type RunSummary } from './record.ts';

/** The browser refused the write because its storage for this site is full. */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
  constructor() {
    super('the browser’s storage is full');
  }
}

export interface RunRepository {
  /**
   * Inserts a run, or updates it keeping what the person set on the stored one (name, pin) and
   * its creation time; with a checkpoint, stores it as the run's weights in the same
   * transaction. Returns the record as stored. Storage full rejects with StorageFullError.
   */
  save(record: RunRecord, checkpoint?: Checkpoint | null): Promise<RunRecord>;
  /**
   * The same write as `save`, but blind (the caller brings name, pin and creation time) and
   * queued synchronously, then committed at once, so it survives the page going away right
   * after (pagehide). Null when the database is not open yet.
   */
  saveNow(record: RunRecord, checkpoint?: Checkpoint | null): Promise<RunRecord> | null;
  /** Writes the record (and its weights, if any) exactly as given (undo of a delete). */
  put(record: RunRecord, weights?: StoredWeights): Promise<RunRecord>;
  /**
   * Stores a validated imported run. It keeps its id unless a different run holds that id, in
   * which case it gets a new one. The same run imported again changes nothing: the stored one
   * keeps the name and pin the person gave it (`already` says so).
   */
  putImported(record: RunRecord): Promise<ImportedRun>;
  get(id: string): Promise<RunRecord | undefined>;
  /** The run's last saved checkpoint, if any. */
  getCheckpoint(id: string): Promise<Checkpoint | undefined>;
  /** Every run's summary, pinned first, then newest first (weights not read: only their step). */
  list(): Promise<RunSummary[]>;
  rename(id: string, name: string): Promise<RunRecord | undefined>;
  setPinned(id: string, pinned: boolean): Promise<RunRecord | undefined>;
  /** Removes the run and its weights; returns what was removed (for undo). */
  remove(id: string): Promise<{ record: RunRecord; weights: StoredWeights | undefined } | undefined>;
  close(): void;
}

/** What an import stored, and whether that run was in the list already (then nothing changed). */
export interface ImportedRun {
  record: RunRecord;
  already: boolean;
}

type Db = IDBPDatabase<StudioDB>;
type Tx = IDBPTransaction<StudioDB, ('runs' | 'weights')[], 'readwrite'>;

const quiet = (p: Promise<unknown>) => void p.catch(() => undefined);

/** On only while the test API says so (e2e/storage.spec.ts): every write is refused as quota. */
let refuseWrites = false;
/** Transactions the test fault aborted: their outcome reads as the browser's quota refusal. */
const refused = new WeakSet<object>();

/**
 * Test only (window.__studio.fault('storage-full' | 'storage-ok'), under test): while on, each
 * write's transaction takes its writes, then aborts as a full disk's does, so they roll back.
 */
export function failWritesForTest(on: boolean): void {
  refuseWrites = on;
}

/**
 * Queues writes; a request refused at once (the transaction already ended) is left to the
 * transaction's outcome, which says why.
 */
function queue(...writes: (() => Promise<unknown>)[]): void {
  try {
    for (const w of writes) quiet(w());
  } catch {
    // finished(tx) reports it
  }
}

/** The transaction's outcome, with a quota refusal (however the browser words it) as StorageFullError. */
async function finished(tx: { done: Promise<void>; error: DOMException | null }): Promise<void> {
  try {
    await tx.done;
  } catch (caught) {
    const e = refused.has(tx)
      ? new DOMException('The quota has been exceeded.', 'QuotaExceededError')
      : caught;
    const names = [(e as { name?: string } | null)?.name, tx.error?.name];
    if (names.includes('QuotaExceededError')) throw new StorageFullError();
    throw e;
  }
}

/** Writes what `change` makes of the stored run `id` (nothing for undefined), in one transaction. */
async function update<R extends RunRecord | undefined>(
  db: Db,
  id: string,
  change: (old: RunRecord | undefined) => R,
  checkpoint?: Checkpoint | null,
): Promise<R> {
  const tx: Tx = db.transaction([RUNS_STORE, WEIGHTS_STORE], 'readwrite');
  const done = finished(tx);
  quiet(done); // awaited below; a rejection before then must not count as unhandled
  const runs = tx.objectStore(RUNS_STORE);
  let next: R;
  try {
    next = change(await runs.get(id));
  } catch (e) {
    tx.abort();
    await done.catch(() => undefined);
    throw e;
  }
  if (next) queue(...writes(tx, next, checkpoint ? weightsOf(next.id, checkpoint) : undefined));
  await done;
  return next;
}

/** The record's write, then its weights' (if any), in `tx`. */
function writes(tx: Tx, record: RunRecord, weights: StoredWeights | undefined) {
  const list: (() => Promise<unknown>)[] = [() => tx.objectStore(RUNS_STORE).put(record)];
  if (weights) list.push(() => tx.objectStore(WEIGHTS_STORE).put(weights));
  if (refuseWrites) {
    list.push(() => {
      refused.add(tx);
      tx.abort();
      return Promise.resolve();
    });
  }
  return list;
}

const weightsOf = (id: string, checkpoint: Checkpoint): StoredWeights => ({
  id,
  step: checkpoint.step,
  checkpoint,
});

/** Same run (ignoring when it was written and what the person named or pinned it). */
function sameRun(a: RunRecord, b: RunRecord): boolean {
  const strip = (r: RunRecord) =>
    JSON.stringify({ ...r, name: '', pinned: false, updatedAt: '', origin: '' });
  return strip(a) === strip(b);
}

export function createRunRepository(dbName?: string): RunRepository {
  let opened: Promise<Db> | null = null;
  /** The open database once `opened` resolved: what lets saveNow queue its write synchronously. */
  let open: Db | null = null;
  const db = () => {
    opened ??= openStudioDb(dbName, () => {
      opened = null;
      open = null;
    }).then(
      (d) => (open = d),
      (e: unknown) => {
        opened = null; // try again next time
        throw e;
      },
    );
    return opened;
  };
  return {
    async save(record, checkpoint) {
      return update(
        await db(),
        record.id,
        (old) => (old ? { ...record, name: old.name, pinned: old.pinned, createdAt: old.createdAt } : record),
        checkpoint,
      );
    },
    saveNow(record, checkpoint) {
      if (!open) {
        void db().catch(() => undefined); // open it for the next time
        return null;
      }
      const tx: Tx = open.transaction([RUNS_STORE, WEIGHTS_STORE], 'readwrite');
      const done = finished(tx).then(() => record);
      quiet(done);
      queue(...writes(tx, record, checkpoint ? weightsOf(record.id, checkpoint) : undefined));
      // Without this the commit waits for the page's next turn, which a closing page never has.
      try {
        tx.commit();
      } catch {
        // already ending: `done` says how
      }
      return done;
    },
    async put(record, weights) {
      const tx: Tx = (await db()).transaction([RUNS_STORE, WEIGHTS_STORE], 'readwrite');
      const done = finished(tx);
      quiet(done);
      queue(...writes(tx, record, weights));
      await done;
      return record;
    },
    async putImported(record) {
      let already: RunRecord | undefined;
      const stored = await update(await db(), record.id, (old) => {
        if (old && sameRun(old, record)) {
          already = old;
          return undefined; // nothing to write: the person's name and pin stay as they are
        }
        return old ? { ...record, id: newRunId() } : record;
      });
      return already ? { record: already, already: true } : { record: stored ?? record, already: false };
    },
    async get(id) {
      return (await db()).get(RUNS_STORE, id);
    },
    async getCheckpoint(id) {
      return (await (await db()).get(WEIGHTS_STORE, id))?.checkpoint;
    },
    async list() {
      const d = await db();
      const tx = d.transaction([RUNS_STORE, WEIGHTS_STORE]);
      const all = await tx.objectStore(RUNS_STORE).getAll();
      // A key cursor over the step index gives (step, id) without reading any weights.
      const steps = new Map<string, number>();
      let cursor = await tx.objectStore(WEIGHTS_STORE).index('step').openKeyCursor();
      while (cursor) {
        steps.set(cursor.primaryKey, cursor.key);
        cursor = await cursor.continue();
      }
      await tx.done;
      return all.map((r) => summarizeRun(r, steps.get(r.id) ?? null)).sort(compareRuns);
    },
    async rename(id, name) {
      return update(await db(), id, (r) => r && { ...r, name });
    },
    async setPinned(id, pinned) {
      return update(await db(), id, (r) => r && { ...r, pinned });
    },
    async remove(id) {
      const tx: Tx = (await db()).transaction([RUNS_STORE, WEIGHTS_STORE], 'readwrite');
      const done = finished(tx);
      quiet(done);
      const record = await tx.objectStore(RUNS_STORE).get(id);
      const weights = await tx.objectStore(WEIGHTS_STORE).get(id);
      queue(
        () => tx.objectStore(RUNS_STORE).delete(id),
        () => tx.objectStore(WEIGHTS_STORE).delete(id),
      );
      await done;
      return record && { record, weights };
    },
    close() {
      void opened?.then(
        (d) => d.close(),
        () => undefined,
      );
      opened = null;
      open = null;
    },
  };
}

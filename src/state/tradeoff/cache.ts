// The imported sweep file and the page's own trade-off points, kept in IndexedDB so a second visit
// shows them at once. Its own database (`morphnet-studio-sweeps`): the runs own `morphnet-studio`,
// and two parts of the page upgrading one database would race. The file's text is stored, not
// the parsed object, so a page that reads the format differently re-checks it on the way out.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPObjectStore } from 'idb';
import type { Checkpoint } from '../../engine/types.ts';
import type { SweepFamily, SweepPointSettings } from '../../morphnet/sweep.ts';
import type { AliveCounts, NetworkSpec, Target } from '../../morphnet/types.ts';
import type { ResumeCycle } from '../../protocol/messages.ts';
import type { QueueGrid } from './plan.ts';

export const SWEEP_DB_NAME = 'morphnet-studio-sweeps';
const DB_VERSION = 3;
const STORE = 'sweeps';
/** The queue in progress (one at a time), so a reload or a crash resumes it on the next visit. */
const PROGRESS = 'queue';
const PROGRESS_KEY = 'active';
/** Points the page trained itself (./queue.ts), one record per network; the name is from when they were only uniform. */
const BASELINES = 'baselines';
/** One imported sweep at a time: importing another replaces it. */
const KEY = 'imported';

export interface CachedSweep {
  /** The file's name, shown on the page and in errors. */
  name: string;
  text: string;
  savedAt: number;
}

/**
 * A network the page's trade-off queue trained, measured and kept (./queue.ts): a sweep point
 * (src/morphnet/sweep.ts) of the page's own network, plus where and when it was measured.
 */
export interface PagePointRecord {
  /** The context (seed spec, dataset and training settings), the steps and the point; plan.ts `pointKey`. */
  key: string;
  context: string;
  family: SweepFamily;
  label: string;
  settings: SweepPointSettings;
  /** Absent only in uniform points kept before pruning and MorphNet joined the queue. */
  spec?: NetworkSpec;
  widths: Record<string, number>;
  /** MorphNet: the learned alive counts before expansion, and their cost. */
  alive?: AliveCounts;
  learned?: { flops: number; params: number };
  flops: number;
  params: number;
  /** Null when the worker failed before it measured any. */
  testAccuracy: number | null;
  /** The queue's steps per network (pruning: of the seed it pruned; its fine-tuning is in `settings`). */
  steps: number;
  backend: string | null;
  seconds: number;
  savedAt: number;
}

/** A uniform point from before the queue had families: `multiplier` at the top level. */
type StoredPoint = PagePointRecord | (Omit<PagePointRecord, 'family' | 'settings'> & { multiplier: number });

function upgrade(r: StoredPoint): PagePointRecord {
  if ('family' in r) return r;
  const { multiplier, ...rest } = r;
  return { ...rest, family: 'uniform', settings: { family: 'uniform', multiplier } };
}

/**
 * A queue that was measuring when it was last saved: what it was asked for, and the network in
 * training with its latest checkpoint (null before the first, or in a phase that cannot resume).
 */
export interface QueueProgress {
  context: string;
  grid: QueueGrid;
  target: Target;
  threshold: number;
  /** The label of the network in training (queue.ts `begin`), and where it was. */
  label: string | null;
  checkpoint: Checkpoint | null;
  cycle: ResumeCycle | null;
  savedAt: number;
}

interface SweepDB extends DBSchema {
  sweeps: { key: string; value: CachedSweep };
  baselines: { key: string; value: StoredPoint; indexes: { context: string } };
  queue: { key: string; value: QueueProgress };
}

/** What the browser refused to keep; `full` when its storage for the site is full. */
export class KeepError extends Error {
  override name = 'KeepError';
  constructor(
    readonly full: boolean,
    why: string,
  ) {
    super(why);
  }
}

/**
 * One line for the page when `what` (shown on the page: "the measured points", "the imported
 * sweep") could not be kept in the browser.
 */
export function keepMessage(e: unknown, what: string, them: 'them' | 'it' = 'them'): string {
  if (e instanceof KeepError && e.full) {
    return `The browser’s storage is full: ${what} shown here will not be kept for your next visit. Delete old runs in the runs list to make room.`;
  }
  const why = ((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '').trim();
  return `This browser could not keep ${what} shown here (${why}): your next visit will not show ${them}.`;
}

/** Opens (and creates) the database; `name` differs only in tests. */
function open(name: string): Promise<IDBPDatabase<SweepDB>> {
  if (typeof indexedDB === 'undefined') return Promise.reject(new Error('this browser has no IndexedDB'));
  return openDB<SweepDB>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) db.createObjectStore(STORE);
      if (oldVersion < 2)
        db.createObjectStore(BASELINES, { keyPath: 'key' }).createIndex('context', 'context');
      if (oldVersion < 3) db.createObjectStore(PROGRESS);
    },
  });
}

/** Runs `work` on the open database; a refusal (storage full or not) comes out as a KeepError. */
async function withDb<T>(name: string, work: (db: IDBPDatabase<SweepDB>) => Promise<T>): Promise<T> {
  let db: IDBPDatabase<SweepDB>;
  try {
    db = await open(name);
  } catch (e) {
    throw keepError(e);
  }
  try {
    return await work(db);
  } catch (e) {
    throw keepError(e);
  } finally {
    db.close();
  }
}

type StoreName = 'sweeps' | 'baselines' | 'queue';

/**
 * One write in its own transaction, judged by the transaction's outcome: a browser that is out
 * of space aborts the transaction with QuotaExceededError while the request itself only says
 * AbortError. Every rejection is caught here, so none goes unhandled.
 */
async function write<N extends StoreName>(
  db: IDBPDatabase<SweepDB>,
  name: N,
  put: (store: IDBPObjectStore<SweepDB, [N], N, 'readwrite'>) => Promise<unknown>,
): Promise<void> {
  const tx = db.transaction(name, 'readwrite');
  try {
    void put(tx.store).catch(() => undefined);
  } catch {
    // refused at once: the transaction's outcome says why
  }
  try {
    await tx.done;
  } catch (e) {
    throw keepError(tx.error ?? e);
  }
}

function keepError(e: unknown): KeepError {
  if (e instanceof KeepError) return e;
  const name = (e as { name?: string } | null)?.name;
  const message = e instanceof Error ? e.message : String(e);
  return new KeepError(name === 'QuotaExceededError', name && name !== 'Error' ? name : message);
}

export function saveImportedSweep(sweep: CachedSweep, dbName = SWEEP_DB_NAME): Promise<void> {
  return withDb(dbName, async (db) => {
    await write(db, STORE, (st) => st.put(sweep, KEY));
  });
}

export function loadImportedSweep(dbName = SWEEP_DB_NAME): Promise<CachedSweep | null> {
  return withDb(dbName, async (db) => (await db.get(STORE, KEY)) ?? null);
}

export function clearImportedSweep(dbName = SWEEP_DB_NAME): Promise<void> {
  return withDb(dbName, (db) => db.delete(STORE, KEY));
}

export function savePoint(record: PagePointRecord, dbName = SWEEP_DB_NAME): Promise<void> {
  return withDb(dbName, async (db) => {
    await write(db, BASELINES, (st) => st.put(record));
  });
}

/** Every kept point of one context. */
export function loadPoints(context: string, dbName = SWEEP_DB_NAME): Promise<PagePointRecord[]> {
  return withDb(dbName, async (db) => (await db.getAllFromIndex(BASELINES, 'context', context)).map(upgrade));
}

export function saveQueueProgress(progress: QueueProgress, dbName = SWEEP_DB_NAME): Promise<void> {
  return withDb(dbName, async (db) => {
    await write(db, PROGRESS, (st) => st.put(progress, PROGRESS_KEY));
  });
}

export function loadQueueProgress(dbName = SWEEP_DB_NAME): Promise<QueueProgress | null> {
  return withDb(dbName, async (db) => (await db.get(PROGRESS, PROGRESS_KEY)) ?? null);
}

export function clearQueueProgress(dbName = SWEEP_DB_NAME): Promise<void> {
  return withDb(dbName, (db) => db.delete(PROGRESS, PROGRESS_KEY));
}

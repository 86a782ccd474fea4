// The imported sweep file, kept in IndexedDB so a second visit shows it at once. Its own
// database (`morphnet-studio-sweeps`): the runs own `morphnet-studio`, and two parts of the page
// upgrading one database would race. The text is stored, not the parsed object, so a page that
// reads the format differently re-checks it on the way out.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export const SWEEP_DB_NAME = 'morphnet-studio-sweeps';
const DB_VERSION = 2;
const STORE = 'sweeps';
/** Uniform-multiplier points the page trained itself (./queue.ts), one record per network. */
const BASELINES = 'baselines';
/** One imported sweep at a time: importing another replaces it. */
const KEY = 'imported';

export interface CachedSweep {
  /** The file's name, shown on the page and in errors. */
  name: string;
  text: string;
  savedAt: number;
}

/** A uniform-multiplier network trained in the page, measured, and kept. */
export interface BaselineRecord {
  /** The context (seed spec, dataset and training settings), the steps and the multiplier; see queue.ts. */
  key: string;
  context: string;
  multiplier: number;
  label: string;
  widths: Record<string, number>;
  flops: number;
  params: number;
  /** Null when the worker judged a test-set evaluation too slow to wait for. */
  testAccuracy: number | null;
  steps: number;
  backend: string | null;
  seconds: number;
  savedAt: number;
}

interface SweepDB extends DBSchema {
  sweeps: { key: string; value: CachedSweep };
  baselines: { key: string; value: BaselineRecord; indexes: { context: string } };
}

/** Opens (and creates) the database; `name` differs only in tests. */
function open(name: string): Promise<IDBPDatabase<SweepDB>> {
  if (typeof indexedDB === 'undefined') return Promise.reject(new Error('this browser has no IndexedDB'));
  return openDB<SweepDB>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) db.createObjectStore(STORE);
      if (oldVersion < 2)
        db.createObjectStore(BASELINES, { keyPath: 'key' }).createIndex('context', 'context');
    },
  });
}

async function withDb<T>(name: string, work: (db: IDBPDatabase<SweepDB>) => Promise<T>): Promise<T> {
  const db = await open(name);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

export function saveImportedSweep(sweep: CachedSweep, dbName = SWEEP_DB_NAME): Promise<void> {
  return withDb(dbName, async (db) => {
    await db.put(STORE, sweep, KEY);
  });
}

export function loadImportedSweep(dbName = SWEEP_DB_NAME): Promise<CachedSweep | null> {
  return withDb(dbName, async (db) => (await db.get(STORE, KEY)) ?? null);
}

export function clearImportedSweep(dbName = SWEEP_DB_NAME): Promise<void> {
  return withDb(dbName, (db) => db.delete(STORE, KEY));
}

export function saveBaseline(record: BaselineRecord, dbName = SWEEP_DB_NAME): Promise<void> {
  return withDb(dbName, async (db) => {
    await db.put(BASELINES, record);
  });
}

/** Every kept point of one context. */
export function loadBaselines(context: string, dbName = SWEEP_DB_NAME): Promise<BaselineRecord[]> {
  return withDb(dbName, async (db) =>
    (await db.getAllFromIndex(BASELINES, 'context', context)).sort((a, b) => a.multiplier - b.multiplier),
  );
}

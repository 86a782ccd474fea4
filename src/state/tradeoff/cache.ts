// The imported sweep file and the page's own trade-off points, kept in IndexedDB so a second visit
// shows them at once. Its own database (`morphnet-studio-sweeps`): the runs own `morphnet-studio`,
// and two parts of the page upgrading one database would race. The file's text is stored, not
// the parsed object, so a page that reads the format differently re-checks it on the way out.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SweepFamily, SweepPointSettings } from '../../morphnet/sweep.ts';
import type { AliveCounts, NetworkSpec } from '../../morphnet/types.ts';

export const SWEEP_DB_NAME = 'morphnet-studio-sweeps';
const DB_VERSION = 2;
const STORE = 'sweeps';
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

interface SweepDB extends DBSchema {
  sweeps: { key: string; value: CachedSweep };
  baselines: { key: string; value: StoredPoint; indexes: { context: string } };
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

export function savePoint(record: PagePointRecord, dbName = SWEEP_DB_NAME): Promise<void> {
  return withDb(dbName, async (db) => {
    await db.put(BASELINES, record);
  });
}

/** Every kept point of one context. */
export function loadPoints(context: string, dbName = SWEEP_DB_NAME): Promise<PagePointRecord[]> {
  return withDb(dbName, async (db) => (await db.getAllFromIndex(BASELINES, 'context', context)).map(upgrade));
}

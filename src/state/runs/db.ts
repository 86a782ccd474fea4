// The page's one IndexedDB database. Every object store is created here, so parts of the page
// that persist (saved runs; later caches) never race each other's upgrades: to add a store, add
// it to StudioDB and to `upgrade` and bump DB_VERSION.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Checkpoint } from '../../engine/types.ts';
import type { RunRecord } from './record.ts';

export const DB_NAME = 'morphnet-studio';
export const DB_VERSION = 2;
export const RUNS_STORE = 'runs';
/** A run's last checkpoint (weights and optimizer state), apart so the runs list stays light. */
export const WEIGHTS_STORE = 'weights';

/** One run's weights: keyed by the run's id; `step` is indexed so the list reads it without them. */
export interface StoredWeights {
  id: string;
  step: number;
  checkpoint: Checkpoint;
}

export interface StudioDB extends DBSchema {
  runs: { key: string; value: RunRecord };
  weights: { key: string; value: StoredWeights; indexes: { step: number } };
}

/**
 * Opens (and creates or upgrades) the database; `name` differs only in tests. When a newer
 * page in another tab needs to upgrade it, this connection closes and `onClosed` is told, so the
 * caller opens it again (at the new version) next time.
 */
export function openStudioDb(name: string = DB_NAME, onClosed?: () => void): Promise<IDBPDatabase<StudioDB>> {
  if (typeof indexedDB === 'undefined') {
    return Promise.reject(new Error('this browser has no IndexedDB'));
  }
  return openDB<StudioDB>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) db.createObjectStore(RUNS_STORE, { keyPath: 'id' });
      if (oldVersion < 2) db.createObjectStore(WEIGHTS_STORE, { keyPath: 'id' }).createIndex('step', 'step');
    },
    // Another tab wants a newer version: step aside so it can upgrade.
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
      onClosed?.();
    },
  });
}

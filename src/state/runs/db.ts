// The page's one IndexedDB database. Every object store is created here, so parts of the page
// that persist (saved runs; later caches) never race each other's upgrades: to add a store, add
// it to StudioDB and to `upgrade` and bump DB_VERSION.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { RunRecord } from './record.ts';

export const DB_NAME = 'morphnet-studio';
export const DB_VERSION = 1;
export const RUNS_STORE = 'runs';

export interface StudioDB extends DBSchema {
  runs: { key: string; value: RunRecord };
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
    },
    // Another tab wants a newer version: step aside so it can upgrade.
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
      onClosed?.();
    },
  });
}

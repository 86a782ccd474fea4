// A full disk for fake-indexeddb: while on, every write to the named object stores (all when
// none are named) is accepted and then its transaction aborts with QuotaExceededError, as a
// browser's does when the site's storage is full (the writes already made are rolled back).
type Abortable = { _abort(name: string): void };

export function fillStorage(storeNames?: string[]): () => void {
  const proto = globalThis.IDBObjectStore.prototype;
  const put = proto.put;
  proto.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    const request = put.apply(this, args);
    if (!storeNames || storeNames.includes(this.name)) {
      (this.transaction as unknown as Abortable)._abort('QuotaExceededError');
    }
    return request;
  };
  return () => {
    proto.put = put;
  };
}

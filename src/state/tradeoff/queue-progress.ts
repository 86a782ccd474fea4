// The queue's writes that are not points (./queue.ts): where it is (cache.ts QueueProgress), so
// a reload or a crash resumes it on the next visit, and the one line said when the browser will
// not keep what the queue measured.
import { clearQueueProgress, keepMessage, saveQueueProgress, type QueueProgress } from './cache.ts';
import { useQueueStore } from './queue-store.ts';

/** Progress writes and clears, one after the other, so a clear never lands after a later write. */
let writes: Promise<unknown> = Promise.resolve();

export function writeProgress(progress: QueueProgress, dbName?: string): void {
  writes = writes.then(() => saveQueueProgress(progress, dbName).catch((e: unknown) => notKept(e)));
}

export function clearProgress(dbName?: string): void {
  // Nothing to resume either way, so a failure here changes nothing.
  writes = writes.then(() => clearQueueProgress(dbName).catch(() => undefined));
}

/** Tests: resolves when the progress writes made so far are done. */
export function queueProgressWritten(): Promise<unknown> {
  return writes;
}

/** Said once: the points (or where the queue is) could not be kept in this browser. */
export function notKept(e: unknown): void {
  if (useQueueStore.getState().keepError) return;
  useQueueStore.setState({ keepError: keepMessage(e, 'the measured points') });
}

// Weights beside the runs, storage full, aborts and the save made as the page goes away,
// against fake-indexeddb (src/state/runs/storage-full.test-util.ts fills the disk).
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Checkpoint } from '../../engine/types.ts';
import { sampleRun } from './fixture.test-util.ts';
import { createRunRepository, StorageFullError } from './repository.ts';
import {
  deleteRun,
  getRun,
  getRunCheckpoint,
  loadRuns,
  restoreRun,
  saveRun,
  saveRunNow,
  setRunRepository,
  STORAGE_FULL_MESSAGE,
  useRuns,
} from './runs.ts';
import { fillStorage } from './storage-full.test-util.ts';

export function checkpointAt(step: number): Checkpoint {
  return {
    step,
    settings: { target: 'flops', strength: 1, threshold: 0.01, lr: 0.05, batch: 4, seed: 1 },
    variables: { 'conv1/kernel': { shape: [2], values: new Float32Array([step, -1.5]) } },
    slots: {},
  };
}

let n = 0;
let name = '';
let unfill: (() => void) | null = null;
beforeEach(() => {
  name = `weights-${n++}`;
  setRunRepository(createRunRepository(name));
});
afterEach(() => {
  unfill?.();
  unfill = null;
  vi.restoreAllMocks();
});

describe('run weights', () => {
  it('are stored with the run, listed by their step only, and deleted (and undone) with it', async () => {
    await saveRun(sampleRun({ id: 'w', step: 120 }), checkpointAt(100));
    await saveRun(sampleRun({ id: 'plain' }));
    expect((await getRunCheckpoint('w'))?.variables['conv1/kernel']?.values).toEqual(
      new Float32Array([100, -1.5]),
    );
    // A later save without a checkpoint keeps the stored one.
    await saveRun(sampleRun({ id: 'w', step: 130 }));
    expect((await getRunCheckpoint('w'))?.step).toBe(100);
    setRunRepository(createRunRepository(name)); // a reload
    const listed = await loadRuns();
    expect(listed.map((r) => [r.id, r.step, r.resumeStep])).toEqual([
      ['w', 130, 100],
      ['plain', 3, null],
    ]);
    const removed = await deleteRun('w');
    expect(await getRunCheckpoint('w')).toBeUndefined();
    await restoreRun(removed!);
    expect((await getRunCheckpoint('w'))?.step).toBe(100);
    expect(useRuns.getState().runs.find((r) => r.id === 'w')?.resumeStep).toBe(100);
  });
});

describe('storage full', () => {
  it('rejects with StorageFullError and leaves neither the record nor its weights half-written', async () => {
    const repo = createRunRepository(`${name}-repo`);
    await repo.save(sampleRun({ id: 'old' }), checkpointAt(10));
    unfill = fillStorage(['weights']); // the record's write goes through; the weights' does not
    await expect(repo.save(sampleRun({ id: 'new', step: 60 }), checkpointAt(50))).rejects.toBeInstanceOf(
      StorageFullError,
    );
    await expect(repo.save(sampleRun({ id: 'old', step: 60 }), checkpointAt(50))).rejects.toThrow(
      'the browser’s storage is full',
    );
    unfill();
    unfill = null;
    expect(await repo.get('new')).toBeUndefined();
    expect(await repo.getCheckpoint('new')).toBeUndefined();
    expect((await repo.get('old'))?.step).toBe(3);
    expect((await repo.getCheckpoint('old'))?.step).toBe(10);
    repo.close();
  });

  it('is said in plain words once, the page goes on, and a later save that fits clears it', async () => {
    unfill = fillStorage();
    expect(await saveRun(sampleRun({ id: 'r' }), checkpointAt(1))).toBeNull();
    expect(useRuns.getState()).toMatchObject({ saveError: STORAGE_FULL_MESSAGE, storageFull: true });
    expect(STORAGE_FULL_MESSAGE).toBe(
      'The browser’s storage is full: this run is no longer being saved. Delete old runs in the list to make room.',
    );
    expect(await saveRunNow(sampleRun({ id: 'r' }), checkpointAt(2))).toBeNull();
    expect(await getRun('r')).toBeUndefined();
    unfill();
    unfill = null;
    expect(await saveRun(sampleRun({ id: 'r' }), checkpointAt(3))).toMatchObject({ id: 'r', resumeStep: 3 });
    expect(useRuns.getState()).toMatchObject({ saveError: null, storageFull: false });
  });
});

describe('an aborted save', () => {
  it('is reported, never an unhandled AbortError', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const proto = globalThis.IDBObjectStore.prototype;
    const put = proto.put;
    proto.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      const request = put.apply(this, args);
      this.transaction.abort();
      return request;
    };
    try {
      expect(await saveRun(sampleRun({ id: 'a' }), checkpointAt(5))).toBeNull();
      expect(await saveRunNow(sampleRun({ id: 'a' }))).toBeNull();
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      proto.put = put;
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(useRuns.getState().saveError).toBe(
      'This run could not be saved in the browser (AbortError); it keeps training.',
    );
    expect(await getRun('a')).toBeUndefined();
  });
});

describe('the save as the page goes away', () => {
  it('queues the record and its weights and commits before it returns', async () => {
    await saveRun(sampleRun({ id: 'p', step: 1 })); // the database is open by now
    useRuns.setState((s) => ({ runs: s.runs.map((r) => ({ ...r, name: 'renamed', pinned: true })) }));
    const put = vi.spyOn(globalThis.IDBObjectStore.prototype, 'put');
    const commit = vi.spyOn(globalThis.IDBTransaction.prototype, 'commit');
    const writing = saveRunNow(sampleRun({ id: 'p', step: 90 }), checkpointAt(80));
    // Nothing awaited yet: the writes are already in the transaction and its commit is asked for.
    expect(put.mock.calls.map((c) => (c[0] as { id: string; step: number }).step)).toEqual([90, 80]);
    expect(commit).toHaveBeenCalledTimes(1);
    expect(await writing).toMatchObject({ id: 'p', step: 90, name: 'renamed', pinned: true, resumeStep: 80 });
    expect(await getRun('p')).toMatchObject({ step: 90, name: 'renamed', pinned: true });
  });
});

// The test API's storage-full fault (failWritesForTest), against fake-indexeddb: off by default;
// on, every write is refused as a full disk refuses it, rolled back whole; off again, saves work.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../engine/types.ts';
import { sampleRun } from './fixture.test-util.ts';
import { createRunRepository, failWritesForTest, StorageFullError } from './repository.ts';
import { saveRun, saveRunNow, setRunRepository, STORAGE_FULL_MESSAGE, useRuns } from './runs.ts';

function checkpointAt(step: number): Checkpoint {
  return {
    step,
    settings: { target: 'flops', strength: 1, threshold: 0.01, lr: 0.05, batch: 4, seed: 1 },
    variables: { 'conv1/kernel': { shape: [2], values: new Float32Array([step, -1.5]) } },
    slots: {},
  };
}

let n = 0;
let name = '';
beforeEach(() => {
  name = `fault-${n++}`;
  setRunRepository(createRunRepository(name));
});
afterEach(() => failWritesForTest(false));

describe('failWritesForTest', () => {
  it('does nothing until it is turned on', async () => {
    const repo = createRunRepository(`${name}-off`);
    const run = await repo.save(sampleRun({ id: 'a', step: 7 }), checkpointAt(5));
    expect(run.step).toBe(7);
    expect((await repo.getCheckpoint('a'))?.step).toBe(5);
    repo.close();
  });

  it('refuses save, saveNow and put as storage full and leaves the stored run exactly as it was', async () => {
    const repo = createRunRepository(`${name}-on`);
    const before = await repo.save(sampleRun({ id: 'a', step: 7 }), checkpointAt(5));
    failWritesForTest(true);
    const later = sampleRun({ id: 'a', step: 90 });
    await expect(repo.save(later, checkpointAt(80))).rejects.toBeInstanceOf(StorageFullError);
    await expect(repo.save(sampleRun({ id: 'b' }))).rejects.toThrow('the browser’s storage is full');
    await expect(repo.saveNow(later, checkpointAt(85))).rejects.toBeInstanceOf(StorageFullError);
    await expect(repo.put(later)).rejects.toBeInstanceOf(StorageFullError);
    // Reads and deletes (which make room) still work.
    expect(await repo.get('a')).toEqual(before);
    expect((await repo.getCheckpoint('a'))?.step).toBe(5);
    expect(await repo.get('b')).toBeUndefined();
    expect((await repo.list()).map((r) => [r.id, r.step, r.resumeStep])).toEqual([['a', 7, 5]]);
    failWritesForTest(false);
    expect((await repo.save(later, checkpointAt(80))).step).toBe(90);
    expect((await repo.getCheckpoint('a'))?.step).toBe(80);
    repo.close();
  });

  it('reads to the page as storage full, in its words, until a save succeeds again', async () => {
    failWritesForTest(true);
    expect(await saveRun(sampleRun({ id: 'r' }), checkpointAt(1))).toBeNull();
    expect(useRuns.getState()).toMatchObject({
      saveError: STORAGE_FULL_MESSAGE,
      storageFull: true,
      runs: [],
    });
    // saveNow needs the database open: the failed save above opened it.
    expect(await saveRunNow(sampleRun({ id: 'r' }), checkpointAt(2))).toBeNull();
    failWritesForTest(false);
    expect(await saveRun(sampleRun({ id: 'r' }), checkpointAt(3))).toMatchObject({ id: 'r', resumeStep: 3 });
    expect(useRuns.getState()).toMatchObject({ saveError: null, storageFull: false });
  });
});

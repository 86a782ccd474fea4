import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { sampleRun } from './fixture.test-util.ts';
import { createRunRepository, type RunRepository } from './repository.ts';
import {
  deleteRun,
  getRun,
  importRunFile,
  loadRuns,
  pinRun,
  renameRun,
  restoreRun,
  saveRun,
  setRunRepository,
  useRuns,
} from './runs.ts';
import { formatRunFile } from './validate.ts';

let n = 0;
beforeEach(() => setRunRepository(createRunRepository(`runs-${n++}`)));

describe('saved runs (the page actions)', () => {
  it('lists what was saved before (a reload), with renames and pins, pinned first', async () => {
    const name = `runs-${n++}`;
    setRunRepository(createRunRepository(name));
    await saveRun(sampleRun({ id: 'a' }, '2026-01-01T00:00:00.000Z'));
    await saveRun(sampleRun({ id: 'b' }, '2026-01-02T00:00:00.000Z'));
    await renameRun('a', '  first  ');
    await pinRun('a', true);
    // A new page: the store is empty until the list is read.
    setRunRepository(createRunRepository(name));
    expect(useRuns.getState()).toMatchObject({ runs: [], loaded: false });
    await loadRuns();
    expect(useRuns.getState().loaded).toBe(true);
    expect(useRuns.getState().runs.map((r) => [r.id, r.name, r.pinned])).toEqual([
      ['a', 'first', true],
      ['b', sampleRun().name, false],
    ]);
  });

  it('delete then undo gives back the same run; export then delete then import too', async () => {
    const run = sampleRun({ id: 'x' });
    await saveRun(run);
    const removed = await deleteRun('x');
    expect(removed).toEqual(run);
    expect(useRuns.getState().runs).toEqual([]);
    await restoreRun(removed!);
    expect(await getRun('x')).toEqual(run);

    const file = formatRunFile((await getRun('x'))!);
    await deleteRun('x');
    const back = await importRunFile(file, 'x.json');
    expect(back).toEqual({ record: run, already: false });
    expect(await getRun('x')).toEqual(run);
    expect(useRuns.getState().runs.map((r) => r.id)).toEqual(['x']);
  });

  it('a bad file is one line naming the file and changes nothing', async () => {
    await saveRun(sampleRun({ id: 'keep' }));
    const before = useRuns.getState().runs;
    await expect(importRunFile('{"format":"morphnet-run","version":1}', 'bad.json')).rejects.toThrow(
      'bad.json: field "id" is missing',
    );
    expect(useRuns.getState().runs).toBe(before);
  });

  it('a failing save is said once and loses nothing; a later success clears it', async () => {
    const ok = createRunRepository(`runs-${n++}`);
    let fail = true;
    const flaky: RunRepository = {
      ...ok,
      save: (r) => (fail ? Promise.reject(new Error('disk I/O failed')) : ok.save(r)),
    };
    setRunRepository(flaky);
    await ok.save(sampleRun({ id: 'old' }));
    expect(await saveRun(sampleRun({ id: 'new' }))).toBeNull();
    const first = useRuns.getState().saveError;
    expect(first).toBe('This run could not be saved in the browser (disk I/O failed); it keeps training.');
    await saveRun(sampleRun({ id: 'new' }));
    expect(useRuns.getState().saveError).toBe(first);
    expect(await ok.get('old')).toEqual(sampleRun({ id: 'old' }));
    expect(await ok.get('new')).toBeUndefined();
    fail = false;
    expect(await saveRun(sampleRun({ id: 'new' }))).toMatchObject({ id: 'new', step: 3 });
    expect(useRuns.getState().saveError).toBeNull();
  });
});

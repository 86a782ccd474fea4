// The repository against fake-indexeddb (an in-memory IndexedDB for Node), a fresh database per test.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openStudioDb, RUNS_STORE, WEIGHTS_STORE } from './db.ts';
import { sampleRun } from './fixture.test-util.ts';
import { createRunRepository, type RunRepository } from './repository.ts';

let n = 0;
let repo: RunRepository;
function fresh(): RunRepository {
  repo = createRunRepository(`test-${n++}`);
  return repo;
}
afterEach(() => repo.close());

describe('run repository', () => {
  it('creates the runs store and saves, gets and lists runs, pinned first then newest first', async () => {
    const r = fresh();
    const old = sampleRun({ id: 'a', name: 'old' }, '2026-01-01T00:00:00.000Z');
    const mid = sampleRun({ id: 'b', name: 'mid' }, '2026-01-02T00:00:00.000Z');
    const newest = sampleRun({ id: 'c', name: 'new' }, '2026-01-03T00:00:00.000Z');
    for (const x of [mid, old, newest]) await r.save(x);
    expect(await r.get('b')).toEqual(mid);
    expect((await r.list()).map((s) => s.id)).toEqual(['c', 'b', 'a']);
    await r.setPinned('a', true);
    const list = await r.list();
    expect(list.map((s) => [s.id, s.pinned])).toEqual([
      ['a', true],
      ['c', false],
      ['b', false],
    ]);
    expect(list[1]).toMatchObject({
      name: 'new',
      target: 'flops',
      seed: 1,
      step: 3,
      cycle: 0,
      testAccuracy: 0.4,
    });
    expect(await r.get('zzz')).toBeUndefined();
  });

  it('a later save keeps the name, pin and creation time the stored run has', async () => {
    const r = fresh();
    const run = sampleRun({ id: 'x' });
    await r.save(run);
    await r.rename('x', 'my favourite');
    await r.setPinned('x', true);
    const later = { ...run, step: 40, name: 'default name', createdAt: '2030-01-01T00:00:00.000Z' };
    const stored = await r.save(later);
    expect(stored).toMatchObject({ step: 40, name: 'my favourite', pinned: true, createdAt: run.createdAt });
    expect(await r.get('x')).toEqual(stored);
  });

  it('rename, pin and delete answer undefined for a run that is not there; delete returns the run', async () => {
    const r = fresh();
    expect(await r.rename('nope', 'x')).toBeUndefined();
    expect(await r.setPinned('nope', true)).toBeUndefined();
    const run = sampleRun({ id: 'd' });
    await r.save(run);
    expect(await r.remove('d')).toEqual({ record: run, weights: undefined });
    expect(await r.get('d')).toBeUndefined();
    expect(await r.list()).toEqual([]);
    await r.put(run);
    expect(await r.get('d')).toEqual(run);
  });

  it('an import keeps its id, keeps the name and pin of the same run, and gets a new id beside a different run', async () => {
    const r = fresh();
    const run = sampleRun({ id: 'i' });
    expect(await r.putImported(run)).toEqual({ record: run, already: false });
    // Renamed and pinned here, then the same file (or a copy renamed elsewhere) imported again.
    await r.rename('i', 'mine');
    await r.setPinned('i', true);
    const kept = { ...run, name: 'mine', pinned: true };
    expect(await r.putImported(run)).toEqual({ record: kept, already: true });
    expect(await r.putImported({ ...run, name: 'renamed', updatedAt: '2027-01-01T00:00:00.000Z' })).toEqual({
      record: kept,
      already: true,
    });
    expect(await r.get('i')).toEqual(kept);
    expect((await r.list()).length).toBe(1);
    // A different run under the same id: stored beside it.
    const other = await r.putImported({ ...run, step: 99 });
    expect(other.already).toBe(false);
    expect(other.record.id).not.toBe('i');
    expect((await r.list()).map((s) => s.step).sort()).toEqual([3, 99]);
  });

  it('is the object store "runs" keyed by id in the database it names', async () => {
    const r = fresh();
    await r.save(sampleRun({ id: 'k' }));
    const db = await openStudioDb(`test-${n - 1}`);
    expect([...db.objectStoreNames]).toEqual([RUNS_STORE, WEIGHTS_STORE]);
    expect(db.transaction(RUNS_STORE).store.keyPath).toBe('id');
    expect(await db.getAllKeys(RUNS_STORE)).toEqual(['k']);
    db.close();
  });

  it('steps aside when a newer page in another tab upgrades the database', async () => {
    const r = fresh();
    const name = `test-${n - 1}`;
    await r.save(sampleRun({ id: 'v1' }));
    const upgraded = await new Promise<string>((resolve) => {
      const req = indexedDB.open(name, 3);
      req.onblocked = () => resolve('blocked');
      req.onsuccess = () => {
        req.result.close();
        resolve('upgraded');
      };
    });
    expect(upgraded).toBe('upgraded');
  });
});

// The section's actions against fake-indexeddb (an in-memory IndexedDB for Node) and a fetch
// that serves the real fixture sweep.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  backToDefault,
  importSweepFile,
  loadDefaultSweep,
  resetTradeoffForTests,
  selectTradeoffPoint,
  startTradeoff,
  type TradeoffEnv,
} from './actions.ts';
import { loadImportedSweep } from './cache.ts';
import { initialTradeoffState, useTradeoffStore } from './store.ts';

const text = readFileSync(
  new URL('../../../e2e/fixtures/tradeoff/plain-cnn-shapes.json', import.meta.url),
  'utf8',
);
const URL_ = '/sweeps/resnet-mini-mnist-flops.json';
let n = 0;
let env: TradeoffEnv;
let fetched: string[];
const file = (name: string, body: string) => ({ name, size: body.length, text: () => Promise.resolve(body) });
/** The same sweep with fewer points, so the two are told apart. */
const smaller = () => {
  const v = JSON.parse(text) as { points: unknown[] };
  v.points = v.points.slice(0, 3);
  return JSON.stringify(v);
};

beforeEach(() => {
  resetTradeoffForTests();
  useTradeoffStore.setState({ ...initialTradeoffState });
  fetched = [];
  env = {
    dbName: `sweeps-test-${n++}`,
    fetchText: (url) => {
      fetched.push(url);
      return Promise.resolve(text);
    },
  };
});

describe('trade-off actions', () => {
  it('shows the default sweep when nothing was imported', async () => {
    await startTradeoff(URL_, env);
    const s = useTradeoffStore.getState();
    expect(fetched).toEqual([URL_]);
    expect(s.origin).toEqual({ kind: 'default', url: URL_ });
    expect(s.sweep?.points).toHaveLength(10);
    expect(s.loading).toBe(false);
  });

  it('names the default file when it cannot be fetched', async () => {
    await loadDefaultSweep(URL_, { ...env, fetchText: () => Promise.reject(new Error('HTTP 404')) });
    expect(useTradeoffStore.getState().loadError).toBe(
      'resnet-mini-mnist-flops.json: could not load the default sweep (HTTP 404); import a file written by npx morphnet sweep',
    );
    // A static server's single-page fallback answers with the page itself.
    await loadDefaultSweep(URL_, { ...env, fetchText: () => Promise.resolve('<!doctype html><html>') });
    expect(useTradeoffStore.getState().loadError).toBe(
      'resnet-mini-mnist-flops.json: could not load the default sweep (not on this server); import a file written by npx morphnet sweep',
    );
    expect(useTradeoffStore.getState().sweep).toBeNull();
  });

  it('imports a file, caches it, and shows it first on the next visit', async () => {
    await startTradeoff(URL_, env);
    expect(await importSweepFile(file('mine.json', smaller()), env)).toBe(true);
    expect(useTradeoffStore.getState().sweep?.points).toHaveLength(3);
    expect(useTradeoffStore.getState().origin).toEqual({ kind: 'imported', name: 'mine.json' });
    expect((await loadImportedSweep(env.dbName))?.name).toBe('mine.json');

    // A new visit: fresh state, same database; the default is not even fetched.
    resetTradeoffForTests();
    useTradeoffStore.setState({ ...initialTradeoffState });
    fetched = [];
    await startTradeoff(URL_, env);
    expect(fetched).toEqual([]);
    expect(useTradeoffStore.getState().sweep?.points).toHaveLength(3);
    expect(useTradeoffStore.getState().origin).toEqual({ kind: 'imported', name: 'mine.json' });
  });

  it('rejects a bad file with one line naming it, changing nothing else', async () => {
    await startTradeoff(URL_, env);
    selectTradeoffPoint(4);
    const before = useTradeoffStore.getState();
    const bad = JSON.parse(text) as { points: Record<string, unknown>[] };
    bad.points[3]!['testAccuracy'] = 'high';
    expect(await importSweepFile(file('broken.json', JSON.stringify(bad)), env)).toBe(false);
    const after = useTradeoffStore.getState();
    expect(after.importError).toBe(
      'broken.json: points[3] (×1): testAccuracy: expected a number in [0, 1], got "high"',
    );
    expect(after.sweep).toBe(before.sweep);
    expect(after.origin).toEqual(before.origin);
    expect(after.selected).toBe(4);
    expect(await loadImportedSweep(env.dbName)).toBeNull();
  });

  it('goes back to the default and forgets the import', async () => {
    await startTradeoff(URL_, env);
    await importSweepFile(file('mine.json', smaller()), env);
    await backToDefault(URL_, env);
    expect(useTradeoffStore.getState().origin).toEqual({ kind: 'default', url: URL_ });
    expect(useTradeoffStore.getState().sweep?.points).toHaveLength(10);
    expect(await loadImportedSweep(env.dbName)).toBeNull();
  });

  it('toggles the selected point', () => {
    selectTradeoffPoint(2);
    expect(useTradeoffStore.getState().selected).toBe(2);
    selectTradeoffPoint(2);
    expect(useTradeoffStore.getState().selected).toBeNull();
  });
});

describe('an imported sweep the browser will not keep', () => {
  it('is shown, and the section says it will not be there next time (storage full)', async () => {
    const { fillStorage } = await import('../runs/storage-full.test-util.ts');
    const unfill = fillStorage();
    try {
      expect(await importSweepFile(file('mine.json', text), env)).toBe(true);
    } finally {
      unfill();
    }
    const s = useTradeoffStore.getState();
    expect(s.origin).toEqual({ kind: 'imported', name: 'mine.json' });
    expect(s.keepError).toBe(
      'The browser’s storage is full: the imported sweep shown here will not be kept for your next visit. Delete old runs in the runs list to make room.',
    );
    expect(await loadImportedSweep(env.dbName)).toBeNull();
    // A later import that fits clears it.
    expect(await importSweepFile(file('mine.json', text), env)).toBe(true);
    expect(useTradeoffStore.getState().keepError).toBeNull();
  });
});

// What the trade-off section's controls do (module-level actions, like ../actions.ts): load the
// default sweep from the page's own origin, import a file, fall back to the default. An imported
// file is cached in IndexedDB and shown first on the next visit.
import { parseSweep } from '../../morphnet/sweep-validate.ts';
import { readImportFile, type ImportFile } from '../import-file.ts';
import { clearImportedSweep, keepMessage, loadImportedSweep, saveImportedSweep } from './cache.ts';
import { useTradeoffStore as store, type ChartMetric, type TradeoffView } from './store.ts';

/** What the section needs from the browser; tests pass their own. */
export interface TradeoffEnv {
  fetchText: (url: string) => Promise<string>;
  dbName?: string;
}

const browserEnv: TradeoffEnv = {
  async fetchText(url) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.text();
  },
};

const oneLine = (e: unknown) => ((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '').trim();
let started: Promise<void> | null = null;

/** Shows the cached import if there is one, else the default sweep. Runs once per page. */
export function startTradeoff(defaultUrl: string, env: TradeoffEnv = browserEnv): Promise<void> {
  started ??= (async () => {
    store.setState({ loading: true });
    const cached = await loadImportedSweep(env.dbName).catch(() => null);
    if (cached) {
      try {
        const sweep = parseSweep(cached.text, cached.name);
        store.setState({
          sweep,
          origin: { kind: 'imported', name: cached.name },
          loading: false,
          selected: null,
        });
        return;
      } catch {
        // A cache written by an older page that this one no longer reads: drop it quietly.
        await clearImportedSweep(env.dbName).catch(() => undefined);
      }
    }
    await loadDefaultSweep(defaultUrl, env);
  })();
  return started;
}

/** Fetches and shows the default sweep; a failure is one line where the chart would be. */
export async function loadDefaultSweep(url: string, env: TradeoffEnv = browserEnv): Promise<void> {
  store.setState({ loading: true, loadError: null });
  const name = url.split('/').pop() ?? url;
  try {
    const text = await env.fetchText(url);
    // A static server answers a missing file with the page itself (a single-page-app fallback).
    if (text.trimStart().startsWith('<')) throw new Error('not on this server');
    const sweep = parseSweep(text, name);
    store.setState({
      sweep,
      origin: { kind: 'default', url },
      loading: false,
      selected: null,
      importError: null,
    });
  } catch (e) {
    const msg = oneLine(e);
    store.setState({
      sweep: null,
      origin: null,
      loading: false,
      loadError: msg.startsWith(name)
        ? msg
        : `${name}: could not load the default sweep (${msg}); import a file written by npx morphnet sweep`,
    });
  }
}

/** Reads a chosen file; a bad one sets importError and changes nothing else. */
export async function importSweepFile(file: ImportFile, env: TradeoffEnv = browserEnv): Promise<boolean> {
  let text: string;
  try {
    text = await readImportFile(file, 'sweep'); // its size is checked before it is read
  } catch (e) {
    store.setState({ importError: oneLine(e) });
    return false;
  }
  try {
    const sweep = parseSweep(text, file.name);
    store.setState({
      sweep,
      origin: { kind: 'imported', name: file.name },
      importError: null,
      loadError: null,
      view: 'file',
      selected: null,
    });
  } catch (e) {
    store.setState({ importError: oneLine(e) });
    return false;
  }
  // Shown even if it cannot be kept (storage full, a private window): the section then says so.
  store.setState({ keepError: null });
  await saveImportedSweep({ name: file.name, text, savedAt: Date.now() }, env.dbName).catch((e: unknown) =>
    store.setState({ keepError: keepMessage(e, 'the imported sweep', 'it') }),
  );
  return true;
}

/** Forgets the import (here and in IndexedDB) and shows the default sweep again. */
export async function backToDefault(defaultUrl: string, env: TradeoffEnv = browserEnv): Promise<void> {
  await clearImportedSweep(env.dbName).catch(() => undefined);
  store.setState({ importError: null, keepError: null });
  await loadDefaultSweep(defaultUrl, env);
}

export function setTradeoffMetric(metric: ChartMetric): void {
  store.setState({ metric });
}

/** Which sweep the chart shows; a pick on the other one means nothing here. */
export function setTradeoffView(view: TradeoffView): void {
  store.setState((s) => (s.view === view ? {} : { view, selected: null }));
}

export function selectTradeoffPoint(index: number | null): void {
  store.setState((s) => ({ selected: s.selected === index ? null : index }));
}

/** Tests only: forget that the section started. */
export function resetTradeoffForTests(): void {
  started = null;
}

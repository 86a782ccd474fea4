// The page's actions against a fake worker and a fake address bar: which requests go out, what
// the URL says, and how the store follows.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Request, WorkerEvent } from '../protocol/messages.ts';
import {
  applyImportedSpec,
  flushEvents,
  openExpand,
  resetRun,
  retrain,
  setSetting,
  startStudio,
  stepOnce,
  toggleTraining,
  type WorkerPort,
} from './actions.ts';
import type { Scheduler } from './events.ts';
import { useStudio } from './store.ts';
import { DEFAULTS } from './url.ts';

const spec = { name: 's', input: { height: 1, width: 1, channels: 1 }, classes: 2, layers: [] };
const manual: Scheduler = { now: () => 0, later: () => {} };

function setup(search = '') {
  const workers: { sent: Request[]; terminated: boolean; port: WorkerPort }[] = [];
  const url = { search, read: () => url.search, write: (s: string) => (url.search = s) };
  startStudio(
    () => {
      const w = { sent: [] as Request[], terminated: false, port: null as unknown as WorkerPort };
      w.port = {
        postMessage: (m) => w.sent.push(m),
        onmessage: null,
        terminate: () => (w.terminated = true),
      };
      workers.push(w);
      return w.port;
    },
    url,
    '/data/',
    manual,
  );
  const emit = (e: WorkerEvent) => {
    workers.at(-1)!.port.onmessage?.({ data: e } as MessageEvent<WorkerEvent>);
    flushEvents();
  };
  const ready = () =>
    emit({
      type: 'ready',
      spec,
      seedSpec: spec,
      seedCost: { flops: 100, params: 7 },
      cycle: 0,
      history: [],
      datasetName: 'shapes',
      classNames: [],
    });
  return { workers, url, emit, ready, sent: () => workers.at(-1)!.sent };
}

describe('actions', () => {
  beforeEach(() => useStudio.setState({ budget: null }));

  it('starts the worker with the URL settings and names invalid ones', () => {
    const { sent } = setup('?dataset=shapes&batch=4&seed=x');
    expect(sent()[0]).toMatchObject({
      type: 'init',
      dataBase: '/data/',
      config: {
        dataset: 'shapes',
        backend: 'auto',
        net: { kind: 'builtin', name: 'resnet-mini' },
        settings: { batch: 4, seed: 1 },
      },
    });
    expect(useStudio.getState().invalid.map((i) => i.key)).toEqual(['seed']);
  });

  it('live settings go to the session and the URL; structural ones start a new run', () => {
    const { sent, url, ready } = setup('?dataset=shapes');
    ready();
    setSetting('target', 'size');
    setSetting('strength', 3);
    expect(sent().slice(1)).toEqual([
      { type: 'settings', patch: { target: 'size' } },
      { type: 'settings', patch: { strength: 3 } },
    ]);
    expect(url.search).toBe('?dataset=shapes&target=size&strength=3');
    setSetting('batch', 8);
    expect(sent().at(-1)).toMatchObject({ type: 'init', config: { settings: { batch: 8, target: 'size' } } });
    expect(useStudio.getState().ready).toBe(false);
    setSetting('strength', DEFAULTS.strength);
    expect(url.search).toBe('?dataset=shapes&target=size&batch=8');
  });

  it('a backend change starts a new worker', () => {
    const { workers } = setup();
    setSetting('backend', 'cpu');
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(workers[1]!.sent[0]).toMatchObject({ type: 'init', config: { backend: 'cpu' } });
  });

  it('train, pause and step need a ready network; expand defaults to the seed cost', () => {
    const { sent, ready, emit } = setup();
    toggleTraining();
    expect(sent()).toHaveLength(1);
    ready();
    toggleTraining();
    expect(useStudio.getState().running).toBe(true);
    stepOnce(); // ignored while running
    openExpand(); // pauses first
    expect(
      sent()
        .slice(1)
        .map((r) => r.type),
    ).toEqual(['train', 'pause', 'expand-preview']);
    expect(sent().at(-1)).toEqual({ type: 'expand-preview', budget: 100 });
    expect(useStudio.getState().expandOpen).toBe(true);
    emit({
      type: 'expansion',
      target: 'flops',
      budget: 100,
      omega: 2,
      learned: {},
      widths: {},
      spec,
      cost: { flops: 99, params: 7 },
    });
    retrain();
    expect(sent().at(-1)).toEqual({ type: 'retrain', budget: 100 });
    expect(useStudio.getState().expandOpen).toBe(false);
  });

  it('reset after a lost GPU device starts a fresh worker', () => {
    const { workers, ready, emit } = setup();
    ready();
    emit({ type: 'error', kind: 'device', message: 'The GPU device was lost.' });
    expect(useStudio.getState().error?.kind).toBe('device');
    resetRun();
    expect(workers).toHaveLength(2);
    expect(workers[1]!.sent[0]!.type).toBe('init');
  });

  it('choosing the built-in network the page had before an import brings it back', () => {
    const { sent, ready } = setup('?dataset=shapes');
    ready();
    const net = useStudio.getState().settings.net;
    applyImportedSpec(spec);
    expect(sent().at(-1)).toMatchObject({ type: 'init', config: { net: { kind: 'spec' } } });
    setSetting('net', net);
    expect(useStudio.getState().importedSpec).toBeNull();
    expect(sent().at(-1)).toMatchObject({ type: 'init', config: { net: { kind: 'builtin', name: net } } });
  });
});

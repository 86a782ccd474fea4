// The training worker's entry: a few lines wiring the real engine into StudioHandler, which
// holds all the logic and is tested in Node (handler.test.ts, handler.engine.test.ts).
import { loadDataset } from '../engine/data/load.ts';
import { createSession } from '../engine/session.ts';
import type { WorkerEvent } from '../protocol/messages.ts';
import { methodDeps } from './deps.ts';
import { browserDevice } from './device-browser.ts';
import { loseDevice, selectBrowserBackend } from './gpu.ts';
import { StudioHandler } from './handler.ts';
import { enginePruning } from './prune.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const handler = new StudioHandler(
  (event: WorkerEvent, transfer?: Transferable[]) => scope.postMessage(event, transfer ?? []),
  {
    ...methodDeps,
    selectBackend: selectBrowserBackend,
    loadDataset: (name, base, onProgress) =>
      loadDataset(name, { kind: 'url', base }, (p) => onProgress(p.fraction)),
    createSession,
    pruning: enginePruning,
    device: browserDevice,
    now: () => performance.now(),
    pause: () => new Promise((resolve) => setTimeout(resolve, 0)),
    // The page names a worker it starts under test '…:test' (main.tsx); only then are faults injected.
    debug: { enabled: scope.name.endsWith(':test'), loseDevice },
  },
);

scope.onmessage = (e: MessageEvent<unknown>) => void handler.receive(e.data);
scope.onmessageerror = () =>
  scope.postMessage({
    type: 'error',
    kind: 'request',
    message: 'The page sent the training worker a message it could not read; it was ignored.',
  } satisfies WorkerEvent);

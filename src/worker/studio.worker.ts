// The training worker's entry: a few lines wiring the real engine into StudioHandler, which
// holds all the logic and is tested in Node (handler.test.ts, handler.engine.test.ts).
import { loadDataset } from '../engine/data/load.ts';
import { createSession } from '../engine/session.ts';
import type { Request, WorkerEvent } from '../protocol/messages.ts';
import { methodDeps } from './deps.ts';
import { selectBrowserBackend } from './gpu.ts';
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
    now: () => performance.now(),
    pause: () => new Promise((resolve) => setTimeout(resolve, 0)),
  },
);

scope.onmessage = (e: MessageEvent<Request>) => void handler.handle(e.data);

// Faults on demand for the end-to-end tests (the `debug` request), and the plain words for an
// imported spec that broke something. Debug requests are honoured only when the page started the
// worker under test (deps.debug.enabled: studio.worker.ts reads it from the worker's name).
import type { Session } from '../engine/types.ts';
import type { DebugAction, PostFn } from '../protocol/messages.ts';

export interface DebugHooks {
  enabled: boolean;
  /** Destroys the GPU device (GPUDevice.destroy()); false when not training on WebGPU. */
  loseDevice(): boolean;
}

export function debugFault(action: DebugAction, hooks: DebugHooks | undefined, post: PostFn, session: Session | null): void {
  if (!hooks?.enabled) {
    post({ type: 'error', kind: 'request', message: 'Fault injection is only available under test.' });
    return;
  }
  switch (action) {
    case 'lose-device':
      if (!hooks.loseDevice()) post({ type: 'error', kind: 'request', message: 'There is no GPU device to lose on this backend.' });
      return;
    case 'throw':
      // Uncaught, as a crash would be: the page sees the worker's error event.
      setTimeout(() => {
        throw new Error('debug: the training worker was made to throw');
      }, 0);
      return;
    case 'hang':
      // Busy for ten minutes, answering nothing, as a wedged worker would.
      setTimeout(() => {
        const end = Date.now() + 600_000;
        while (Date.now() < end) {
          // spin
        }
      }, 0);
      return;
    case 'diverge':
      // A learning rate no one would choose, on the session only: the page's setting is what a
      // restored run trains on again.
      session?.updateSettings({ lr: 1e30 });
      return;
    default: {
      const never: never = action;
      throw new Error(`unknown debug action ${String(never)}`);
    }
  }
}

/** An imported spec's failure as a SpecError the page shows beside the picker, in plain words. */
export function specFailure(err: unknown): Error {
  const name = err instanceof Error ? err.name : '';
  if (name === 'SpecError' || name === 'DataError') return err as Error;
  console.error('training worker: an imported spec broke the build', err);
  const e = new Error('This network could not be used: the studio could not build it (the browser console has the details).');
  e.name = 'SpecError';
  return e;
}

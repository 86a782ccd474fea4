// The `time-network` request (issue 13, the trade-off chart's measured-latency axis): a forward
// pass of a network handed in, at every channel it has, timed on this device with the same
// engine/inference-time.ts as `time-inference` (which times the network training now). The spec
// comes from a sweep file the person may have imported: it is validated and checked trainable
// here before anything is built.
import { checkTrainable } from '../morphnet/spec-limits.ts';
import { SpecError, validateSpec } from '../morphnet/spec.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import type { PostFn } from '../protocol/messages.ts';
import { NO_DEVICE_DEPS, TIMING_LABEL, type DeviceDeps } from './device.ts';
import { errorMessage } from './resources.ts';

/** The page's latency batch limit (state/latency-actions.ts), as `time-inference` has it. */
export const MAX_TIME_BATCH = 512;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Why a `time-network` request is malformed, or null (the spec itself is checked when handled). */
export function timeNetworkProblem(x: Record<string, unknown>): string | null {
  if (!isRecord(x.spec)) return 'time-network without a network';
  const b = x.batch;
  return typeof b === 'number' && Number.isInteger(b) && b >= 1 && b <= MAX_TIME_BATCH
    ? null
    : `time-network without a batch from 1 to ${MAX_TIME_BATCH}`;
}

function checkedSpec(spec: NetworkSpec, batch: number): NetworkSpec {
  const checked = validateSpec(spec, 'the network to time');
  // Its memory at this batch, as for training: a huge imported network is refused, not built.
  checkTrainable(checked, batch);
  return checked;
}

export async function timeNetworkRequest(
  deps: DeviceDeps | undefined,
  spec: NetworkSpec,
  batch: number,
  post: PostFn,
): Promise<void> {
  if (!deps) {
    post({ type: 'error', kind: 'request', message: NO_DEVICE_DEPS });
    return;
  }
  post({ type: 'progress', task: 'measure', label: TIMING_LABEL, fraction: null, done: false });
  try {
    const checked = checkedSpec(spec, batch);
    const t = await deps.timeInference(checked, undefined, batch);
    post({
      type: 'inference-time',
      step: 0,
      spec: checked,
      alive: {},
      batch,
      medianMs: t.medianMs,
      runs: t.runs,
    });
  } catch (err) {
    const why = err instanceof SpecError ? err.message : errorMessage(err);
    post({ type: 'error', kind: 'request', message: `The network could not be timed: ${why}` });
  } finally {
    post({ type: 'progress', task: 'measure', label: '', fraction: 1, done: true });
  }
}

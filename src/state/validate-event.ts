// The page's end of message validation: an event from a worker is checked before the store sees
// it (src/state/supervisor.ts calls this), so a malformed one is dropped with a console warning
// rather than folded into the store as garbage or raw developer text.
import type { WorkerEvent } from '../protocol/messages.ts';

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const num = (x: unknown): x is number => typeof x === 'number';
const str = (x: unknown): x is string => typeof x === 'string';

/** Why `x` is not a worker event, or null when it is one. */
export function eventProblem(x: unknown): string | null {
  if (!isRecord(x)) return 'not an object';
  switch (x.type) {
    case 'backend':
      return str(x.backend) ? null : 'backend without a name';
    case 'progress':
      return str(x.task) && str(x.label) && typeof x.done === 'boolean' ? null : 'malformed progress';
    case 'ready':
      return isRecord(x.spec) && isRecord(x.seedSpec) && Array.isArray(x.history) && Array.isArray(x.classNames)
        ? null
        : 'ready without its network';
    case 'running':
      return typeof x.running === 'boolean' ? null : 'running without a flag';
    case 'metrics':
      return num(x.step) && x.gammas instanceof Float32Array && Array.isArray(x.gammaLayers) && isRecord(x.alive) && isRecord(x.cost)
        ? null
        : 'malformed metrics';
    case 'evaluation':
      return num(x.step) && num(x.testAccuracy) ? null : 'malformed evaluation';
    case 'expansion':
      return isRecord(x.spec) && isRecord(x.widths) && isRecord(x.cost) ? null : 'malformed expansion';
    case 'error':
      return str(x.kind) && str(x.message) ? null : 'error without a message';
    case 'checkpoint':
      return isRecord(x.checkpoint) && num(x.checkpoint.step) && isRecord(x.checkpoint.variables) && isRecord(x.cycle)
        ? null
        : 'malformed checkpoint';
    case 'fault':
      return str(x.kind) && num(x.step) && str(x.message) ? null : 'malformed fault';
    case 'pong':
      return num(x.id) ? null : 'pong without an id';
    case 'device': {
      const m = x.measurement;
      const pos = (v: unknown) => num(v) && Number.isFinite(v) && v > 0;
      return isRecord(m) && str(m.backend) && pos(m.peakGflops) && pos(m.bandwidthGbs) && num(m.opOverheadNs) && m.opOverheadNs >= 0 && num(m.measuredAt) && typeof x.cached === 'boolean'
        ? null
        : 'malformed device measurement';
    }
    case 'inference-time':
      return isRecord(x.spec) && isRecord(x.alive) && num(x.step) && num(x.batch) && num(x.medianMs) && Number.isFinite(x.medianMs) && x.medianMs >= 0 && num(x.runs)
        ? null
        : 'malformed inference time';
    default:
      return 'unknown event type';
  }
}

/** The event, or null (and a console warning) when it is malformed. */
export function parseEvent(x: unknown): WorkerEvent | null {
  const problem = eventProblem(x);
  if (problem === null) return x as WorkerEvent;
  console.warn(`page: ignored a malformed message from a worker (${problem})`, x);
  return null;
}

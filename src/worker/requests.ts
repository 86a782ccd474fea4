// The worker's end of message validation: a request from the page is checked before the handler
// sees it, so a malformed one is named in plain words instead of failing deep inside
// ("Cannot read properties of null"). The detail goes to the console only.
import type { DebugAction, Request } from '../protocol/messages.ts';
import { timeNetworkProblem } from './time-network.ts';

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const DEBUG_ACTIONS: readonly DebugAction[] = ['lose-device', 'throw', 'hang', 'diverge'];
const LIVE = new Set(['target', 'strength', 'threshold', 'lr', 'latency']);
const TARGETS = new Set(['flops', 'size', 'latency']);
const isPositive = (x: unknown): x is number => isFiniteNumber(x) && x > 0;

/** Why a settings patch's `latency` cannot price a device, or null (morphnet's LatencySettings). */
function latencyProblem(v: unknown): string | null {
  if (!isRecord(v) || !isRecord(v.hardware)) return 'settings with a latency without its hardware';
  const h = v.hardware;
  if (typeof h.name !== 'string' || !isPositive(h.peakGflops) || !isPositive(h.bandwidthGbs)) {
    return 'settings with a latency hardware that is not a name and two positive numbers';
  }
  if (h.opOverheadNs !== undefined && !(isFiniteNumber(h.opOverheadNs) && h.opOverheadNs >= 0)) {
    return 'settings with a bad latency opOverheadNs';
  }
  return Number.isInteger(v.batch) && isPositive(v.batch) ? null : 'settings with a bad latency batch';
}

/** Why `x` is not a request the worker understands, or null when it is one. */
export function requestProblem(x: unknown): string | null {
  if (!isRecord(x)) return 'not an object';
  switch (x.type) {
    case 'train':
    case 'pause':
    case 'evaluate':
    case 'step':
    case 'reset':
      return null;
    case 'ping':
      return isFiniteNumber(x.id) ? null : 'ping without a numeric id';
    case 'debug':
      return DEBUG_ACTIONS.includes(x.action as DebugAction) ? null : 'debug with an unknown action';
    case 'init': {
      const c = x.config;
      if (!isRecord(c) || !isRecord(c.net) || !isRecord(c.settings) || typeof c.dataset !== 'string') {
        return 'init without a complete config';
      }
      if (typeof x.dataBase !== 'string') return 'init without a data folder';
      if (x.resume !== undefined && (!isRecord(x.resume) || !isRecord(x.resume.variables))) return 'init with a malformed checkpoint';
      if (x.initialWeights !== undefined && !isRecord(x.initialWeights)) return 'init with malformed starting weights';
      return null;
    }
    case 'settings': {
      if (!isRecord(x.patch)) return 'settings without a patch';
      for (const [k, v] of Object.entries(x.patch)) {
        if (!LIVE.has(k)) return `settings with an unknown key ${k}`;
        if (k === 'latency') {
          const problem = latencyProblem(v);
          if (problem !== null) return problem;
        } else if (k === 'target' ? !TARGETS.has(v as string) : !isFiniteNumber(v)) return `settings with a bad ${k}`;
      }
      return null;
    }
    case 'expand-preview':
    case 'retrain':
      return isFiniteNumber(x.budget) && x.budget > 0 ? null : `${x.type} without a positive budget`;
    case 'measure-device':
      return x.fresh === undefined || typeof x.fresh === 'boolean' ? null : 'measure-device with a non-boolean fresh';
    case 'time-inference':
      return Number.isInteger(x.batch) && isPositive(x.batch) && (x.batch as number) <= 512
        ? null
        : 'time-inference without a batch from 1 to 512';
    case 'time-network':
      return timeNetworkProblem(x);
    case 'prune':
      return isFiniteNumber(x.fraction) && x.fraction >= 0 && x.fraction <= 1 ? null : 'prune without a fraction in [0, 1]';
    default:
      return 'unknown request type';
  }
}

/** The request, or null (and a console warning) when it is malformed. */
export function parseRequest(x: unknown): Request | null {
  const problem = requestProblem(x);
  if (problem === null) return x as Request;
  console.warn(`training worker: ignored a malformed request (${problem})`, x);
  return null;
}

/** What the page is told about a malformed request. */
export const MALFORMED_REQUEST = 'The page sent the training worker a message it could not read; it was ignored.';

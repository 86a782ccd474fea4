// What the handler needs from tfjs, the engine and the method, injected so it runs in Node.
// `methodDeps` are the ones from the method (src/morphnet): pure, so Node tests use these same
// functions; the tfjs-facing ones come from the worker entry or the Node test.
import type { Dataset, DatasetName, Session, SessionOptions } from '../engine/types.ts';
import { networkCost } from '../morphnet/cost.ts';
import { expandSpec } from '../morphnet/expand.ts';
import { isSeedName, seedSpec, withInput } from '../morphnet/seeds.ts';
import { SpecError } from '../morphnet/spec.ts';
import type { AliveCounts, LatencySettings, NetworkSpec, Target } from '../morphnet/types.ts';
import type { BackendPreference, Cost } from '../protocol/messages.ts';
import type { BackendChoice } from './backend.ts';
import type { DeviceDeps } from './device.ts';
import type { DebugHooks } from './faults.ts';
import type { Pruning } from './prune.ts';

export interface Expansion {
  spec: NetworkSpec;
  omega: number;
  cost: Cost;
  widths: AliveCounts;
}

/** The network `auto` times each backend on (the first one the worker trains). */
export interface ProbeNetwork {
  spec: NetworkSpec;
  batch: number;
}

export interface StudioDeps {
  /** Starts a tfjs backend; `lost` resolves with plain words if the GPU device is lost later. */
  selectBackend(
    pref: BackendPreference,
    network?: ProbeNetwork,
  ): Promise<BackendChoice & { lost?: Promise<string> }>;
  loadDataset(name: DatasetName, base: string, onProgress: (fraction: number) => void): Promise<Dataset>;
  /** A built-in seed by name, fitted to the dataset's input and classes; throws a SpecError. */
  builtinSpec(name: string, dataset: Dataset): NetworkSpec;
  /** An imported spec checked and fitted to the dataset; throws a one-line SpecError. */
  fitSpec(spec: NetworkSpec, dataset: Dataset): NetworkSpec;
  createSession(opts: SessionOptions): Promise<Session>;
  /** The full-width cost of a spec (every channel alive). */
  specCost(spec: NetworkSpec): Cost;
  /** `latency`: the device the latency target prices for (required for it; gives `cost.latencyNs`). */
  expand(spec: NetworkSpec, alive: AliveCounts, target: Target, budget: number, latency?: LatencySettings): Expansion;
  /** Magnitude pruning of a trained session (`enginePruning` in ./prune.ts; tfjs-facing). */
  pruning: Pruning;
  now(): number;
  /** Lets queued messages in between training chunks (a macrotask). */
  pause(): Promise<void>;
  /** The latency target's device measurement and inference timing (./device.ts); absent: refused. */
  device?: DeviceDeps;
  /** Fault injection for the end-to-end tests (`debug` requests); absent: refused. */
  debug?: DebugHooks;
}

function fit(spec: NetworkSpec, dataset: Dataset): NetworkSpec {
  // withInput re-validates, so an imported spec that cannot take this input fails with a SpecError.
  return withInput(
    spec,
    { height: dataset.height, width: dataset.width, channels: dataset.channels },
    dataset.classes,
  );
}

export const methodDeps: Pick<StudioDeps, 'builtinSpec' | 'fitSpec' | 'specCost' | 'expand'> = {
  builtinSpec(name, dataset) {
    if (!isSeedName(name)) throw new SpecError(`net=${name}`, null, null, 'is not a built-in seed network');
    return fit(seedSpec(name), dataset);
  },
  fitSpec: fit,
  specCost(spec) {
    const c = networkCost(spec);
    return { flops: c.flops, params: c.params };
  },
  expand(spec, alive, target, budget, latency) {
    const e = expandSpec(spec, alive, { target, budget, ...(latency ? { latency } : {}) });
    const latencyNs = e.cost.latencyNs;
    return {
      spec: e.spec,
      omega: e.omega,
      cost: { flops: e.cost.flops, params: e.cost.params, ...(latencyNs === undefined ? {} : { latencyNs }) },
      widths: e.widths,
    };
  },
};

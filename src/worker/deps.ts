// The handler's dependencies that come from the method (src/morphnet): pure, so Node tests use
// these same functions. The tfjs-facing ones are added by the worker entry or the Node test.
import type { Dataset } from '../engine/types.ts';
import { networkCost } from '../morphnet/cost.ts';
import { expandSpec } from '../morphnet/expand.ts';
import { isSeedName, seedSpec, withInput } from '../morphnet/seeds.ts';
import { SpecError } from '../morphnet/spec.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import type { StudioDeps } from './handler.ts';

function fit(spec: NetworkSpec, dataset: Dataset): NetworkSpec {
  // withInput re-validates, so an imported spec that cannot take this input fails with a SpecError.
  return withInput(spec, { height: dataset.height, width: dataset.width, channels: dataset.channels }, dataset.classes);
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
  expand(spec, alive, target, budget) {
    const e = expandSpec(spec, alive, { target, budget });
    return { spec: e.spec, omega: e.omega, cost: { flops: e.cost.flops, params: e.cost.params }, widths: e.widths };
  },
};

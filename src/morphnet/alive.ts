// Reading the structure (MORPHNET.md §1.2): a channel is alive while its group's |γ| passes
// `isAlive` (the training step's float32 test); every member of a group reports its count (§4).
import { segmentsAlive, toPlan } from './cost.ts';
import { groupAliveCounts, groupVectors } from './regularizer.ts';
import type { AliveCounts, GammaMagnitudes, NetworkSpec, RegularizerPlan } from './types.ts';
import { emptyRecord, own } from './records.ts';

/** Alive channels per group id (a pinned group is fully alive). */
export function groupAlive(
  x: NetworkSpec | RegularizerPlan,
  gammas: GammaMagnitudes,
  threshold: number,
): number[] {
  const plan = toPlan(x);
  return groupAliveCounts(plan, groupVectors(plan, gammas), threshold);
}

/**
 * Alive output channels of every conv and depthwise layer. A group member reports its group's
 * count; a bn:false conv is always fully alive; a depthwise layer reports what its output
 * segments hold: its input's alive channels times its multiplier, summed over a concat's towers.
 */
export function aliveCountsFromGroups(plan: RegularizerPlan, perGroup: readonly number[]): AliveCounts {
  const out: AliveCounts = emptyRecord();
  const dw = new Map(plan.terms.filter((t) => t.kind === 'depthwise').map((t) => [t.layer, t]));
  for (const [layer, width] of Object.entries(plan.widths)) {
    const term = dw.get(layer);
    const g = own(plan.groupOf, layer);
    out[layer] =
      term !== undefined
        ? segmentsAlive(term.output, perGroup)
        : g !== undefined
          ? (perGroup[g] ?? width)
          : width;
  }
  return out;
}

export function aliveCounts(
  x: NetworkSpec | RegularizerPlan,
  gammas: GammaMagnitudes,
  threshold: number,
): AliveCounts {
  const plan = toPlan(x);
  return aliveCountsFromGroups(plan, groupAlive(plan, gammas, threshold));
}

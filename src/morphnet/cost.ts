// The cost model F (MORPHNET.md §2): FLOPs and parameters of conv, depthwise and dense layers.
import { buildPlan } from './plan.ts';
import type {
  AliveCounts,
  CostTerm,
  Flops,
  LayerCost,
  NetworkCost,
  NetworkSpec,
  Params,
  RegularizerPlan,
  Segment,
  Target,
} from './types.ts';
import { own } from './records.ts';

export const asFlops = (n: number): Flops => n as Flops;
export const asParams = (n: number): Params => n as Params;

export function toPlan(x: NetworkSpec | RegularizerPlan): RegularizerPlan {
  return 'terms' in x ? x : buildPlan(x);
}

/**
 * Alive channels per group from per-layer counts: the max over the members listed (the group's
 * alive mask is the OR of its members', §4, so it has at least as many as any member). A group
 * with no member listed, or a pinned one, counts as fully alive.
 */
export function groupAliveFromCounts(plan: RegularizerPlan, alive?: AliveCounts): number[] {
  return plan.groups.map((g) => {
    if (g.pinned || alive === undefined) return g.size;
    const counts = g.members.map((m) => own(alive, m)).filter((n): n is number => n !== undefined);
    if (counts.length === 0) return g.size;
    return Math.min(g.size, Math.max(0, ...counts));
  });
}

/** A = alive channels of a list of segments; static channels are always alive (§2). */
export function segmentsAlive(segments: Segment[], groupAlive: readonly number[]): number {
  let a = 0;
  for (const s of segments) a += s.kind === 'static' ? s.size : (groupAlive[s.group] ?? s.size);
  return a;
}

/** One layer's cost: C·A_in·A_out, or C·A_out for depthwise (§2). */
export function termCost(term: CostTerm, groupAlive: readonly number[]): LayerCost {
  const aIn = segmentsAlive(term.input, groupAlive);
  const aOut = segmentsAlive(term.output, groupAlive);
  const channels = term.kind === 'depthwise' ? aOut : aIn * aOut;
  return {
    name: term.layer,
    flops: asFlops(term.flopCoef * channels),
    params: asParams(term.sizeCoef * channels),
  };
}

/** F per layer and in total, with every channel alive or with the given alive counts. */
export function networkCost(x: NetworkSpec | RegularizerPlan, alive?: AliveCounts): NetworkCost {
  const plan = toPlan(x);
  const groupAlive = groupAliveFromCounts(plan, alive);
  const layers = plan.terms.map((t) => termCost(t, groupAlive));
  let flops = 0;
  let params = 0;
  for (const l of layers) {
    flops += l.flops;
    params += l.params;
  }
  return { layers, flops: asFlops(flops), params: asParams(params) };
}

/** The resource a target measures: FLOPs for 'flops', parameters for 'size'. */
export function targetCost(cost: Pick<NetworkCost, 'flops' | 'params'>, target: Target): number {
  return target === 'flops' ? cost.flops : cost.params;
}

/** The coefficient C a target uses for a term (§2's table). */
export function termCoef(term: CostTerm, target: Target): number {
  return target === 'flops' ? term.flopCoef : term.sizeCoef;
}

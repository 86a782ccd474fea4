// The cost model F (MORPHNET.md §2): FLOPs and parameters of conv, depthwise and dense layers.
import { latencyOfOps, planOps } from './latency-ops.ts';
import { buildPlan } from './plan.ts';
import type {
  AliveCounts,
  CostTerm,
  Flops,
  Group,
  LatencySettings,
  LayerCost,
  MemberSlice,
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

const WHOLE: MemberSlice = { offset: 0, multiplier: 1 };

/** The part of member k's |γ| that feeds group g (the whole vector unless the plan says otherwise). */
export function memberSlice(g: Group, k: number): MemberSlice {
  return g.slices?.[k] ?? WHOLE;
}

/**
 * Members whose own alive count is the group's (their |γ| is the group's vector as a whole, so
 * the OR makes their count the group's): not a depthwise piece, whose layer's count also holds
 * its multiplier and the concat's other inputs.
 */
export function countedMembers(plan: RegularizerPlan, g: Group): string[] {
  return g.members.filter((m, k) => {
    const s = memberSlice(g, k);
    return s.offset === 0 && s.multiplier === 1 && (own(plan.widths, m) ?? g.size) === g.size;
  });
}

/**
 * Alive channels per group from per-layer counts: the max over the members listed (the group's
 * alive mask is the OR of its members', §4, so it has at least as many as any member). A group
 * with no member listed, or a pinned one, counts as fully alive.
 */
export function groupAliveFromCounts(plan: RegularizerPlan, alive?: AliveCounts): number[] {
  return plan.groups.map((g) => {
    if (g.pinned || alive === undefined) return g.size;
    const counts = countedMembers(plan, g)
      .map((m) => own(alive, m))
      .filter((n): n is number => n !== undefined);
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

/**
 * F per layer and in total, with every channel alive or with the given alive counts; with
 * `latency`, also the predicted latency in ns on that device (latency.ts).
 */
export function networkCost(
  x: NetworkSpec | RegularizerPlan,
  alive?: AliveCounts,
  latency?: LatencySettings,
): NetworkCost {
  const plan = toPlan(x);
  const groupAlive = groupAliveFromCounts(plan, alive);
  const layers = plan.terms.map((t) => termCost(t, groupAlive));
  let flops = 0;
  let params = 0;
  for (const l of layers) {
    flops += l.flops;
    params += l.params;
  }
  const cost: NetworkCost = { layers, flops: asFlops(flops), params: asParams(params) };
  if (latency !== undefined) cost.latencyNs = latencyOfOps(planOps(plan), groupAlive, latency).latencyNs;
  return cost;
}

/** The resource a target measures: FLOPs, parameters, or the latency in ns (which `cost` must carry). */
export function targetCost(cost: Pick<NetworkCost, 'flops' | 'params' | 'latencyNs'>, target: Target): number {
  if (target === 'flops') return cost.flops;
  if (target === 'size') return cost.params;
  if (cost.latencyNs === undefined) throw new Error('targetCost: latency asked of a cost computed without LatencySettings');
  return cost.latencyNs;
}

/** The coefficient C a target uses for a term (§2's table); latency has none per term (latency-ops.ts). */
export function termCoef(term: CostTerm, target: Target): number {
  if (target === 'latency') throw new Error('termCoef: the latency target prices ops, not terms');
  return target === 'flops' ? term.flopCoef : term.sizeCoef;
}

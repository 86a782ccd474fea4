// The regularizer R(γ) (MORPHNET.md §3) over groups (§4), in plain numbers. The tfjs engine builds
// the differentiable version from the same RegularizerPlan; these functions are its reference.
import { memberSlice, termCoef, toPlan } from './cost.ts';
import { latencyGroupWeights, planOps } from './latency-ops.ts';
import type {
  GammaMagnitudes,
  Group,
  LatencySettings,
  NetworkSpec,
  RegularizerPlan,
  Segment,
  Target,
} from './types.ts';
import { emptyRecord, own } from './records.ts';

function memberGammas(
  plan: RegularizerPlan,
  gammas: GammaMagnitudes,
  layer: string,
  size: number,
): ArrayLike<number> {
  const v = own(gammas, layer);
  if (v === undefined) throw new Error(`regularizer: no |γ| for layer "${layer}"`);
  const width = own(plan.widths, layer) ?? size;
  if (v.length !== width)
    throw new Error(`regularizer: layer "${layer}" has ${v.length} |γ| values, expected ${width}`);
  return v;
}

/**
 * Each |γ| that feeds a group, in the order a left fold of the max meets them: member by member,
 * and within a depthwise piece k = 0 … multiplier−1. `visit(layer, index in its vector, i, |γ|)`
 * for group channel i.
 */
function eachFeed(
  plan: RegularizerPlan,
  g: Group,
  gammas: GammaMagnitudes,
  visit: (layer: string, index: number, i: number, x: number) => void,
): void {
  g.members.forEach((m, k) => {
    const v = memberGammas(plan, gammas, m, g.size);
    const { offset, multiplier } = memberSlice(g, k);
    for (let j = 0; j < multiplier; j++) {
      for (let i = 0; i < g.size; i++) {
        const index = offset + i * multiplier + j;
        visit(m, index, i, Math.abs(v[index] as number));
      }
    }
  });
}

/** A group's |γ| vector: the elementwise max of its members' |γ| (§4). One per group, by id. */
export function groupVectors(plan: RegularizerPlan, gammas: GammaMagnitudes): Float32Array[] {
  return plan.groups.map((g) => {
    const out = new Float32Array(g.size);
    const seen = new Uint8Array(g.size);
    eachFeed(plan, g, gammas, (_m, _index, i, x) => {
      if (!seen[i] || x > (out[i] as number)) out[i] = x;
      seen[i] = 1;
    });
    return out;
  });
}

/**
 * The one alive test (§1.2), exactly the training step's `tf.step(|γ| − T)` in float32: both
 * operands rounded to float32, their float32 difference strictly positive (step gives 0 at 0).
 * So γ = float32(0.001) is dead at T = 0.001, as in the step and the reference, although it is
 * 0.0010000000475 > 0.001 in float64.
 */
export function isAlive(magnitude: number, threshold: number): boolean {
  return Math.fround(Math.fround(magnitude) - Math.fround(threshold)) > 0;
}

/** Alive channels per group: `isAlive` over the group vector, all for a pinned group. */
export function groupAliveCounts(
  plan: RegularizerPlan,
  vectors: readonly Float32Array[],
  threshold: number,
): number[] {
  return plan.groups.map((g, i) => {
    if (g.pinned) return g.size;
    let n = 0;
    for (const x of vectors[i] ?? []) if (isAlive(x, threshold)) n++;
    return n;
  });
}

function segmentsSum(segments: Segment[], sums: readonly number[]): number {
  let s = 0;
  for (const seg of segments) if (seg.kind === 'group') s += sums[seg.group] ?? 0;
  return s;
}

function segmentsAlive(segments: Segment[], alive: readonly number[]): number {
  let a = 0;
  for (const seg of segments) a += seg.kind === 'static' ? seg.size : (alive[seg.group] ?? seg.size);
  return a;
}

export interface RegularizerState {
  plan: RegularizerPlan;
  vectors: Float32Array[];
  /** A per group, treated as constants (§3). */
  alive: number[];
  /** S per group: the sum of the group vector. */
  sums: number[];
}

export function regularizerState(
  x: NetworkSpec | RegularizerPlan,
  gammas: GammaMagnitudes,
  threshold: number,
): RegularizerState {
  const plan = toPlan(x);
  const vectors = groupVectors(plan, gammas);
  const alive = groupAliveCounts(plan, vectors, threshold);
  const sums = vectors.map((v) => v.reduce((s, y) => s + y, 0));
  return { plan, vectors, alive, sums };
}

function needLatency(target: Target, latency: LatencySettings | undefined): LatencySettings {
  if (latency === undefined) throw new Error(`regularizer: target "${target}" needs LatencySettings`);
  return latency;
}

/**
 * R = Σ_L C·(A_in·S_out + A_out·S_in), or C·(S_in + S_out) for depthwise (§3). Pinned groups add
 * 0. Latency (given `latency`): Σ over ops of the active bound's term (latency-ops.ts), = Σ_g w_g·S_g.
 */
export function regularizerValue(
  x: NetworkSpec | RegularizerPlan,
  gammas: GammaMagnitudes,
  threshold: number,
  target: Target,
  latency?: LatencySettings,
): number {
  const { plan, alive, sums } = regularizerState(x, gammas, threshold);
  if (target === 'latency') {
    const w = latencyGroupWeights(plan.groups.length, planOps(plan), alive, needLatency(target, latency));
    return w.reduce((r, wg, g) => r + wg * (sums[g] ?? 0), 0);
  }
  let r = 0;
  for (const t of plan.terms) {
    const c = termCoef(t, target);
    const sIn = segmentsSum(t.input, sums);
    const sOut = segmentsSum(t.output, sums);
    if (t.kind === 'depthwise') r += c * (sIn + sOut);
    else r += c * (segmentsAlive(t.input, alive) * sOut + segmentsAlive(t.output, alive) * sIn);
  }
  return r;
}

/**
 * ∂R/∂|γ| of one channel of each group: what the channel costs as an output of its layers plus
 * as an input of every consumer (§3). It is the same for every channel of a group because the
 * alive counts are constants. Pinned groups appear in no segment, so they cost 0.
 */
export function groupMarginalCosts(
  plan: RegularizerPlan,
  alive: readonly number[],
  target: Target,
  latency?: LatencySettings,
): number[] {
  if (target === 'latency') {
    return latencyGroupWeights(plan.groups.length, planOps(plan), alive, needLatency(target, latency));
  }
  const out = plan.groups.map(() => 0);
  const add = (segments: Segment[], amount: number): void => {
    for (const seg of segments) if (seg.kind === 'group') out[seg.group] = (out[seg.group] ?? 0) + amount;
  };
  for (const t of plan.terms) {
    const c = termCoef(t, target);
    const dw = t.kind === 'depthwise';
    add(t.input, c * (dw ? 1 : segmentsAlive(t.output, alive)));
    add(t.output, c * (dw ? 1 : segmentsAlive(t.input, alive)));
  }
  return out;
}

/**
 * ∂R/∂|γ_j| per member layer and channel. The max over members routes each channel's gradient
 * to one |γ|: the largest, ties going to the first in `members` order and, within a depthwise
 * piece, to the lowest k (what a left fold of tf.maximum does: the first argument wins ties).
 */
export function marginalCosts(
  x: NetworkSpec | RegularizerPlan,
  gammas: GammaMagnitudes,
  threshold: number,
  target: Target,
  latency?: LatencySettings,
): Record<string, Float64Array> {
  const { plan, vectors, alive } = regularizerState(x, gammas, threshold);
  const perGroup = groupMarginalCosts(plan, alive, target, latency);
  const result = emptyRecord<Float64Array>();
  plan.groups.forEach((g, gi) => {
    const vec = vectors[gi] as Float32Array;
    const taken = new Uint8Array(g.size);
    for (const m of g.members) {
      // A depthwise layer cut along a concat feeds several groups: one vector across them.
      if (own(result, m) === undefined) result[m] = new Float64Array(own(plan.widths, m) ?? g.size);
    }
    eachFeed(plan, g, gammas, (m, index, i, x) => {
      if (!taken[i] && Math.fround(x) === vec[i]) {
        taken[i] = 1;
        (result[m] as Float64Array)[index] = perGroup[gi] as number;
      }
    });
  });
  return result;
}

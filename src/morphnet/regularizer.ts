// The regularizer R(γ) (MORPHNET.md §3) over groups (§4), in plain numbers. The tfjs engine builds
// the differentiable version from the same RegularizerPlan; these functions are its reference.
import { termCoef, toPlan } from './cost.ts';
import type { GammaMagnitudes, NetworkSpec, RegularizerPlan, Segment, Target } from './types.ts';
import { emptyRecord, own } from './records.ts';

function memberGammas(gammas: GammaMagnitudes, layer: string, size: number): ArrayLike<number> {
  const v = own(gammas, layer);
  if (v === undefined) throw new Error(`regularizer: no |γ| for layer "${layer}"`);
  if (v.length !== size)
    throw new Error(`regularizer: layer "${layer}" has ${v.length} |γ| values, expected ${size}`);
  return v;
}

/** A group's |γ| vector: the elementwise max of its members' |γ| (§4). One per group, by id. */
export function groupVectors(plan: RegularizerPlan, gammas: GammaMagnitudes): Float32Array[] {
  return plan.groups.map((g) => {
    const out = new Float32Array(g.size);
    g.members.forEach((m, k) => {
      const v = memberGammas(gammas, m, g.size);
      for (let i = 0; i < g.size; i++) {
        const x = Math.abs(v[i] as number);
        if (k === 0 || x > (out[i] as number)) out[i] = x;
      }
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

/** R = Σ_L C·(A_in·S_out + A_out·S_in), or C·(S_in + S_out) for depthwise (§3). Pinned groups add 0. */
export function regularizerValue(
  x: NetworkSpec | RegularizerPlan,
  gammas: GammaMagnitudes,
  threshold: number,
  target: Target,
): number {
  const { plan, alive, sums } = regularizerState(x, gammas, threshold);
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
): number[] {
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
 * to one member: the one with the largest |γ|, ties going to the first member in `members` order
 * (what a left fold of tf.maximum does: its gradient goes to the first argument on ties).
 */
export function marginalCosts(
  x: NetworkSpec | RegularizerPlan,
  gammas: GammaMagnitudes,
  threshold: number,
  target: Target,
): Record<string, Float64Array> {
  const { plan, vectors, alive } = regularizerState(x, gammas, threshold);
  const perGroup = groupMarginalCosts(plan, alive, target);
  const result = emptyRecord<Float64Array>();
  plan.groups.forEach((g, gi) => {
    const vec = vectors[gi] as Float32Array;
    const taken = new Uint8Array(g.size);
    for (const m of g.members) {
      const v = memberGammas(gammas, m, g.size);
      const d = new Float64Array(g.size);
      for (let i = 0; i < g.size; i++) {
        if (!taken[i] && Math.fround(Math.abs(v[i] as number)) === vec[i]) {
          taken[i] = 1;
          d[i] = perGroup[gi] as number;
        }
      }
      result[m] = d;
    }
  });
  return result;
}

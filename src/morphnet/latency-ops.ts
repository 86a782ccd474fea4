// The latency cost and its regularizer per op (issue 13): the reference's `latency_function`,
// `flop_function` and `memory_function` (resource_function.py) over this plan's LatencyOps.
// Units: FLOPs / (GFLOP/s) and bytes / (GB/s) are nanoseconds.
//
// Cost of one op at alive counts A:
//   compute = batch·C·A_in·A_out / peak          (depthwise: batch·C·A_out; 0 without FLOPs)
//   memory  = (Σ_inputs p·batch·A + p_out·batch·A_out + W·A_in·A_out) / bandwidth
//             (depthwise weights: W·A_out, what the filter holds)
//   latency = max(compute, memory) (+ the device's per-op overhead, when it has one)
// Its regularizer, with the group sums S of |γ| and A constants (§3), is the bound that is active
// at A (the reference's tf.cond: memory when memory > compute, else compute):
//   compute: batch·C·(A_in·S_out + A_out·S_in) / peak     (depthwise: batch·C·(S_in + S_out))
//   memory:  (Σ_inputs p·batch·S + p_out·batch·S_out + W·(A_in·S_out + A_out·S_in)) / bandwidth
//            (depthwise weights: W·S_out)
// Either is linear in S, so R = Σ_g w_g·S_g and w_g is one channel's marginal cost.
import type { LatencyOp, LatencySettings, RegularizerPlan, Segment } from './types.ts';

/** One op's price at given alive counts. */
export interface OpLatency {
  flops: number;
  bytes: number;
  computeNs: number;
  memoryNs: number;
  /** max(computeNs, memoryNs) plus the device's per-op overhead. */
  latencyNs: number;
}

export interface LayerLatency {
  name: string;
  latencyNs: number;
  computeNs: number;
  memoryNs: number;
  flops: number;
  bytes: number;
}

export interface NetworkLatency {
  layers: LayerLatency[];
  latencyNs: number;
}

/** Alive channels of a tensor: static channels always, a group's alive count (absent: its size). */
function aliveOf(segments: readonly Segment[], groupAlive: readonly number[]): number {
  let a = 0;
  for (const s of segments) a += s.kind === 'static' ? s.size : (groupAlive[s.group] ?? s.size);
  return a;
}

/** The plan's latency ops; a plan made by hand without them cannot be priced (a developer error). */
export function planOps(plan: RegularizerPlan): LatencyOp[] {
  if (plan.ops === undefined) throw new Error('latency: the plan has no ops (build it with buildPlan)');
  return plan.ops;
}

const firstInput = (op: LatencyOp): Segment[] => op.inputs[0]?.segments ?? [];

export function opLatency(op: LatencyOp, groupAlive: readonly number[], latency: LatencySettings): OpLatency {
  const { batch, hardware } = latency;
  const aIn = aliveOf(firstInput(op), groupAlive);
  const aOut = aliveOf(op.output.segments, groupAlive);
  const dw = op.kind === 'depthwise';
  const flops = batch * op.flopCoef * (dw ? aOut : aIn * aOut);
  let bytes = op.output.payload * batch * aOut + op.weightPayload * (dw ? aOut : aIn * aOut);
  for (const t of op.inputs) bytes += t.payload * batch * aliveOf(t.segments, groupAlive);
  const computeNs = flops / hardware.peakGflops;
  const memoryNs = bytes / hardware.bandwidthGbs;
  const latencyNs = Math.max(computeNs, memoryNs) + (hardware.opOverheadNs ?? 0);
  return { flops, bytes, computeNs, memoryNs, latencyNs };
}

/** Per spec layer (the ops it holds summed, in spec order) and in total. */
export function latencyOfOps(
  ops: readonly LatencyOp[],
  groupAlive: readonly number[],
  latency: LatencySettings,
): NetworkLatency {
  const layers: LayerLatency[] = [];
  const byName = new Map<string, LayerLatency>();
  let total = 0;
  for (const op of ops) {
    const c = opLatency(op, groupAlive, latency);
    let l = byName.get(op.layer);
    if (l === undefined) {
      l = { name: op.layer, latencyNs: 0, computeNs: 0, memoryNs: 0, flops: 0, bytes: 0 };
      byName.set(op.layer, l);
      layers.push(l);
    }
    l.latencyNs += c.latencyNs;
    l.computeNs += c.computeNs;
    l.memoryNs += c.memoryNs;
    l.flops += c.flops;
    l.bytes += c.bytes;
    total += c.latencyNs;
  }
  return { layers, latencyNs: total };
}

/** The active bound's regularizer of one op as the coefficients of its S terms (see the header). */
export interface OpRegularizer {
  memoryBound: boolean;
  /** Per input tensor: the coefficient of its S. */
  inputs: number[];
  /** Coefficient of S_out. */
  output: number;
}

export function opRegularizer(op: LatencyOp, alive: readonly number[], latency: LatencySettings): OpRegularizer {
  const { batch, hardware } = latency;
  const c = opLatency(op, alive, latency);
  const aIn = aliveOf(firstInput(op), alive);
  const aOut = aliveOf(op.output.segments, alive);
  const dw = op.kind === 'depthwise';
  const inputs = op.inputs.map(() => 0);
  if (c.memoryNs > c.computeNs) {
    const bw = hardware.bandwidthGbs;
    op.inputs.forEach((t, i) => (inputs[i] = (t.payload * batch) / bw));
    if (!dw && inputs.length > 0) inputs[0] = (inputs[0] as number) + (op.weightPayload * aOut) / bw;
    const output = (op.output.payload * batch + op.weightPayload * (dw ? 1 : aIn)) / bw;
    return { memoryBound: true, inputs, output };
  }
  const k = (batch * op.flopCoef) / hardware.peakGflops;
  if (inputs.length > 0) inputs[0] = k * (dw ? 1 : aOut);
  return { memoryBound: false, inputs, output: k * (dw ? 1 : aIn) };
}

/**
 * w_g: ∂R/∂|γ| of one channel of each group (R = Σ_g w_g·S_g at these alive counts): what the
 * channel costs as a read and a write of every op that touches it, under each op's active bound.
 */
export function latencyGroupWeights(
  groupCount: number,
  ops: readonly LatencyOp[],
  alive: readonly number[],
  latency: LatencySettings,
): number[] {
  const w = Array.from({ length: groupCount }, () => 0);
  const add = (segments: readonly Segment[], amount: number): void => {
    for (const s of segments) if (s.kind === 'group') w[s.group] = (w[s.group] ?? 0) + amount;
  };
  for (const op of ops) {
    const r = opRegularizer(op, alive, latency);
    op.inputs.forEach((t, i) => add(t.segments, r.inputs[i] as number));
    add(op.output.segments, r.output);
  }
  return w;
}

// The latency target's coefficients for the differentiable regularizer (regularizer.ts), from the
// plan's LatencyOps. src/morphnet/latency-ops.ts is the reference in numbers: per op the active
// bound's term at the alive counts A (memory when memory > compute, the reference's tf.cond), which
// is linear in the group sums S, so the whole target is one weight vector w with R = w·S:
//   w = c_inᵀ·P_in + c_outᵀ·P_out + c_firstᵀ·P_first
// P_in [ops × groups] counts every input's segments weighted by its payload (an add's inputs all
// count), P_first the first input's (the bilinear terms' A_in, S_in), P_out the output's.
// The device and batch enter as per-op variables (batch·C / peak, batch / bandwidth, ...)
// assigned in place by `set`, so switching the device or the target between steps rebuilds nothing.
import * as tf from '@tensorflow/tfjs';
import { planOps } from '../morphnet/latency-ops.ts';
import type { LatencyOp, LatencySettings, RegularizerPlan, Segment } from '../morphnet/types.ts';

export interface LatencyTerms {
  /** w [1 × groups] at alive counts `alive` [groups × 1] (a constant: step() has no gradient). */
  weights(alive: tf.Tensor2D): tf.Tensor2D;
  set(latency: LatencySettings): void;
  readonly ready: boolean;
  dispose(): void;
}

/** [ops × groups] counts of group segments (and per op the static channels), each tensor weighted. */
function incidence(
  ops: readonly LatencyOp[],
  nG: number,
  pick: (op: LatencyOp) => { segments: Segment[]; weight: number }[],
): { counts: Float32Array; statics: Float32Array } {
  const counts = new Float32Array(Math.max(ops.length, 1) * nG);
  const statics = new Float32Array(ops.length);
  ops.forEach((op, i) => {
    for (const { segments, weight } of pick(op)) {
      for (const s of segments) {
        if (s.kind === 'static') statics[i] = statics[i]! + weight * s.size;
        else counts[i * nG + s.group] = counts[i * nG + s.group]! + weight;
      }
    }
  });
  return { counts, statics };
}

export function buildLatencyTerms(plan: RegularizerPlan): LatencyTerms {
  // A plan made by hand may lack ops: it can still regularize FLOPs and size.
  const ops = plan.ops ?? [];
  const nG = plan.groups.length;
  const nO = ops.length;
  const first = incidence(ops, nG, (op) => op.inputs.slice(0, 1).map((t) => ({ segments: t.segments, weight: 1 })));
  const out = incidence(ops, nG, (op) => [{ segments: op.output.segments, weight: 1 }]);
  const inMem = incidence(ops, nG, (op) => op.inputs.map((t) => ({ segments: t.segments, weight: t.payload })));
  const isDw = Float32Array.from(ops, (op) => (op.kind === 'depthwise' ? 1 : 0));
  const rows = Math.max(nO, 1); // nO from here on, except for a plan with no ops (w = 0)
  // One [3·ops × groups] matrix, so A_in, A_out and the input bytes come from one matmul, and
  // w from one more: rows 0…n−1 first input, n…2n−1 output, 2n…3n−1 payload-weighted inputs.
  const stacked = new Float32Array(3 * rows * nG);
  [first, out, inMem].forEach((m, k) => stacked.set(m.counts, k * rows * nG));
  const statics = new Float32Array(3 * rows);
  [first, out, inMem].forEach((m, k) => statics.set(m.statics, k * rows));
  const zeros = () => tf.variable(tf.zeros([rows]), false);
  const c = tf.tidy(() => ({
    p: tf.keep(tf.tensor2d(stacked, [3 * rows, nG])),
    statics: tf.keep(tf.tensor1d(statics)),
    isDw: tf.keep(tf.tensor1d(isDw)),
    notDw: tf.keep(tf.tensor1d(isDw.map((d) => 1 - d))),
    // Set by `set` from the device and batch: batch·C / peak, batch / bandwidth, the output's
    // batch·payload / bandwidth, and the weights' payload / bandwidth.
    kFlop: zeros(),
    kIn: tf.variable(tf.scalar(0), false),
    kOut: zeros(),
    kW: zeros(),
  }));
  let ready = false;

  function weights(alive: tf.Tensor2D): tf.Tensor2D {
    if (!ready) throw new Error('latency regularizer: no device set (LatencySettings)');
    planOps(plan); // throws for a plan without ops
    return tf.tidy(() => {
      if (nO === 0) return tf.zeros([1, nG]) as tf.Tensor2D;
      const a = tf.matMul(c.p, alive).reshape([3 * rows]).add(c.statics) as tf.Tensor1D;
      const aIn = a.slice(0, nO);
      const aOut = a.slice(rows, nO);
      const inBytes = a.slice(2 * rows, nO);
      // A_in and A_out as the bilinear terms use them: 1 for a depthwise op (§3).
      const xIn = aIn.mul(c.notDw).add(c.isDw);
      const xOut = aOut.mul(c.notDw).add(c.isDw);
      const pairs = aOut.mul(xIn); // A_in·A_out, or A_out for depthwise
      const compute = pairs.mul(c.kFlop);
      const memory = inBytes.mul(c.kIn).add(aOut.mul(c.kOut)).add(pairs.mul(c.kW));
      // 1 where memory > compute (step gives 0 at 0: a tie takes the compute term, as tf.cond's >).
      const mem = tf.step(memory.sub(compute));
      const flopK = c.kFlop.sub(c.kFlop.mul(mem));
      const coefFirst = mem.mul(c.kW).mul(aOut).mul(c.notDw).add(flopK.mul(xOut));
      const coefOut = mem.mul(c.kOut.add(c.kW.mul(xIn))).add(flopK.mul(xIn));
      const coefIn = mem.mul(c.kIn);
      const w = tf.concat([coefFirst, coefOut, coefIn]).reshape([1, 3 * rows]) as tf.Tensor2D;
      return tf.matMul(w, c.p);
    });
  }

  return {
    weights,
    set(latency: LatencySettings) {
      const { batch, hardware } = latency;
      const vec = (f: (op: LatencyOp) => number) => tf.tensor1d(ops.length === 0 ? [0] : ops.map(f));
      tf.tidy(() => {
        c.kFlop.assign(vec((op) => (batch * op.flopCoef) / hardware.peakGflops));
        c.kIn.assign(tf.scalar(batch / hardware.bandwidthGbs));
        c.kOut.assign(vec((op) => (batch * op.output.payload) / hardware.bandwidthGbs));
        c.kW.assign(vec((op) => op.weightPayload / hardware.bandwidthGbs));
      });
      ready = true;
    },
    get ready() {
      return ready;
    },
    dispose: () => tf.dispose(Object.values(c)),
  };
}

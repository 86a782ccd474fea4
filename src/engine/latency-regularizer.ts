// The latency target's coefficients for the differentiable regularizer (regularizer.ts), from the
// plan's LatencyOps. src/morphnet/latency-ops.ts is the reference in numbers: per op the active
// bound's term at the alive counts A (memory when memory > compute, the reference's tf.cond), which
// is linear in the group sums S, so the whole target is one weight vector w with R = w·S:
//   w = c_inᵀ·P_in + c_outᵀ·P_out + c_firstᵀ·P_first
// P_in [ops × groups] counts every input's segments weighted by its payload (an add's inputs all
// count), P_first the first input's (the bilinear terms' A_in, S_in), P_out the output's.
// The device and batch are scalar variables assigned in place (`set`), so switching the device
// or the target between steps rebuilds nothing.
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
  const c = tf.tidy(() => ({
    pFirst: tf.keep(tf.tensor2d(first.counts, [Math.max(nO, 1), nG])),
    staticFirst: tf.keep(tf.tensor1d(first.statics)),
    pOut: tf.keep(tf.tensor2d(out.counts, [Math.max(nO, 1), nG])),
    staticOut: tf.keep(tf.tensor1d(out.statics)),
    pInMem: tf.keep(tf.tensor2d(inMem.counts, [Math.max(nO, 1), nG])),
    staticInMem: tf.keep(tf.tensor1d(inMem.statics)),
    payOut: tf.keep(tf.tensor1d(ops.map((op) => op.output.payload))),
    weightPay: tf.keep(tf.tensor1d(ops.map((op) => op.weightPayload))),
    flopCoef: tf.keep(tf.tensor1d(ops.map((op) => op.flopCoef))),
    isDw: tf.keep(tf.tensor1d(isDw)),
    notDw: tf.keep(tf.tensor1d(isDw.map((d) => 1 - d))),
    batch: tf.variable(tf.scalar(1), false),
    invPeak: tf.variable(tf.scalar(0), false),
    invBw: tf.variable(tf.scalar(0), false),
  }));
  let ready = false;

  function weights(alive: tf.Tensor2D): tf.Tensor2D {
    if (!ready) throw new Error('latency regularizer: no device set (LatencySettings)');
    planOps(plan); // throws for a plan without ops
    return tf.tidy(() => {
      if (nO === 0) return tf.zeros([1, nG]) as tf.Tensor2D;
      const col = (m: tf.Tensor2D, s: tf.Tensor1D) => tf.matMul(m, alive).reshape([nO]).add(s) as tf.Tensor1D;
      const aIn = col(c.pFirst, c.staticFirst);
      const aOut = col(c.pOut, c.staticOut);
      const inBytes = col(c.pInMem, c.staticInMem);
      // Channel pairs of the bilinear terms: A_in·A_out, or A_out for depthwise.
      const pairs = aIn.mul(aOut).mul(c.notDw).add(aOut.mul(c.isDw));
      const compute = pairs.mul(c.flopCoef).mul(c.batch).mul(c.invPeak);
      const memory = inBytes.add(c.payOut.mul(aOut)).mul(c.batch).add(c.weightPay.mul(pairs)).mul(c.invBw);
      // 1 where memory > compute (step gives 0 at 0: a tie takes the compute term, as tf.cond's >).
      const mem = tf.step(memory.sub(compute));
      const cmp = tf.scalar(1).sub(mem);
      const flopK = c.flopCoef.mul(c.batch).mul(c.invPeak).mul(cmp);
      const coefIn = mem.mul(c.batch).mul(c.invBw);
      const coefOut = mem
        .mul(c.payOut.mul(c.batch).add(c.weightPay.mul(aIn.mul(c.notDw).add(c.isDw))))
        .mul(c.invBw)
        .add(flopK.mul(aIn.mul(c.notDw).add(c.isDw)));
      const coefFirst = mem
        .mul(c.weightPay.mul(aOut).mul(c.notDw))
        .mul(c.invBw)
        .add(flopK.mul(aOut.mul(c.notDw).add(c.isDw)));
      const row = (v: tf.Tensor, m: tf.Tensor2D) => tf.matMul(v.reshape([1, nO]) as tf.Tensor2D, m);
      return row(coefIn, c.pInMem).add(row(coefOut, c.pOut)).add(row(coefFirst, c.pFirst)) as tf.Tensor2D;
    });
  }

  return {
    weights,
    set(latency: LatencySettings) {
      tf.tidy(() => {
        c.batch.assign(tf.scalar(latency.batch));
        c.invPeak.assign(tf.scalar(1 / latency.hardware.peakGflops));
        c.invBw.assign(tf.scalar(1 / latency.hardware.bandwidthGbs));
      });
      ready = true;
    },
    get ready() {
      return ready;
    },
    dispose: () => tf.dispose(Object.values(c)),
  };
}

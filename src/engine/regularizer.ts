// The differentiable MorphNet regularizer (MORPHNET.md §3 over the groups of §4), built from the
// live γ and the pure RegularizerPlan. src/morphnet/regularizer.ts is its reference in numbers.
//
// Given the alive counts A (constants), R is linear in the group sums S:
//   R = Σ_t C_t·(A_in,t·S_out,t + A_out,t·S_in,t)  =  Σ_g w_g·S_g,
//   w = P_outᵀ(C∘A_in) + P_inᵀ(C∘A_out)   (depthwise terms: A_in = A_out = 1),
// where P_in/P_out [terms × groups] count how often a group's segment appears in a term's input
// or output. w_g is then exactly the marginal cost of one channel of group g. Written this way a
// step costs a handful of small matmuls instead of a few ops per term, which matters on WebGPU
// where every op is a dispatch. Latency's w comes from its own op-level coefficients
// (latency-regularizer.ts), on the same S and A.
import * as tf from '@tensorflow/tfjs';
import type { Group, LatencySettings, RegularizerPlan, Segment, Target } from '../morphnet/types.ts';
import { buildLatencyTerms } from './latency-regularizer.ts';

export interface Regularizer {
  /**
   * R(γ) in resource units of `target` (FLOPs, parameters, or ns of latency), as a scalar on the
   * tape: its gradient reaches γ through S only. `threshold` decides the alive counts, which carry
   * no gradient. `gamma(name)` returns a batch-normed layer's (signed) γ. Latency needs
   * `setLatency` first.
   */
  apply(gamma: (layer: string) => tf.Tensor1D, target: Target, threshold: tf.Scalar | number): tf.Scalar;
  /** The device and batch the latency target prices for: assigned in place, nothing rebuilt. */
  setLatency(latency: LatencySettings): void;
  dispose(): void;
}

interface TargetConsts {
  coef: tf.Tensor1D;
}

function incidence(
  plan: RegularizerPlan,
  side: 'input' | 'output',
): { counts: Float32Array; statics: Float32Array } {
  const nG = plan.groups.length;
  const counts = new Float32Array(plan.terms.length * nG);
  const statics = new Float32Array(plan.terms.length);
  plan.terms.forEach((t, i) => {
    const segs: Segment[] = t[side];
    for (const s of segs) {
      if (s.kind === 'static') statics[i] = statics[i]! + s.size;
      else counts[i * nG + s.group] = counts[i * nG + s.group]! + 1;
    }
  });
  return { counts, statics };
}

/**
 * The |γ| vectors a group's max folds over, in the pure reference's order: member by member, and
 * a depthwise piece (MemberSlice) as its `multiplier` strided columns k = 0 … m−1.
 */
function feeds(g: Group, gamma: (layer: string) => tf.Tensor1D): tf.Tensor1D[] {
  return g.members.flatMap((m, k) => {
    const all = tf.abs(gamma(m));
    const { offset, multiplier: n } = g.slices?.[k] ?? { offset: 0, multiplier: 1 };
    if (offset === 0 && n === 1 && all.shape[0] === g.size) return [all];
    const block = all.slice(offset, g.size * n).reshape([g.size, n]);
    // Column slices, not tf.split: split's gradient concatenates a list that is empty when a
    // training step's tape holds no gradient for it ("Pass at least one tensor to concat").
    return Array.from(
      { length: n },
      (_, j) => block.slice([0, j], [g.size, 1]).reshape([g.size]) as tf.Tensor1D,
    );
  });
}

export function buildRegularizer(plan: RegularizerPlan): Regularizer {
  const nG = plan.groups.length;
  const nT = plan.terms.length;
  const sizes = plan.groups.map((g) => g.size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const pin = incidence(plan, 'input');
  const pout = incidence(plan, 'output');
  const isDw = Float32Array.from(plan.terms, (t) => (t.kind === 'depthwise' ? 1 : 0));

  // Channel → group membership, so S = v·M and A = step(v − threshold)·M in one matmul each.
  const member = new Float32Array(total * nG);
  let row = 0;
  sizes.forEach((n, g) => {
    for (let i = 0; i < n; i++) member[(row + i) * nG + g] = 1;
    row += n;
  });

  const consts = tf.tidy(() => ({
    member: tf.keep(tf.tensor2d(member, [Math.max(total, 1), nG])),
    pin: tf.keep(tf.tensor2d(pin.counts, [nT, nG])),
    pout: tf.keep(tf.tensor2d(pout.counts, [nT, nG])),
    staticIn: tf.keep(tf.tensor1d(pin.statics)),
    staticOut: tf.keep(tf.tensor1d(pout.statics)),
    isDw: tf.keep(tf.tensor1d(isDw)),
    notDw: tf.keep(tf.tensor1d(isDw.map((d) => 1 - d))),
  }));
  // One coefficient vector per target, made once: switching target between steps picks the
  // other vector, nothing is rebuilt.
  const byTarget: Record<Exclude<Target, 'latency'>, TargetConsts> = {
    flops: { coef: tf.tensor1d(plan.terms.map((t) => t.flopCoef)) },
    size: { coef: tf.tensor1d(plan.terms.map((t) => t.sizeCoef)) },
  };
  const latency = buildLatencyTerms(plan);

  function apply(
    gamma: (layer: string) => tf.Tensor1D,
    target: Target,
    threshold: tf.Scalar | number,
  ): tf.Scalar {
    return tf.tidy(() => {
      if (nG === 0 || nT === 0) return tf.scalar(0);
      // Group vector: elementwise max of members' |γ|, folded left so that ties send the
      // gradient to the first member (tf.maximum's rule), as the pure marginalCosts assumes.
      const vectors = plan.groups.map((g) => feeds(g, gamma).reduce((acc, v) => tf.maximum(acc, v)));
      const v = tf.concat(vectors).expandDims(0) as tf.Tensor2D;
      const s = tf.matMul(v, consts.member).reshape([nG, 1]) as tf.Tensor2D;
      // Alive counts: step() has a zero gradient, so A is a constant for backprop (§3).
      // Strictly greater: for IEEE floats, v − t > 0 exactly when v > t.
      const alive = tf.matMul(tf.step(tf.sub(v, threshold)), consts.member).reshape([nG, 1]) as tf.Tensor2D;
      if (target === 'latency') return tf.matMul(latency.weights(alive), s).reshape([]) as tf.Scalar;
      const aIn = tf.matMul(consts.pin, alive).reshape([nT]).add(consts.staticIn);
      const aOut = tf.matMul(consts.pout, alive).reshape([nT]).add(consts.staticOut);
      const c = byTarget[target].coef;
      // Depthwise: C·(S_in + S_out), i.e. both factors are 1.
      const coefOut = c.mul(aIn.mul(consts.notDw).add(consts.isDw));
      const coefIn = c.mul(aOut.mul(consts.notDw).add(consts.isDw));
      const w = tf.add(
        tf.matMul(coefOut.expandDims(0), consts.pout),
        tf.matMul(coefIn.expandDims(0), consts.pin),
      ) as tf.Tensor2D;
      return tf.matMul(w, s).reshape([]) as tf.Scalar;
    });
  }

  return {
    apply,
    setLatency: (l) => latency.set(l),
    dispose: () => {
      tf.dispose(Object.values(consts));
      tf.dispose([byTarget.flops.coef, byTarget.size.coef]);
      latency.dispose();
    },
  };
}

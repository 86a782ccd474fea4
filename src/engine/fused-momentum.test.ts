import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initNodeBackend } from './backend-node.ts';
import { forceStockMomentum, FusedMomentumOptimizer, MOMENTUM_UPDATE } from './fused-momentum.ts';

// tfjs variable names must be unique in a process; a counter keeps them so without Math.random.
let made = 0;
const fresh = (prefix: string) => `${prefix}${made++}`;

function wave(n: number, f: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * f + 0.3));
}

/** Five steps of a tiny least-squares problem with a learning-rate change; every value read back. */
async function train(make: () => tf.Optimizer): Promise<Float32Array[]> {
  const w = tf.variable(tf.tensor2d(wave(12, 0.7), [4, 3]), true, fresh('w'));
  const b = tf.variable(tf.tensor1d(wave(3, 1.3)), true, fresh('b'));
  const x = tf.tensor2d(wave(20, 0.37), [5, 4]);
  const y = tf.tensor2d(wave(15, 0.11), [5, 3]);
  const opt = make();
  const loss = () => tf.matMul(x, w).add(b).sub(y).square().mean() as tf.Scalar;
  for (let step = 0; step < 5; step++) {
    if (step === 3) (opt as tf.MomentumOptimizer).setLearningRate(0.03);
    opt.minimize(loss, false, [w, b]);
  }
  const slots = (await opt.getWeights()).slice(1).map((s) => s.tensor);
  const out = await Promise.all([w, b, ...slots].map(async (t) => (await t.data()) as Float32Array));
  opt.dispose();
  tf.dispose([w, b, x, y]);
  return out;
}

describe('FusedMomentumOptimizer', () => {
  it('gives tf.train.momentum’s values and accumulators bit for bit on wasm, in one kernel a step', async () => {
    await initNodeBackend('wasm');
    expect(tf.getKernel(MOMENTUM_UPDATE, 'wasm')).toBeDefined();
    const stock = await train(() => tf.train.momentum(0.1, 0.9));
    const fused = await train(() => new FusedMomentumOptimizer(0.1, 0.9));
    expect(fused).toHaveLength(4); // w, b and their two accumulators
    for (let i = 0; i < stock.length; i++) expect(Array.from(fused[i]!)).toEqual(Array.from(stock[i]!));
    expect(Array.from(stock[0]!)).not.toEqual(Array.from(wave(12, 0.7))); // it trained
    // One update kernel per step, where tfjs runs four per variable.
    const opt = new FusedMomentumOptimizer(0.1, 0.9);
    const v = tf.variable(tf.ones([3]), true, fresh('v'));
    const profile = await tf.profile(() => opt.applyGradients([{ name: v.name, tensor: tf.ones([3]) }]));
    expect(profile.kernels.map((k) => k.name).filter((n) => n === MOMENTUM_UPDATE)).toHaveLength(1);
    expect(profile.kernels.map((k) => k.name)).not.toContain('Multiply');
    opt.dispose();
    v.dispose();
  });

  it('falls back to the parent where the kernel is not registered (cpu) or when forced', async () => {
    await initNodeBackend('cpu');
    const stockCpu = await train(() => tf.train.momentum(0.1, 0.9));
    const fusedCpu = await train(() => new FusedMomentumOptimizer(0.1, 0.9));
    for (let i = 0; i < stockCpu.length; i++) expect(Array.from(fusedCpu[i]!)).toEqual(Array.from(stockCpu[i]!));
    await initNodeBackend('wasm');
    forceStockMomentum(true);
    try {
      const v = tf.variable(tf.ones([3]), true, fresh('v'));
      const opt = new FusedMomentumOptimizer(0.1, 0.9);
      const profile = await tf.profile(() => opt.applyGradients([{ name: v.name, tensor: tf.ones([3]) }]));
      expect(profile.kernels.map((k) => k.name)).not.toContain(MOMENTUM_UPDATE);
      opt.dispose();
      v.dispose();
    } finally {
      forceStockMomentum(false);
    }
  });
});

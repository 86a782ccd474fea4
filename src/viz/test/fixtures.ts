// Small hand-written specs and seeded data for the viz tests and the preview script, so the viz
// does not depend on the seed networks another module owns.
import type { Layer, NetworkSpec } from '../../morphnet/types.ts';

const conv = (name: string, from: string, filters: number, kernel = 3, stride = 1): Layer => ({
  type: 'conv',
  name,
  from,
  filters,
  kernel,
  ...(stride > 1 ? { stride } : {}),
});

/** Stem, a stage of two residual blocks, a strided stage with a 1×1 projection shortcut, gap, dense. */
export const resnetSpec: NetworkSpec = {
  name: 'resnet-fixture',
  input: { height: 28, width: 28, channels: 1 },
  classes: 10,
  layers: [
    conv('stem', 'input', 16),
    conv('s1b1/conv1', 'stem', 16),
    conv('s1b1/conv2', 's1b1/conv1', 16),
    { type: 'add', name: 's1b1/add', from: ['stem', 's1b1/conv2'] },
    conv('s1b2/conv1', 's1b1/add', 16),
    conv('s1b2/conv2', 's1b2/conv1', 16),
    { type: 'add', name: 's1b2/add', from: ['s1b1/add', 's1b2/conv2'] },
    conv('s2b1/conv1', 's1b2/add', 32, 3, 2),
    conv('s2b1/conv2', 's2b1/conv1', 32),
    conv('s2b1/proj', 's1b2/add', 32, 1, 2),
    { type: 'add', name: 's2b1/add', from: ['s2b1/proj', 's2b1/conv2'] },
    conv('s2b2/conv1', 's2b1/add', 32),
    conv('s2b2/conv2', 's2b2/conv1', 32),
    { type: 'add', name: 's2b2/add', from: ['s2b1/add', 's2b2/conv2'] },
    { type: 'gap', name: 'pool', from: 's2b2/add' },
    { type: 'dense', name: 'logits', from: 'pool', units: 10 },
  ],
};

/** A stem, one inception-style block of four towers (one behind a max pool), a strided conv. */
export const inceptionSpec: NetworkSpec = {
  name: 'inception-fixture',
  input: { height: 28, width: 28, channels: 1 },
  classes: 10,
  layers: [
    conv('stem', 'input', 16),
    conv('mix/b1', 'stem', 8, 1),
    conv('mix/b2a', 'stem', 8, 1),
    conv('mix/b2b', 'mix/b2a', 12),
    conv('mix/b3a', 'stem', 4, 1),
    conv('mix/b3b', 'mix/b3a', 8, 5),
    { type: 'maxpool', name: 'mix/pool', from: 'stem', kernel: 3 },
    conv('mix/b4', 'mix/pool', 8, 1),
    { type: 'concat', name: 'mix/concat', from: ['mix/b1', 'mix/b2b', 'mix/b3b', 'mix/b4'] },
    conv('head', 'mix/concat', 48, 3, 2),
    { type: 'gap', name: 'pool', from: 'head' },
    { type: 'dense', name: 'logits', from: 'pool', units: 10 },
  ],
};

/** A seeded generator (mulberry32) so snapshots and previews are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A bimodal |γ| vector like mid-training MorphNet: a dead cluster near 1e-4, a live one near 0.5. */
export function bimodalGammas(n: number, deadFraction: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const dead = r() < deadFraction;
    const centre = dead ? -4 : -0.3;
    const spread = dead ? 0.6 : 0.35;
    out[i] = 10 ** (centre + spread * (r() + r() + r() - 1.5));
  }
  return out;
}

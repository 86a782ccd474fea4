// Specs shared by the morphnet tests. The worked example is MORPHNET.md §3's.
import type { NetworkSpec } from '../types.ts';
import { validateSpec } from '../spec.ts';

export const workedExample: NetworkSpec = validateSpec(
  {
    name: 'worked-example',
    input: { height: 32, width: 32, channels: 3 },
    classes: 10,
    layers: [
      { name: 'conv1', type: 'conv', from: 'input', filters: 16, kernel: 3 },
      { name: 'conv2', type: 'conv', from: 'conv1', filters: 32, kernel: 3, stride: 2 },
      { name: 'pool', type: 'gap', from: 'conv2' },
      { name: 'logits', type: 'dense', from: 'pool', units: 10 },
    ],
  },
  'worked-example',
);

/** A stem and a two-block residual stage: stem, b1/conv2 and b2/conv2 are tied by the adds (§4). */
export const residualStage: NetworkSpec = validateSpec(
  {
    name: 'residual-stage',
    input: { height: 8, width: 8, channels: 1 },
    classes: 4,
    layers: [
      { name: 'stem', type: 'conv', from: 'input', filters: 8, kernel: 3 },
      { name: 'b1/conv1', type: 'conv', from: 'stem', filters: 4, kernel: 3 },
      { name: 'b1/conv2', type: 'conv', from: 'b1/conv1', filters: 8, kernel: 3, relu: false },
      { name: 'b1/add', type: 'add', from: ['stem', 'b1/conv2'] },
      { name: 'b2/conv1', type: 'conv', from: 'b1/add', filters: 4, kernel: 3 },
      { name: 'b2/conv2', type: 'conv', from: 'b2/conv1', filters: 8, kernel: 3, relu: false },
      { name: 'b2/add', type: 'add', from: ['b1/add', 'b2/conv2'] },
      { name: 'pool', type: 'gap', from: 'b2/add' },
      { name: 'logits', type: 'dense', from: 'pool', units: 4 },
    ],
  },
  'residual-stage',
);

export function ones(n: number, v = 1): Float32Array {
  return new Float32Array(n).fill(v);
}

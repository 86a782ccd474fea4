import { describe, expect, it } from 'vitest';
import { useStudio } from '../state/store.ts';
import { testState } from './testApi.ts';

describe('window.__studio.getState', () => {
  it('reports the run, the network widths and a |γ| fingerprint from the store', () => {
    useStudio.setState({
      backend: 'webgpu',
      adapter: { vendor: 'google', architecture: 'swiftshader', description: '', isFallback: true },
      running: true,
      step: 7,
      cycle: 1,
      seedCost: { flops: 100, params: 10 },
      cost: { flops: 60, params: 8 },
      alive: { c1: 3 },
      gammas: { c1: new Float32Array([1, 0, 0.5, 0.5]) },
      spec: {
        name: 's',
        input: { height: 4, width: 4, channels: 1 },
        classes: 2,
        layers: [
          { type: 'conv', name: 'c1', from: 'input', filters: 4, kernel: 3 },
          { type: 'gap', name: 'pool', from: 'c1' },
          { type: 'dense', name: 'logits', from: 'pool', units: 2 },
        ],
      },
      progress: { compile: { type: 'progress', task: 'compile', label: '', fraction: null, done: false } },
    });
    const s = testState();
    expect(s).toMatchObject({
      backend: 'webgpu',
      adapter: { architecture: 'swiftshader', isFallback: true },
      running: true,
      step: 7,
      cycle: 1,
      target: 'flops',
      seedCost: { flops: 100, params: 10 },
      cost: { flops: 60, params: 8 },
      alive: { c1: 3 },
      widths: { c1: 4 },
      gammaMeans: { c1: 0.5 },
      progress: ['compile'],
      testAccuracy: null,
    });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

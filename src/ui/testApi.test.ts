import { describe, expect, it } from 'vitest';
import { useRuns } from '../state/runs/runs.ts';
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

  it('lists the saved runs with their id, name, target, seed, step, cycle, alive, cost and test accuracy', () => {
    useRuns.setState({
      runs: [
        {
          id: 'run-1',
          name: 'plain-cnn · shapes · FLOPs · seed 3',
          pinned: false,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:05.000Z',
          origin: 'studio',
          group: null,
          net: 'plain-cnn',
          dataset: 'shapes',
          target: 'size',
          seed: 3,
          step: 12,
          cycle: 1,
          alive: { conv1: 5 },
          cost: { flops: 50, params: 5 },
          seedCost: { flops: 100, params: 10 },
          testAccuracy: 0.5,
        },
      ],
    });
    expect(testState().runs).toEqual([
      {
        id: 'run-1',
        name: 'plain-cnn · shapes · FLOPs · seed 3',
        target: 'size',
        seed: 3,
        step: 12,
        cycle: 1,
        alive: { conv1: 5 },
        cost: { flops: 50, params: 5 },
        testAccuracy: 0.5,
      },
    ]);
  });
});

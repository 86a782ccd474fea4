// `morphnet sweep` in-process on the generated shapes dataset, a tiny spec and a handful of steps.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { uniformSpec } from '../morphnet/baselines.ts';
import { networkCost } from '../morphnet/cost.ts';
import { validateSpec } from '../morphnet/spec.ts';
import type { SweepFile } from '../morphnet/sweep.ts';
import { runSweep } from './sweep.ts';

const dir = mkdtempSync(join(tmpdir(), 'morphnet-sweep-'));
const tiny = {
  name: 'tiny',
  input: { height: 32, width: 32, channels: 3 },
  classes: 6,
  layers: [
    { name: 'c1', type: 'conv', from: 'input', filters: 8, kernel: 3, stride: 2 },
    { name: 'c2', type: 'conv', from: 'c1', filters: 8, kernel: 3, stride: 2 },
    { name: 'b/conv', type: 'conv', from: 'c2', filters: 4, kernel: 3 },
    { name: 'b/back', type: 'conv', from: 'b/conv', filters: 8, kernel: 1, relu: false },
    { name: 'b/add', type: 'add', from: ['c2', 'b/back'] },
    { name: 'pool', type: 'gap', from: 'b/add' },
    { name: 'logits', type: 'dense', from: 'pool', units: 6 },
  ],
};
writeFileSync(join(dir, 'tiny.json'), JSON.stringify(tiny));

describe('morphnet sweep', () => {
  it('writes the three families with the right costs', async () => {
    const out = join(dir, 'sweep.json');
    const log: string[] = [];
    const code = await runSweep([
      '--spec', join(dir, 'tiny.json'),
      '--dataset', 'shapes',
      '--steps', '3',
      '--batch', '8',
      '--seed', '4',
      '--multipliers', '0.5,1',
      '--prune', '0.25,0.5,0.75',
      '--finetune', '2',
      '--strengths', '5',
      '--budgets', '1,0.5',
      '--backend', 'wasm',
      '--out', out,
    ], { write: (t: string) => log.push(t) });
    expect(code).toBe(0);
    expect(log[0]).toMatch(/^\[1\/7\] uniform ×0\.5: FLOPs 37\.3%, params 30\.7% of the seed; test \d+\.\d%/);
    expect(log.at(-1)).toMatch(/^done: 7 points in 0:\d\d on wasm; wrote /);
    const file = JSON.parse(readFileSync(out, 'utf8')) as SweepFile;
    expect(file.format).toBe('morphnet-sweep');
    expect(file.version).toBe(1);
    expect(file.settings).toMatchObject({ steps: 3, batch: 8, seed: 4, finetune: 2, target: 'flops', backend: 'wasm' });
    expect(file.testExamples).toBe(512);
    expect(file.points.map((p) => `${p.family} ${p.label}`)).toEqual([
      'uniform ×0.5',
      'uniform ×1',
      'pruning 25%',
      'pruning 50%',
      'pruning 75%',
      'morphnet strength 5',
      'morphnet strength 5, budget 50%',
    ]);
    const seed = validateSpec(tiny, 'tiny');
    const seedCost = networkCost(seed);
    expect(file.seed.flops).toBe(seedCost.flops);
    for (const p of file.points) {
      expect(p.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(p.testAccuracy).toBeLessThanOrEqual(1);
      expect(p.flops).toBe(networkCost(p.spec).flops);
      expect(p.params).toBe(networkCost(p.spec).params);
      expect(Object.keys(p.widths)).toEqual(['c1', 'c2', 'b/conv', 'b/back']);
    }
    const [half, whole, ...rest] = file.points;
    expect(half!.flops).toBe(networkCost(uniformSpec(seed, 0.5)).flops);
    expect(half!.widths).toEqual({ c1: 4, c2: 4, 'b/conv': 2, 'b/back': 4 });
    expect(whole!.flops).toBe(seedCost.flops);
    const pruned = rest.slice(0, 3);
    expect(pruned.map((p) => p.steps)).toEqual([2, 2, 2]);
    expect(pruned[0]!.widths).toEqual({ c1: 6, c2: 6, 'b/conv': 3, 'b/back': 6 });
    for (let i = 1; i < 3; i++) expect(pruned[i]!.flops).toBeLessThan(pruned[i - 1]!.flops);
    const [atSeed, atHalf] = rest.slice(3);
    expect(atSeed!.settings).toMatchObject({ family: 'morphnet', strength: 5, budget: 1 });
    expect(atSeed!.flops).toBeLessThanOrEqual(seedCost.flops);
    expect(atHalf!.flops).toBeLessThanOrEqual(seedCost.flops / 2);
    expect(atSeed!.learned!.flops).toBe(networkCost(seed, atSeed!.alive).flops);
  });

  it('rejects a bad list before loading anything', async () => {
    await expect(runSweep(['--spec', 'plain-cnn', '--dataset', 'mnist', '--out', 'x', '--prune', '0.5,2'])).rejects.toThrow(
      'sweep: --prune takes a comma-separated list of fractions in [0, 1], got "2"',
    );
  });
});

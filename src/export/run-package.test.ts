import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { networkCost } from '../morphnet/cost.ts';
import { seedSpec } from '../morphnet/seeds.ts';
import { parseSpec } from '../morphnet/spec.ts';
import { PYTORCH_SOURCES } from './pytorch.ts';
import { RunPackageError, runPytorchPackage } from './run-package.ts';
import { pytorchSources } from './sources.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the page bundle of the Python sources', () => {
  it('holds every source, equal to the file on disk', () => {
    for (const name of PYTORCH_SOURCES) {
      expect(pytorchSources[name]).toBe(readFileSync(join(ROOT, 'pytorch/morphnet_torch', name), 'utf8'));
    }
  });
});

describe('runPytorchPackage', () => {
  const seed = seedSpec('resnet-mini');
  const run = {
    seedSpec: seed,
    spec: seed,
    alive: {},
    importedSpec: false,
    settings: { net: 'resnet-mini' },
  };

  it('exports the run network with the seed named, or at its alive widths', () => {
    const full = runPytorchPackage(run, pytorchSources);
    expect(parseSpec(full['spec.json'] as string)).toEqual(seed);
    expect(JSON.parse(full['plan.json'] as string).net).toBe('resnet-mini');
    // s1b1/conv1 is a block's inner conv; the stage-1 group (stem and the blocks' conv2) shrinks together.
    const alive = { 's1b1/conv1': 3, stem: 9, 's1b1/conv2': 9, 's1b2/conv2': 9 };
    const narrow = runPytorchPackage({ ...run, alive }, pytorchSources, 'alive');
    const spec = parseSpec(narrow['spec.json'] as string);
    const filters = Object.fromEntries(
      spec.layers.flatMap((l) => (l.type === 'conv' ? [[l.name, l.filters]] : [])),
    );
    expect(filters).toMatchObject({
      stem: 9,
      's1b1/conv1': 3,
      's1b1/conv2': 9,
      's1b2/conv1': 16,
      's2b1/conv1': 32,
    });
    const plan = JSON.parse(narrow['plan.json'] as string);
    expect(plan.seedCost.flops).toBe(networkCost(seed).flops);
    expect(
      JSON.parse(runPytorchPackage({ ...run, importedSpec: true }, pytorchSources)['plan.json'] as string)
        .net,
    ).toBeNull();
  });

  it('carries a latency run’s device and batch into plan.json, and nothing for other targets', () => {
    const t4 = { hardware: { name: 'T4', peakGflops: 8100, bandwidthGbs: 300 }, batch: 2 };
    const latencyRun = { ...run, settings: { net: 'resnet-mini', target: 'latency' as const }, latency: t4 };
    const plan = JSON.parse(runPytorchPackage(latencyRun, pytorchSources)['plan.json'] as string);
    expect(plan.latency).toEqual(t4);
    const learned = JSON.parse(runPytorchPackage(latencyRun, pytorchSources, 'alive')['plan.json'] as string);
    expect(learned.latency).toEqual(t4);
    // A run that moved on to FLOPs keeps no stale device; neither does a run without one.
    const flops = { ...latencyRun, settings: { net: 'resnet-mini', target: 'flops' as const } };
    expect('latency' in JSON.parse(runPytorchPackage(flops, pytorchSources)['plan.json'] as string)).toBe(
      false,
    );
    expect('latency' in JSON.parse(runPytorchPackage(run, pytorchSources)['plan.json'] as string)).toBe(
      false,
    );
  });

  it('refuses alive widths that cut the logits off', () => {
    const dead = Object.fromEntries(seed.layers.filter((l) => l.type === 'conv').map((l) => [l.name, 0]));
    expect(() => runPytorchPackage({ ...run, alive: dead }, pytorchSources, 'alive')).toThrow(
      RunPackageError,
    );
  });
});

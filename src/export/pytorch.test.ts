import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { networkCost } from '../morphnet/cost.ts';
import { buildPlan } from '../morphnet/plan.ts';
import { seedSpec } from '../morphnet/seeds.ts';
import { validateSpec } from '../morphnet/spec.ts';
import { networkLatency, referenceHardware } from '../morphnet/latency.ts';
import { summarizeRun } from '../state/runs/record.ts';
import { parseRunFile } from '../state/runs/validate.ts';
import { PYTORCH_SOURCES, pytorchPackage, torchPlan } from './pytorch.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const sources = Object.fromEntries(
  PYTORCH_SOURCES.map((n) => [n, readFileSync(join(ROOT, 'pytorch/morphnet_torch', n), 'utf8')]),
);

// A depthwise with a multiplier reading a conv, and a depthwise reading a concat (plan.ts's two cases).
const mixed = validateSpec(
  {
    name: 'mixed',
    input: { height: 9, width: 9, channels: 3 },
    classes: 5,
    layers: [
      { name: 'stem', type: 'conv', from: 'input', filters: 6, kernel: 3, stride: 2 },
      { name: 'dw', type: 'depthwise', from: 'stem', kernel: 3, multiplier: 2 },
      { name: 'side', type: 'conv', from: 'stem', filters: 4, kernel: 1, bn: false },
      { name: 'cat', type: 'concat', from: ['dw', 'side'] },
      { name: 'dw2', type: 'depthwise', from: 'cat', kernel: 3 },
      { name: 'gap', type: 'gap', from: 'dw2' },
      { name: 'logits', type: 'dense', from: 'gap', units: 5 },
    ],
  },
  'mixed',
);

describe('torchPlan', () => {
  it('is the studio plan itself, with F(seed) of the seed it is given', () => {
    const spec = seedSpec('resnet-mini');
    const plan = torchPlan(spec, { net: 'resnet-mini' });
    const { groups, terms, widths, groupOf, ops } = plan;
    expect({ groups, terms, widths, groupOf, ops }).toEqual(buildPlan(spec));
    expect(plan.seedCost).toEqual({ flops: networkCost(spec).flops, params: networkCost(spec).params });
    const seed = seedSpec('plain-cnn');
    expect(torchPlan(spec, { seed }).seedCost.flops).toBe(networkCost(seed).flops);
    // The seed's ops, for latency.py's unit of strength, only when the network is not the seed.
    expect(torchPlan(spec, { seed }).seedOps).toEqual(buildPlan(seed).ops);
    expect('seedOps' in plan).toBe(false);
    expect(plan.net).toBe('resnet-mini');
    expect(torchPlan(spec).net).toBeNull();
  });

  it('says where each layer of the structure file reads its alive count', () => {
    const plan = torchPlan(mixed);
    const byKey = Object.fromEntries(plan.structure.map((s) => [s.key, s.output]));
    const stem = plan.groupOf['stem'] as number;
    const stemGroup = { kind: 'group', group: stem, size: 6 };
    expect(byKey).toEqual({
      'stem/Conv2D': [stemGroup],
      // multiplier 2: its width follows its input's alive channels, twice over
      'dw/depthwise': [stemGroup, stemGroup],
      'side/Conv2D': [{ kind: 'static', size: 4 }],
      'dw2/depthwise': [stemGroup, stemGroup, { kind: 'static', size: 4 }],
    });
  });
});

describe('pytorchPackage', () => {
  it('writes the sources unchanged and the network as data', () => {
    const files = pytorchPackage(mixed, sources);
    expect(Object.keys(files)).toEqual([...PYTORCH_SOURCES, 'spec.json', 'plan.json']);
    expect(files['model.py']).toBe(sources['model.py']);
    expect(validateSpec(JSON.parse(files['spec.json'] as string), 'spec.json')).toEqual(mixed);
    expect(JSON.parse(files['plan.json'] as string)).toEqual(torchPlan(mixed));
  });

  it('names a missing source', () => {
    const { 'train.py': _gone, ...rest } = sources;
    expect(() => pytorchPackage(mixed, rest)).toThrow('PyTorch package: the source train.py is missing');
  });
});

const hasTorch = spawnSync('python3', ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;
const hasMnist = existsSync(join(ROOT, 'public/data/mnist-train.bin'));

describe.skipIf(!hasTorch || !hasMnist)('train.py (PyTorch installed)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'morphnet-torch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a run.json that the runs list imports', () => {
    const spec = validateSpec(
      {
        name: 'tiny',
        input: { height: 28, width: 28, channels: 1 },
        classes: 10,
        layers: [
          { name: 'conv1', type: 'conv', from: 'input', filters: 4, kernel: 3, stride: 2 },
          { name: 'conv2', type: 'conv', from: 'conv1', filters: 6, kernel: 3, stride: 2 },
          { name: 'pool', type: 'gap', from: 'conv2' },
          { name: 'logits', type: 'dense', from: 'pool', units: 10 },
        ],
      },
      'tiny',
    );
    for (const [name, text] of Object.entries(pytorchPackage(spec, sources)))
      writeFileSync(join(dir, name), text);
    const args = [
      'train.py',
      '--data',
      join(ROOT, 'public/data'),
      '--steps',
      '3',
      '--batch',
      '8',
      '--eval-every',
      '3',
    ];
    const done = spawnSync('python3', [...args, '--out', join(dir, 'run')], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    expect(done.stderr).toMatch(/done: 3 steps in \d+ s on 1 x cpu/);
    expect(done.status).toBe(0);
    const run = parseRunFile(readFileSync(join(dir, 'run', 'run.json'), 'utf8'), 'run.json');
    expect(run.spec).toEqual(spec);
    expect(run.importedSpec).toBe(true);
    expect(run.step).toBe(3);
    expect(run.settings).toMatchObject({ dataset: 'mnist', target: 'flops', batch: 8, seed: 1, lr: 0.05 });
    expect(Object.keys(run.alive).sort()).toEqual(['conv1', 'conv2']);
    expect(run.metrics.testCurve.map((p) => p.step)).toEqual([3]);
    expect(run.seedCost).toEqual({ flops: networkCost(spec).flops, params: networkCost(spec).params });
    const structure = JSON.parse(readFileSync(join(dir, 'run', 'learned_structure', 'alive_3'), 'utf8'));
    expect(structure).toEqual({ 'conv1/Conv2D': run.alive['conv1'], 'conv2/Conv2D': run.alive['conv2'] });
    // A latency run towards the device plan.json carries: the runs list takes its device too.
    const t4 = { hardware: referenceHardware('T4')!, batch: 2 };
    writeFileSync(join(dir, 'plan.json'), pytorchPackage(spec, sources, { latency: t4 })['plan.json']!);
    const lat = spawnSync('python3', [...args, '--target', 'latency', '--out', join(dir, 'lat')], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    expect(lat.status, lat.stderr).toBe(0);
    const latRun = parseRunFile(readFileSync(join(dir, 'lat', 'run.json'), 'utf8'), 'run.json');
    expect(latRun.settings.target).toBe('latency');
    expect(latRun.latency).toEqual(t4);
    expect(summarizeRun(latRun).latencyNs).toBe(networkLatency(spec, latRun.alive, t4).latencyNs);
  });
});

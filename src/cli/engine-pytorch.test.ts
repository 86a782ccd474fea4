// `--engine pytorch` through the real entry point. The runs that need PyTorch are skipped, with
// the reason, where `python3 -c "import torch"` fails (CI installs torch, so they run there); a
// stand-in interpreter (MORPHNET_PYTHON, a shell script) checks the signal path without torch.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { networkCost } from '../morphnet/cost.ts';
import { networkLatency, referenceHardware } from '../morphnet/latency.ts';
import { importStructure } from '../morphnet/structure.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import { TORCH_INSTALL } from './engine-pytorch.ts';
import type { RunFile } from './train-loop.ts';

const BIN = join(import.meta.dirname, '../../bin/morphnet.mjs');
const dir = mkdtempSync(join(tmpdir(), 'morphnet-engine-'));
const hasTorch = spawnSync('python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const NO_TORCH = 'python3 -c "import torch" failed here: the runs that need PyTorch are skipped';
if (!hasTorch) console.warn(`engine-pytorch.test.ts: ${NO_TORCH}`);

const tiny = {
  name: 'tiny',
  input: { height: 28, width: 28, channels: 1 },
  classes: 10,
  layers: [
    { name: 'c1', type: 'conv', from: 'input', filters: 4, kernel: 3, stride: 2 },
    { name: 'c2', type: 'conv', from: 'c1', filters: 6, kernel: 3, stride: 2 },
    { name: 'pool', type: 'gap', from: 'c2' },
    { name: 'logits', type: 'dense', from: 'pool', units: 10 },
  ],
};
// No batch norm and no ReLU: at the page's highest learning rate (1) PyTorch's loss is NaN by step 10.
const linear = {
  name: 'linear',
  input: { height: 28, width: 28, channels: 1 },
  classes: 10,
  layers: [
    { name: 'c1', type: 'conv', from: 'input', filters: 16, kernel: 3, stride: 4, bn: false, relu: false },
    { name: 'pool', type: 'gap', from: 'c1' },
    { name: 'd1', type: 'dense', from: 'pool', units: 64, relu: false },
    { name: 'd2', type: 'dense', from: 'd1', units: 64, relu: false },
    { name: 'logits', type: 'dense', from: 'd2', units: 10 },
  ],
};
writeFileSync(join(dir, 'tiny.json'), JSON.stringify(tiny));
writeFileSync(join(dir, 'linear.json'), JSON.stringify(linear));

// The stand-in: answers the torch probe, reports step 10, then waits for the signal the CLI
// forwards, leaving a `sleep` that holds its pipes open (the CLI must not wait for it).
const fake = join(dir, 'fake-python');
const line10 = { step: 10, taskLoss: 2.3, regLoss: 0.5, regValue: 100, trainAccuracy: 0.125, flops: 35400, params: 312, steps: 40 };
writeFileSync(
  fake,
  `#!/bin/sh\nif [ "$1" = "-c" ]; then echo cpu; exit 0; fi\necho '${JSON.stringify(line10)}'\ntrap 'echo got-TERM >> "${dir}/fake.log"; exit 1' TERM\nsleep 60 & wait\n`,
);
chmodSync(fake, 0o755);

interface Ran {
  code: number | null;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}, whileRunning?: (kill: () => void) => void): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
    whileRunning?.(() => child.kill('SIGTERM'));
  });
}

const readRun = (out: string) => JSON.parse(readFileSync(join(dir, out, 'run.json'), 'utf8')) as RunFile;
const tinyArgs = ['--spec', 'tiny.json', '--dataset', 'mnist', '--batch', '8', '--engine', 'pytorch'];

describe('morphnet train --engine pytorch', () => {
  const missing = `morphnet: --engine pytorch needs PyTorch: python3 -c "import torch" failed (install: ${TORCH_INSTALL})\n`;

  it('without python3 on PATH: one line, exit 2, nothing written', async () => {
    const empty = join(dir, 'empty-path');
    mkdirSync(empty, { recursive: true });
    const r = await cli(['train', ...tinyArgs, '--steps', '10', '--out', 'none'], { PATH: empty, MORPHNET_PYTHON: '' });
    expect(r).toEqual({ code: 2, stderr: missing });
    expect(existsSync(join(dir, 'none'))).toBe(false);
  });

  it('MORPHNET_PYTHON names the interpreter; one that does not exist is the same refusal', async () => {
    const r = await cli(['train', ...tinyArgs, '--steps', '10', '--out', 'none'], { MORPHNET_PYTHON: '/nonexistent/python' });
    expect(r).toEqual({ code: 2, stderr: missing.replace('python3 -c', '/nonexistent/python -c') });
  });

  it('refuses --resume of a pytorch run with one line (train.py keeps no checkpoint)', async () => {
    mkdirSync(join(dir, 'old'), { recursive: true });
    const settings = { spec: 'tiny.json', dataset: 'mnist', target: 'flops', strength: 5, threshold: 0.01, lr: 0.05, batch: 8, seed: 1, steps: 20, evalEvery: 10, backend: 'cpu', engine: 'pytorch' };
    writeFileSync(join(dir, 'old', 'run.json'), JSON.stringify({ command: 'train', status: 'interrupted', settings, history: [] }));
    const r = await cli(['train', '--resume', 'old']);
    expect(r).toEqual({
      code: 2,
      stderr: 'morphnet: train: the run in "old" was trained with --engine pytorch, which keeps no checkpoint to resume from; start it again with --force\n',
    });
  });

  it('forwards SIGTERM to train.py, writes run.json as interrupted and exits 143', async () => {
    const t0 = performance.now();
    const r = await cli(['train', ...tinyArgs, '--steps', '40', '--out', 'term'], { MORPHNET_PYTHON: fake }, (kill) => {
      const wait = setInterval(() => {
        const path = join(dir, 'term', 'run.json');
        if (existsSync(path) && readFileSync(path, 'utf8').includes('"taskLoss": 2.3')) {
          clearInterval(wait);
          kill();
        }
      }, 50);
    });
    expect(r.code).toBe(143);
    expect(performance.now() - t0).toBeLessThan(30_000);
    expect(r.stderr).toBe(
      'morphnet: interrupted at step 10 of 40; wrote term/run.json (an --engine pytorch run keeps no checkpoint: start it again with --force to train it)\n',
    );
    const run = readRun('term');
    expect(run.status).toBe('interrupted');
    expect(run.interrupted).toEqual({ step: 10, signal: 'SIGTERM' });
    expect(run.history).toEqual([{ step: 10, taskLoss: 2.3, regLoss: 0.5, regValue: 100, trainAccuracy: 0.125, flops: 35400, params: 312 }]);
    expect(run.checkpoint).toBeNull();
    expect(readFileSync(join(dir, 'fake.log'), 'utf8')).toBe('got-TERM\n');
  });

  it.skipIf(!hasTorch)('trains a tiny network: run.json and alive files as the tfjs path writes them, engine pytorch, no temp folder left', async () => {
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const r = await cli(['train', ...tinyArgs, '--steps', '20', '--eval-every', '10', '--out', 'ok'], { TMPDIR: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^done: 20 steps in \d+ s on PyTorch \((cpu|cuda)\); FLOPs [\d.]+%, size [\d.]+% of the seed; test accuracy [\d.]+%; wrote ok\/run\.json$/m);
    // tsx and torch keep caches there; the package's folder must be gone.
    expect(readdirSync(tmp).filter((f) => f.startsWith('morphnet-torch-'))).toEqual([]);
    expect(readdirSync(join(dir, 'ok')).sort()).toEqual(['learned_structure', 'run.json']);
    expect(readdirSync(join(dir, 'ok', 'learned_structure')).sort()).toEqual(['alive_10', 'alive_20']);
    const run = readRun('ok');
    const spec = run.spec as NetworkSpec;
    const seed = networkCost(spec);
    expect(run.status).toBe('done');
    expect(run.settings).toEqual({
      spec: 'tiny.json', dataset: 'mnist', target: 'flops', strength: 5, threshold: 0.01, lr: 0.05, batch: 8, seed: 1,
      steps: 20, evalEvery: 10, backend: run.settings.backend, engine: 'pytorch',
    });
    expect(['cpu', 'cuda']).toContain(run.settings.backend);
    expect(run.seed).toEqual({ flops: seed.flops, params: seed.params });
    expect(run.step).toBe(20);
    expect(run.checkpoint).toBeNull();
    expect(run.history.map((h) => h.step)).toEqual([10, 20]);
    expect(run.history.every((h) => h.testAccuracy !== undefined && Number.isFinite(h.taskLoss))).toBe(true);
    const alive = importStructure(readFileSync(join(dir, 'ok', 'learned_structure', 'alive_20'), 'utf8'), spec);
    const cost = networkCost(spec, alive);
    const f = run.final!;
    expect(f.step).toBe(20);
    expect(f.alive).toEqual(alive);
    expect([f.flops, f.params]).toEqual([cost.flops, cost.params]);
    expect([run.history[1]!.flops, run.history[1]!.params]).toEqual([cost.flops, cost.params]);
    expect(f.flopsFraction).toBe(cost.flops / seed.flops);
    expect(f.paramsFraction).toBe(cost.params / seed.params);
    expect(f.testAccuracy).toBe(run.history[1]!.testAccuracy);
    expect(f.testExamples).toBe(10000);
    expect(f.seconds).toBe(run.seconds);
  }, 240_000);

  it.skipIf(!hasTorch)('trains towards latency on a V100: the device in run.json, R in ns over the seed\'s latency, latencyNs as the studio prices it', async () => {
    const r = await cli(['train', ...tinyArgs, '--target', 'latency', '--hardware', 'V100', '--strength', '20', '--steps', '10', '--out', 'lat']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^done: 10 steps in \d+ s on PyTorch \((cpu|cuda)\); FLOPs [\d.]+%, size [\d.]+%, latency [\d.]+% of the seed; /m);
    const run = readRun('lat');
    const spec = run.spec as NetworkSpec;
    const v100 = { hardware: referenceHardware('V100')!, batch: 1 };
    expect(run.settings.target).toBe('latency');
    expect(run.settings.latency).toEqual(v100);
    const seedNs = networkLatency(spec, undefined, v100).latencyNs;
    expect(run.seed.latencyNs).toBe(seedNs);
    const [h] = run.history;
    const alive = importStructure(readFileSync(join(dir, 'lat', 'learned_structure', 'alive_10'), 'utf8'), spec);
    // train.py prices the same ops (latency.py): its latencyNs and strength's unit are the studio's.
    expect(h!.latencyNs! / networkLatency(spec, alive, v100).latencyNs).toBeCloseTo(1, 12);
    expect(h!.regValue).toBeGreaterThan(0);
    expect(h!.regLoss / ((h!.regValue * 20) / seedNs)).toBeCloseTo(1, 12);
    expect(run.final!.latencyNs).toBe(networkLatency(spec, alive, v100).latencyNs);
  }, 240_000);

  it.skipIf(!hasTorch)('a run that diverges in PyTorch stops with exit 3 and the tfjs path\'s message', async () => {
    const r = await cli(['train', '--spec', 'linear.json', '--dataset', 'mnist', '--batch', '8', '--lr', '1', '--steps', '40', '--engine', 'pytorch', '--out', 'nan']);
    expect(r).toEqual({
      code: 3,
      stderr: 'morphnet: training diverged at step 10 (task loss NaN); try a lower --lr or --strength; wrote nan/run.json\n',
    });
    const run = readRun('nan');
    expect(run.status).toBe('diverged');
    expect(run.diverged).toEqual({ step: 10, reason: 'the task loss became NaN at step 10' });
    expect(run.history).toEqual([]);
    expect(readdirSync(join(dir, 'nan', 'learned_structure'))).toEqual([]);
  }, 240_000);
});

describe('morphnet sweep --engine pytorch', () => {
  it.skipIf(!hasTorch)('trains its networks with train.py and records the engine in the settings', async () => {
    const r = await cli(['sweep', ...tinyArgs, '--steps', '10', '--multipliers', '1', '--prune', '', '--strengths', '', '--out', 'sweep.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^done: 1 points in \d+:\d\d on PyTorch \((cpu|cuda)\); wrote sweep\.json$/m);
    const file = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as {
      settings: Record<string, unknown>;
      points: Array<{ family: string; label: string; steps: number; alive: unknown; testAccuracy: number }>;
    };
    expect(file.settings).toMatchObject({ engine: 'pytorch', pruningEngine: null, steps: 10, batch: 8 });
    expect(['cpu', 'cuda']).toContain(file.settings.torchDevice);
    expect(file.points.map((p) => [p.family, p.label, p.steps, p.alive])).toEqual([['uniform', '×1', 10, { c1: 4, c2: 6 }]]);
    expect(file.points[0]!.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(file.points[0]!.testAccuracy).toBeLessThanOrEqual(1);
  }, 240_000);

  it.skipIf(!hasTorch)('learns towards latency in train.py and expands to the seed\'s latency on that device', async () => {
    const args = ['--target', 'latency', '--hardware', 'V100', '--steps', '10', '--multipliers', '', '--prune', '', '--strengths', '20', '--budgets', '1'];
    const r = await cli(['sweep', ...tinyArgs, ...args, '--out', 'lat-sweep.json']);
    expect(r.code, r.stderr).toBe(0);
    const file = JSON.parse(readFileSync(join(dir, 'lat-sweep.json'), 'utf8')) as {
      settings: Record<string, unknown>;
      points: Array<{ family: string; settings: { target: string }; spec: NetworkSpec; latencyNs: number }>;
    };
    const v100 = { hardware: referenceHardware('V100')!, batch: 1 };
    expect(file.settings).toMatchObject({ engine: 'pytorch', target: 'latency', latency: v100 });
    const [p] = file.points;
    expect([p!.family, p!.settings.target]).toEqual(['morphnet', 'latency']);
    expect(p!.latencyNs).toBe(networkLatency(p!.spec, undefined, v100).latencyNs);
  }, 240_000);
});

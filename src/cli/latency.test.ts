// The latency target on the command line (issue 13): `cost` against networkLatency and a layer
// worked by hand, `expand` to a latency budget, and the device recorded by `train` and `sweep`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { networkCost } from '../morphnet/cost.ts';
import { networkLatency, referenceHardware } from '../morphnet/latency.ts';
import { seedSpec } from '../morphnet/seeds.ts';
import { parseSpec } from '../morphnet/spec.ts';
import { parseSweep } from '../morphnet/sweep-validate.ts';
import type { LatencySettings, NetworkSpec } from '../morphnet/types.ts';
import { COMMAND_HELP } from './help.ts';
import { duration, LATENCY_OPTIONS } from './latency-flags.ts';
import type { RunFile } from './train-loop.ts';

const BIN = join(import.meta.dirname, '../../bin/morphnet.mjs');
const dir = mkdtempSync(join(tmpdir(), 'morphnet-latency-'));

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const tiny: NetworkSpec = {
  name: 'tiny',
  input: { height: 32, width: 32, channels: 3 },
  classes: 6,
  layers: [
    { name: 'c1', type: 'conv', from: 'input', filters: 4, kernel: 3, stride: 2 },
    { name: 'c2', type: 'conv', from: 'c1', filters: 6, kernel: 3, stride: 2 },
    { name: 'pool', type: 'gap', from: 'c2' },
    { name: 'logits', type: 'dense', from: 'pool', units: 6 },
  ],
};
writeFileSync(join(dir, 'tiny.json'), JSON.stringify(tiny));
const V100: LatencySettings = { hardware: referenceHardware('V100')!, batch: 1 };
const T4x4: LatencySettings = { hardware: referenceHardware('T4')!, batch: 4 };

describe('morphnet cost --target latency', () => {
  it('--json gives each layer and the total in ns, equal to networkLatency', async () => {
    const r = await cli('cost', '--spec', 'resnet-mini', '--target', 'latency', '--hardware', 'V100', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { hardware: unknown; latencyBatch: number; layers: { name: string; latencyNs: number }[]; latencyNs: number };
    const want = networkLatency(seedSpec('resnet-mini'), undefined, V100);
    expect(out.hardware).toEqual({ name: 'V100', peakGflops: 125000, bandwidthGbs: 900 });
    expect(out.latencyBatch).toBe(1);
    expect(out.layers.map((l) => [l.name, l.latencyNs])).toEqual(want.layers.map((l) => [l.name, l.latencyNs]));
    expect(out.latencyNs).toBe(want.latencyNs);
    // The stem by hand (28×28×1 in, 16 filters 3×3 stride 1, batch 1, V100: 125,000 GFLOP/s, 900 GB/s):
    //   conv  FLOPs 2·9·1·16·784 = 225,792 → 1.806 ns; bytes 784·1·4 + 784·16·4 + 9·1·16·4 = 53,888 → 59.876 ns
    //   bn    bytes 2 · 50,176 = 100,352 → 111.502 ns (memory-bound); relu the same, 111.502 ns
    //   stem = 59.876 + 111.502 + 111.502 = 254,592 bytes ÷ 900 = 282.88 ns
    expect(out.layers[0]).toEqual({ name: 'stem', flops: 225_792, params: 144, latencyNs: 254_592 / 900 });
    expect(out.layers[0]!.latencyNs).toBeCloseTo(282.88, 9);
    // An add prices its two inputs and its output (and its ReLU): s1b1/add, 28×28×16 each.
    expect(out.layers[3]).toEqual({ name: 's1b1/add', flops: 0, params: 0, latencyNs: (3 * 50_176 + 2 * 50_176) / 900 });
  });

  it('prints a table in readable units, and a device of one\'s own at a latency batch', async () => {
    const r = await cli('cost', '--spec', 'resnet-mini', '--target', 'latency', '--hardware', 'v100');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('resnet-mini (every channel alive) on V100 (125,000 GFLOP/s, 900 GB/s), batch 1');
    expect(lines[1]).toBe('layer        type       FLOPs      bytes  compute   memory  latency');
    expect(lines[3]).toBe('stem         conv     225,792    254,592     2 ns   283 ns   283 ns  6.7%');
    expect(lines.at(-2)).toBe('total              40,367,872  3,809,704   323 ns  4.23 µs  4.23 µs  100%');

    writeFileSync(join(dir, 'alive_4'), JSON.stringify({ 'c1/Conv2D': 2, 'c2/Conv2D': 3 }));
    const own = await cli('cost', '--spec', 'tiny.json', '--alive', 'alive_4', '--peak-gflops', '20', '--bandwidth-gbs', '1.5', '--latency-batch', '8', '--json');
    expect(own.code).toBe(0);
    const custom: LatencySettings = { hardware: { name: 'custom', peakGflops: 20, bandwidthGbs: 1.5 }, batch: 8 };
    const want = networkLatency(tiny, { c1: 2, c2: 3 }, custom); // the file's reference names, read as layer names
    expect(JSON.parse(own.stdout)).toMatchObject({ hardware: custom.hardware, latencyBatch: 8, latencyNs: want.latencyNs });
  });
});

describe('expand, train and sweep with a device', () => {
  it('expand --target latency widens to a budget in ns and says it readably', async () => {
    writeFileSync(join(dir, 'alive_r'), JSON.stringify({ 'stem/Conv2D': 8, 's1b1/conv1/Conv2D': 0, 's3b2/conv1/Conv2D': 20 }));
    const r = await cli('expand', '--spec', 'resnet-mini', '--alive', 'alive_r', '--target', 'latency', '--hardware', 'V100', '--out', 'fast.json');
    expect(r.stderr).toBe('');
    const seedNs = networkLatency(seedSpec('resnet-mini'), undefined, V100).latencyNs;
    const spec = parseSpec(readFileSync(join(dir, 'fast.json'), 'utf8'), 'fast.json');
    const ns = networkLatency(spec, undefined, V100).latencyNs;
    expect(ns).toBeLessThanOrEqual(seedNs);
    expect(ns).toBeGreaterThan(0.95 * seedNs);
    expect(r.stdout.split('\n')[0]).toMatch(/^ω = \d\.\d{4} \(latency budget 4,233\.004 ns = 4\.23 µs, the seed's cost\)$/);
    expect(r.stdout).toContain(`, latency ${duration(ns)} on V100 (125,000 GFLOP/s, 900 GB/s), batch 1 (`);
  });

  it('train records the device in run.json and prices the seed, each readback and the result', async () => {
    const r = await cli('train', '--spec', 'tiny.json', '--dataset', 'shapes', '--out', 'run', '--steps', '10', '--eval-every', '10',
      '--batch', '8', '--backend', 'cpu', '--target', 'latency', '--hardware', 'T4', '--latency-batch', '4');
    expect(r.code).toBe(0);
    const run = JSON.parse(readFileSync(join(dir, 'run', 'run.json'), 'utf8')) as RunFile;
    expect(run.settings.target).toBe('latency');
    expect(run.settings.latency).toEqual({ hardware: { name: 'T4', peakGflops: 8100, bandwidthGbs: 300 }, batch: 4 });
    const seedNs = networkLatency(tiny, undefined, T4x4).latencyNs;
    expect(run.seed.latencyNs).toBe(seedNs);
    const final = run.final!;
    expect(final.latencyNs).toBe(networkLatency(tiny, final.alive, T4x4).latencyNs);
    expect(final.latencyFraction).toBe(final.latencyNs! / seedNs);
    expect(run.history.at(-1)!.latencyNs).toBe(final.latencyNs);
    expect(r.stderr).toContain(`, latency ${(100 * final.latencyFraction!).toFixed(1)}% of the seed;`);
  });

  it('sweep records the device in its settings and prices every point', async () => {
    const r = await cli('sweep', '--spec', 'tiny.json', '--dataset', 'shapes', '--out', 's.json', '--steps', '2', '--batch', '8',
      '--multipliers', '0.5', '--prune', '', '--strengths', '', '--backend', 'cpu', '--peak-gflops', '100', '--bandwidth-gbs', '10');
    expect(r.code).toBe(0);
    const file = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as { settings: { latency: unknown }; seed: { latencyNs: number }; points: { spec: NetworkSpec; latencyNs: number }[] };
    const latency: LatencySettings = { hardware: { name: 'custom', peakGflops: 100, bandwidthGbs: 10 }, batch: 1 };
    expect(file.settings.latency).toEqual(latency);
    expect(file.seed.latencyNs).toBe(networkCost(tiny, undefined, latency).latencyNs);
    expect(file.points[0]!.latencyNs).toBe(networkLatency(file.points[0]!.spec, undefined, latency).latencyNs);
    // The page's importer reads what the CLI wrote, device and prices included.
    const read = parseSweep(readFileSync(join(dir, 's.json'), 'utf8'), 's.json');
    expect(read.settings.latency).toEqual(latency);
    expect(read.points[0]!.latencyNs).toBe(file.points[0]!.latencyNs);
  });
});

describe('help', () => {
  it.each(['cost', 'expand', 'train', 'sweep'])('%s --help names every device flag and the latency target', (command) => {
    for (const flag of Object.keys(LATENCY_OPTIONS)) expect(COMMAND_HELP[command]).toContain(`--${flag} `);
    expect(COMMAND_HELP[command]).toContain('latency');
  });
});

describe('duration', () => {
  it.each([
    [850, '850 ns'],
    [4_233.004, '4.23 µs'],
    [12_345, '12.3 µs'],
    [456_700, '457 µs'],
    [4_560_000, '4.56 ms'],
    [1.2e9, '1.20 s'],
  ])('%d ns is %s', (ns, text) => expect(duration(ns)).toBe(text));
});

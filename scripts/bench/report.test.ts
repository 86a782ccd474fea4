import { describe, expect, it } from 'vitest';
import type { CaseResult } from './browser.ts';
import type { NodeResult } from './node.ts';
import { nodeReadShare, readings, regShares, renderReport, wasmVsWebglReadings, type BenchRun } from './report.ts';

const node = (isolatedMs: number[], readMs: number[], readEvery = 1): NodeResult => ({
  net: 'resnet-mini',
  dataset: 'mnist',
  settings: { target: 'flops', strength: 5, threshold: 0.01, lr: 0.05, batch: 32, seed: 1 },
  warmup: 2,
  wasm: { stepMs: [90, 100, 110], readMs, firstStepMs: 500 },
  readEvery,
  tensors: { before: 10, after: 10, bytesBefore: 40, bytesAfter: 40, steps: 3 },
  reg: { isolatedMs, withMs: [100, 104], withoutMs: [96, 98], kernels: { reg: 30, step: 300 } },
  cpu: { stepMs: [20_000] },
});

const browserCase = (backend: string, longTasks: number[], readMs: number[]): CaseResult => ({
  label: `x on ${backend}`,
  url: `/?backend=${backend}`,
  backend,
  adapter: null,
  loadMs: 1000,
  firstStepMs: 2000,
  window: {
    ms: 10_000,
    steps: 10,
    stepsPerSec: 1,
    workerStepMs: 1000,
    readEvery: [1, 1],
    readMs,
    chunkMs: [1000, 1000],
    frames: 600,
    fps: 60,
    longTasks,
    longTasksNearReadback: longTasks.length,
  },
  firstStepLongTasks: [],
  error: null,
});

const run = (n: NodeResult | null, cases: CaseResult[]): BenchRun => ({
  machine: {
    date: 'd',
    command: 'npm run bench',
    cpu: 'c',
    cores: 2,
    memory: 'm',
    os: 'o',
    node: 'v20',
    tfjs: '4.22.0',
    chromium: null,
    loadStart: [1, 1, 1],
    loadEnd: [1, 1, 1],
    durationS: 1,
  },
  node: n,
  browser: cases.length ? { cases, buildMs: 1000 } : null,
  skipped: { browser: '`--node-only`' },
});

describe('readings', () => {
  it('computes the shares from the medians and judges them against the targets', () => {
    const ok = node([4, 5, 6], [1, 1, 1], 2);
    expect(regShares(ok).isolated).toBeCloseTo(0.05);
    expect(regShares(ok).ab).toBeCloseTo((102 - 97) / 102);
    expect(nodeReadShare(ok)).toBeCloseTo(1 / 201);
    expect(readings(run(ok, [])).map((r) => r.ok)).toEqual([true, true, true]);
    const slow = node([20, 20, 20], [30, 30, 30]);
    expect(readings(run(slow, [])).map((r) => r.ok)).toEqual([false, false, true]);
  });

  it('fails a long task, and does not judge a GPU readback that includes the wait for the GPU', () => {
    const rs = readings(run(null, [browserCase('webgpu', [80], [900, 900]), browserCase('cpu', [], [1, 1])]));
    expect(rs.map((r) => r.ok)).toEqual([false, true, null, true, true, true]);
    expect(rs[0]!.measured).toBe('1 long task(s) in 10 s, longest 80.0 ms; 1 began beside a metrics event');
    const capped = { ...browserCase('webgpu', [], []), window: null, error: 'no training step within 120 s' };
    expect(readings(run(null, [capped]))).toEqual([
      { target: 'x on webgpu: measured', measured: 'no training step within 120 s', ok: null },
    ]);
  });

  it('renders every section, the skipped part named, and counts the failures', () => {
    const text = renderReport(run(node([20], [1]), []));
    expect(text).toContain('2 of 3 judged checks pass; 1 fail.');
    expect(text).not.toContain('load average reached');
    const busy = run(null, []);
    busy.machine.loadEnd = [6, 5, 4];
    expect(renderReport(busy)).toContain('The 1-minute load average reached 6 on 2 cores');
    expect(text).toContain('**FAIL**');
    expect(text).toContain('## Browser (headless Chromium)\n\nNot run: `--node-only`.');
    expect(text).toMatch(/a wasm step is 200× faster than a cpu step/);
    expect(text).toContain("R runs 30 of a step's 300 kernels (10.0%");
  });
});

describe('wasm against WebGL in the page', () => {
  const at = (backend: string, stepsPerSec: number): CaseResult => {
    const c = browserCase(backend, [], []);
    return { ...c, label: `resnet-mini/mnist/32 on ${backend}`, window: { ...c.window!, stepsPerSec } };
  };
  it('judges the ratio of steps per second and which backend auto chose', () => {
    const auto = { ...at('auto', 3), backend: 'wasm' };
    const rs = wasmVsWebglReadings([at('wasm', 3), at('webgl', 0.12), auto]);
    expect(rs.map((r) => [r.measured, r.ok])).toEqual([
      ['25× (3 against 0.12 steps/s)', true],
      ['auto chose wasm', true],
    ]);
    expect(wasmVsWebglReadings([at('wasm', 1), at('webgl', 0.5)])[0]!.ok).toBe(false);
  });
});

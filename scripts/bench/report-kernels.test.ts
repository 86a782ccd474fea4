import { describe, expect, it } from 'vitest';
import type { KernelResult } from './kernels.ts';
import {
  achievedGflops,
  kernelReadings,
  kernelSection,
  pairedRatio,
  stepSpeedup,
  torchLines,
} from './report-kernels.ts';

const result = (beforeMs: number[], afterMs: number[]): KernelResult => ({
  batch: 32,
  step: { beforeMs, afterMs, beforeCpuMs: beforeMs.map((t) => t / 2), afterCpuMs: afterMs.map((t) => t / 2) },
  ablation: [
    {
      name: 'Identity by reference',
      withoutMs: afterMs.map((t) => t + 10),
      withoutCpuMs: afterMs.map((t) => t / 2 + 15),
    },
  ],
  inputGrad: [{ layer: 'c', shape: 'dy', beforeMs: 8, afterMs: 2.5, route: 'polyphase' }],
  filterGrad: [
    { layer: 'a', shape: 's', beforeMs: 20, afterMs: 5, route: 'dilated-conv' },
    { layer: 'b', shape: 's', beforeMs: 1, afterMs: 3, route: 'im2col' },
  ],
  batchNorm: [{ layer: 'a', shape: '28×28×16', beforeMs: 8, afterMs: 2, route: 'fused' }],
  stepFlops: 3.9e9,
  matmulGflops: 50,
});

describe('training kernels report', () => {
  it('judges the step target from the medians of the alternated steps', () => {
    const pass = result([300, 340, 320], [150, 160, 155]);
    expect(stepSpeedup(pass)).toBeCloseTo(320 / 155, 9);
    expect(kernelReadings(pass)[0]!.ok).toBe(true);
    const fail = result([300, 310, 320], [200, 160, 170]);
    expect(kernelReadings(fail)[0]!.ok).toBe(false);
    expect(kernelReadings(fail)[0]!.measured).toBe('1.82× (310 ms → 170 ms, alternated in one process)');
  });

  it('computes GFLOP/s from the step FLOPs, and sums the routes the engine takes', () => {
    expect(achievedGflops(result([1], [1]), 195)).toBeCloseTo(20, 9);
    const text = kernelSection(result([300], [150])).join('\n');
    // im2col is kept for layer b, so the "after" sum is 5 + 1, not 5 + 3.
    expect(text).toContain('Sum over the layers: 21.0 ms → 6.00 ms.');
    expect(text).toContain('| a | s | 20.0 ms | 5.00 ms | 4× | dilated-conv |');
    // 3.9 GFLOP in 150 ms is 26 GFLOP/s, 52% of the 50 GFLOP/s matmul.
    expect(text).toContain('that is 26 GFLOP/s, 52.0% of wasm');
  });
});

describe('ablation and input-gradient tables', () => {
  it('pairs the rounds: ratios round by round, their median and quartiles', () => {
    // Rounds 1..5: the second config is 10% slower in four rounds and 30% in one spike.
    const r = pairedRatio([110, 220, 330, 440, 650], [100, 200, 300, 400, 500]);
    expect(r.median).toBeCloseTo(1.1, 9);
    expect(r.q1).toBeCloseTo(1.1, 9);
    expect(r.q3).toBeCloseTo(1.1, 9);
    expect(pairedRatio([3, 1], [1, 1]).q3).toBe(3);
  });

  it('lists each replacement switched back with what it saves, and the input gradient per layer', () => {
    const text = kernelSection(result([300, 320], [150, 160])).join('\n');
    // CPU: (75 + 15) / 75 and (80 + 15) / 80.
    expect(text).toContain(
      '| Identity by reference | 165 ms | 10.0 ms | 1.065× (quartiles 1.063-1.067) | 1.194× (quartiles 1.188-1.2) |',
    );
    expect(text).toContain('| c | dy | 8.00 ms | 2.50 ms | 3.2× | polyphase |');
    expect(text).toContain('Sum: 8.00 ms → 2.50 ms.');
    expect(text).toContain(
      '**Step:** 2× faster (round by round: 2× (quartiles 2-2); in process CPU time, which leaves out the time other work held the core: 2× (quartiles 2-2)).',
    );
  });
});

describe('PyTorch peer line', () => {
  it('says faster or slower the right way round', () => {
    const k = result([400], [200]);
    const torch = (ms: number) => ({ stepMs: [ms], threads: 2, torch: '2.13.0+cpu', batch: 32 });
    expect(torchLines(k, torch(50))[0]).toContain(
      "The engine's wasm step is 4× slower than PyTorch (before these kernels: 8× slower than PyTorch)",
    );
    expect(torchLines(k, torch(800))[0]).toContain(
      "The engine's wasm step is 4× faster than PyTorch (before these kernels: 2× faster than PyTorch)",
    );
    expect(torchLines(k, { skipped: 'no torch' })).toEqual(['**PyTorch peer:** not run: no torch.', '']);
  });
});

import { describe, expect, it } from 'vitest';
import type { FilterGradTiming } from './filter-grad-timing.ts';
import { spliceWebGPUSection, WEBGPU_HEADING, webgpuSection } from './report-webgpu.ts';
import type { WebGPUKernelResult } from './webgpu-kernels.ts';

const shape = (layers: string[], stockMs: number[], tiledMs: number[]): FilterGradTiming => ({
  layers,
  x: [32, 28, 28, 16],
  filter: [3, 3, 16, 16],
  stride: 1,
  stockMs,
  tiledMs,
});
const result = (step: WebGPUKernelResult['step']): WebGPUKernelResult => ({
  adapter: 'google swiftshader',
  chromium: '156.0',
  log: [],
  step,
  run: {
    batch: 32,
    rounds: 3,
    reps: 1,
    shapes: [
      shape(['stem'], [60, 50, 70], [80, 90, 70]),
      shape(['a', 'b', 'c'], [900, 1000, 1200], [300, 400, 400]),
    ],
    stepStockMs: [2760, 3050, 3670],
    stepTiledMs: [980, 1290, 1270],
  },
});
const prov = {
  date: '2026-12-02 03:00 UTC',
  command: 'npm run bench -- --only webgpu-kernels',
  loadStart: [1, 2, 3],
  loadEnd: [2, 2, 2],
  cores: 2,
};

describe('webgpu kernels section', () => {
  it('gives each shape its medians and the round-by-round ratio, and the sum over one step', () => {
    const lines = webgpuSection(result(null), prov);
    expect(lines[0]).toBe(WEBGPU_HEADING);
    // stem: ratios 0.75, 0.556, 1 → median 0.75, nearest-rank quartiles (ranks 1 and 2 of 0..2) 0.75 and 1
    expect(lines).toContain('| stem | 32×28×28×16 | 3×3×16×16 | 1 | 60.0 ms | 80.0 ms | 0.75× (0.75-1) |');
    // 3 layers: ratios 3, 2.5, 3
    expect(lines).toContain('| a and 2 more | 32×28×28×16 | 3×3×16×16 | 1 | 1,000 ms | 400 ms | 3× (3-3) |');
    // per round 60 + 3·900 = 2760 against 80 + 3·300 = 980, …: ratios 2.82, 2.36, 2.89
    expect(lines).toContain(
      "| **one step's 4 filter gradients** | | | | 3,050 ms | 1,270 ms | 2.82× (2.82-2.89) |",
    );
    expect(lines.join('\n')).toContain('CPU emulation of a GPU');
    expect(lines).toContain('**Whole training step:** not run (`--step-rounds 0`).');
    expect(lines.at(-2)).toBe(
      'Measured 2026-12-02 03:00 UTC with `npm run bench -- --only webgpu-kernels` on 2 cores; load average 1.00 2.00 3.00 at the start, 2.00 2.00 2.00 at the end.',
    );
  });

  it('reports the whole step when it ran, and says why when nothing ran', () => {
    const lines = webgpuSection(
      result({ batch: 32, stepsPerRound: 1, stockMs: [30000, 32000], tiledMs: [20000, 25000] }),
      prov,
    );
    expect(lines.find((l) => l.startsWith('**Whole training step**'))).toContain(
      'stock 31,000 ms (30000, 32000), tiled 22,500 ms (20000, 25000), 1.39× (1.28-1.5).',
    );
    expect(webgpuSection(null, null, '`--node-only`')).toEqual([
      WEBGPU_HEADING,
      '',
      'Not run: `--node-only`.',
      '',
    ]);
  });

  it('adds the batch-norm table and the both-against-neither step when they ran', () => {
    const r: WebGPUKernelResult = {
      ...result(null),
      bn: {
        batch: 32,
        rounds: 3,
        reps: 1,
        shapes: [
          { layers: ['stem'], x: [32, 28, 28, 16], composedMs: [400, 500, 600], fusedMs: [100, 100, 150] },
          { layers: ['a', 'b'], x: [32, 7, 7, 64], composedMs: [100, 90, 80], fusedMs: [20, 30, 40] },
        ],
        stepComposedMs: [600, 680, 760],
        stepFusedMs: [140, 160, 230],
      },
      bothStep: {
        batch: 32,
        stepsPerRound: 1,
        stockMs: [27000, 28000, 26000],
        tiledMs: [15000, 14000, 13000],
      },
    };
    const lines = webgpuSection(r, prov);
    // stem: ratios 4, 5, 4 → 4 (4-5); a: ratios 5, 3, 2 → 3 (nearest-rank quartiles 3-5)
    expect(lines).toContain('| stem | 32×28×28×16 | 500 ms | 100 ms | 4× (4-5) |');
    expect(lines).toContain('| a and 1 more | 32×7×7×64 | 90.0 ms | 30.0 ms | 3× (3-5) |');
    // per round 400 + 2·100 = 600 against 100 + 2·20 = 140, …: ratios 4.29, 4.25, 3.30
    expect(lines).toContain("| **one step's 3 batch norms** | | 680 ms | 160 ms | 4.25× (4.25-4.29) |");
    expect(lines.find((l) => l.startsWith('**Whole training step, both'))).toContain(
      'neither 27,000 ms (27000, 28000, 26000), both 14,000 ms (15000, 14000, 13000), 2× (2-2).',
    );
    expect(webgpuSection(result(null), prov).join('\n')).not.toContain('Batch norm');
  });

  it('replaces its own section and keeps the rest, or appends itself', () => {
    const doc = `# Benchmarks\n\n## A\n\na\n\n${WEBGPU_HEADING}\n\nold\n\n## B\n\nb\n`;
    expect(spliceWebGPUSection(doc, `${WEBGPU_HEADING}\n\nnew\n`)).toBe(
      `# Benchmarks\n\n## A\n\na\n\n${WEBGPU_HEADING}\n\nnew\n\n## B\n\nb\n`,
    );
    expect(spliceWebGPUSection('# Benchmarks\n\n## A\n\na\n', `${WEBGPU_HEADING}\n\nnew\n`)).toBe(
      `# Benchmarks\n\n## A\n\na\n\n${WEBGPU_HEADING}\n\nnew\n`,
    );
  });
});

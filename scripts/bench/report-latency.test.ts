import { describe, expect, it } from 'vitest';
import type { LatencyBackend, LatencyResult, LatencyRow } from './latency.ts';
import { AFTER_LATENCY, LATENCY_HEADING, latencyFits, latencySection, recommended, spliceSection } from './report-latency.ts';

const device = { backend: 'wasm', peakGflops: 20, bandwidthGbs: 10, opOverheadNs: 5000, measuredAt: 0 };
const points: LatencyResult['points'] = [
  { label: 'uniform ×0.5', family: 'uniform', flops: 100 },
  { label: 'uniform ×1', family: 'uniform', flops: 400 },
  { label: 'm a', family: 'morphnet', flops: 200 },
  { label: 'm b', family: 'morphnet', flops: 210 },
];
const row = (point: number, rooflineMs: number, overheadMs: number, measuredMs: number): LatencyRow => ({
  point,
  rooflineNs: rooflineMs * 1e6,
  overheadNs: overheadMs * 1e6,
  measuredMs,
  roundMs: [measuredMs, measuredMs + 1],
});
const backend = (rows: LatencyRow[]): LatencyBackend => ({ backend: 'wasm', device, batches: [{ batch: 1, rows }] });
const result = (rows: LatencyRow[]): LatencyResult => ({ points, backends: [backend(rows)], rounds: 2, runs: 3, durationS: 5 });
const prov = { date: '2026-12-01 23:00 UTC', command: 'npm run bench -- --only latency', loadStart: [1, 1, 1], loadEnd: [2, 2, 2], cores: 2 };

describe('latency fits', () => {
  // Dispatch-bound: the measured order (×0.5 slowest of the small ones) follows the overhead model, not the roofline.
  const dispatchBound = result([row(0, 1, 4, 8), row(1, 4, 7, 14), row(2, 2, 6, 12), row(3, 2.1, 5, 10)]);

  it('ranks each model against the measurements, and the MorphNet points alone', () => {
    const [f] = latencyFits(dispatchBound);
    // measured ranks 1 4 3 2; roofline ranks 1 4 2 3 → ρ = 0.8; overhead ranks 1 4 3 2 → ρ = 1
    expect(f!.rho).toEqual({ flops: 0.8, roofline: 0.8, overhead: 1 });
    // MorphNet points: measured 12 > 10, roofline 2 < 2.1 → −1; overhead 6 > 5 → 1
    expect(f!.retest).toBe(1);
    expect(f!.morphnetRho).toEqual({ flops: -1, roofline: -1, overhead: 1 });
    // measured ÷ roofline: 8, 3.5, 6, 10 ÷ 2.1 → sorted 3.5, 4.76, 6, 8
    expect(f!.ratio.roofline).toEqual({ median: (10 / 2.1 + 6) / 2, min: 3.5, max: 8 });
    expect(f!.better).toBe('overhead');
    expect(recommended(latencyFits(dispatchBound))).toBe('overhead');
  });

  it('ranks the rounds against each other: the ceiling the noise sets', () => {
    const rows = [row(0, 1, 2, 1), row(1, 2, 3, 2), row(2, 3, 4, 3), row(3, 4, 5, 4)];
    // Rounds 1 and 2 in the same order, round 3 reversed: pairs ρ 1, −1, −1 → median −1.
    [[1, 2, 4], [2, 3, 3], [3, 4, 2], [4, 5, 1]].forEach((r, i) => (rows[i]!.roundMs = r));
    expect(latencyFits(result(rows))[0]!.retest).toBe(-1);
    expect(latencySection(result(rows), prov).join('\n')).toContain(
      'Round against round the measurements themselves rank below 0.9 in 1 configuration (wasm at batch 1, -1.000): there the machine',
    );
    expect(latencySection(result([row(0, 1, 2, 1), row(1, 2, 3, 2)]), prov).join('\n')).not.toContain('Round against round');
  });

  it('with equal ρ keeps the model whose ratio spreads less', () => {
    // Same order under both models; the roofline's ratio is constant (2×), the overhead's is not.
    const [f] = latencyFits(result([row(0, 1, 3, 2), row(1, 4, 6, 8), row(2, 2, 4, 4), row(3, 3, 5, 6)]));
    expect(f!.rho.roofline).toBe(1);
    expect(f!.rho.overhead).toBe(1);
    expect(f!.better).toBe('roofline');
    expect(f!.tied).toBe(true);
    const text = latencySection(result([row(0, 1, 3, 2), row(1, 4, 6, 8), row(2, 2, 4, 4), row(3, 3, 5, 6)]), prov).join('\n');
    expect(text).toContain('**Reading.** The two models rank alike in all 1 backend and batch configurations (ρ within 0.01)');
    expect(text).toContain('The pure roofline is kept because its measured ÷ predicted spreads less in 1 of 1;');
  });

  it('says in its reading which model to keep and that small networks are dispatch-bound', () => {
    const text = latencySection(dispatchBound, prov).join('\n');
    // roundMs is measured and measured + 1: the same order in both rounds, ρ 1.
    expect(text).toContain('| wasm | 1 | 1.000 | 0.800 | 0.800 | 1.000 | -1.000 / -1.000 / 1.000 |');
    expect(text).toContain(
      'The roofline plus the per-op overhead is the one to keep: of the 1 backend and batch configurations it ranks better in 1, the pure roofline in 0, and they tie in 0;',
    );
    expect(text).toContain('the smallest network (uniform ×0.5) takes 8× its roofline prediction and the largest (uniform ×1) 3.5×: small kernels are dispatch-bound');
  });
});

describe('spliceSection', () => {
  const section = `${LATENCY_HEADING}\n\nnew\n`;

  it('replaces the section in place, keeping what follows', () => {
    const doc = `# B\n\n## A\n\na\n\n${LATENCY_HEADING}\n\nold\nold\n\n## C\n\nc\n`;
    expect(spliceSection(doc, section)).toBe(`# B\n\n## A\n\na\n\n${LATENCY_HEADING}\n\nnew\n\n## C\n\nc\n`);
  });

  it('replaces a last section, and appends one that is missing', () => {
    expect(spliceSection(`# B\n\n${LATENCY_HEADING}\n\nold\n`, section)).toBe(`# B\n\n${LATENCY_HEADING}\n\nnew\n`);
    expect(spliceSection('# B\n\n## A\n\na\n', section)).toBe(`# B\n\n## A\n\na\n\n${LATENCY_HEADING}\n\nnew\n`);
    expect(spliceSection(`# B\n\n## A\n\n${AFTER_LATENCY}\n\nb\n`, section)).toBe(
      `# B\n\n## A\n\n${LATENCY_HEADING}\n\nnew\n\n${AFTER_LATENCY}\n\nb\n`,
    );
  });
});

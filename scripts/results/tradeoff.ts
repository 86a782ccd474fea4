// Issue 4's two questions about a sweep, answered by interpolating along each baseline's curve:
// at a MorphNet point's FLOPs, how accurate is the baseline? And how many FLOPs does the baseline
// need to reach the MorphNet point's accuracy? Interpolation is linear in log FLOPs between the
// two measured neighbours; outside the measured range the answer is null, never extrapolated.
import type { SweepFamily, SweepFile, SweepPoint } from '../../src/morphnet/sweep.ts';

export interface CurvePoint {
  flops: number;
  accuracy: number;
}

export function curve(points: readonly SweepPoint[], family: SweepFamily): CurvePoint[] {
  return points
    .filter((p) => p.family === family)
    .map((p) => ({ flops: p.flops, accuracy: p.testAccuracy }))
    .sort((a, b) => a.flops - b.flops);
}

/** The curve's accuracy at `flops`, or null outside [first, last]. */
export function accuracyAt(c: readonly CurvePoint[], flops: number): number | null {
  for (let i = 0; i + 1 < c.length; i++) {
    const a = c[i]!;
    const b = c[i + 1]!;
    if (flops < a.flops || flops > b.flops) continue;
    if (a.flops === b.flops) return Math.max(a.accuracy, b.accuracy);
    const t = (Math.log(flops) - Math.log(a.flops)) / (Math.log(b.flops) - Math.log(a.flops));
    return a.accuracy + t * (b.accuracy - a.accuracy);
  }
  const only = c.length === 1 ? c[0] : undefined;
  return only !== undefined && only.flops === flops ? only.accuracy : null;
}

/**
 * The fewest FLOPs at which the curve first reaches `accuracy` (walking up in FLOPs), or null if
 * it never does in the measured range. A noisy, non-monotonic curve gives its first crossing.
 */
export function flopsFor(c: readonly CurvePoint[], accuracy: number): number | null {
  const first = c[0];
  if (first === undefined) return null;
  if (first.accuracy >= accuracy) return first.flops;
  for (let i = 0; i + 1 < c.length; i++) {
    const a = c[i]!;
    const b = c[i + 1]!;
    if (a.accuracy < accuracy && b.accuracy >= accuracy) {
      const t = (accuracy - a.accuracy) / (b.accuracy - a.accuracy);
      return Math.exp(Math.log(a.flops) + t * (Math.log(b.flops) - Math.log(a.flops)));
    }
  }
  return null;
}

export interface Comparison {
  point: SweepPoint;
  /** MorphNet's accuracy minus the baseline's at equal FLOPs (null: outside the baseline's range). */
  vsUniform: number | null;
  vsPruning: number | null;
  /** Baseline FLOPs needed for MorphNet's accuracy ÷ MorphNet's FLOPs (> 1: MorphNet needs fewer). */
  uniformFlopsRatio: number | null;
  pruningFlopsRatio: number | null;
}

export function compareSweep(sweep: SweepFile): Comparison[] {
  const uniform = curve(sweep.points, 'uniform');
  const pruning = curve(sweep.points, 'pruning');
  return sweep.points
    .filter((p) => p.family === 'morphnet')
    .map((point) => {
      const u = accuracyAt(uniform, point.flops);
      const pr = accuracyAt(pruning, point.flops);
      const uf = flopsFor(uniform, point.testAccuracy);
      const pf = flopsFor(pruning, point.testAccuracy);
      return {
        point,
        vsUniform: u === null ? null : point.testAccuracy - u,
        vsPruning: pr === null ? null : point.testAccuracy - pr,
        uniformFlopsRatio: uf === null ? null : uf / point.flops,
        pruningFlopsRatio: pf === null ? null : pf / point.flops,
      };
    });
}

// The paper's own measure (MorphNet, CVPR 2018: "11-15% fewer FLOPs at equal accuracy"): for each
// MorphNet network, the FLOPs the uniform family of the same seed needs to reach the same test
// accuracy, and the share of them MorphNet saves. A margin in accuracy points says how much
// better at equal cost; this says how much cheaper at equal accuracy, which is what the paper
// reports, and it stays readable where the uniform curve is flat.
import type { SweepFamily, SweepFile } from '../../src/morphnet/sweep.ts';
import { spread, type Axis, type Spread } from './seeds.ts';

/**
 * The smallest cost at which a measured curve reaches `y` (log cost, linear in accuracy between
 * neighbours): 'above' when no point reaches it, 'below' when even the cheapest point is past it
 * (the crossing lies outside what was measured; never extrapolated).
 */
export function costToReach(
  points: readonly { x: number; y: number }[],
  y: number,
): number | 'above' | 'below' {
  const c = [...points].sort((a, b) => a.x - b.x);
  if (c.length === 0 || c.every((p) => p.y < y)) return 'above';
  if (c[0]!.y >= y) return 'below';
  for (let i = 0; i + 1 < c.length; i++) {
    const a = c[i]!;
    const b = c[i + 1]!;
    if (a.y < y && b.y >= y) {
      const t = (y - a.y) / (b.y - a.y);
      return Math.exp(Math.log(a.x) + t * (Math.log(b.x) - Math.log(a.x)));
    }
  }
  return 'above'; // unreachable: some point reaches y and the first does not
}

export interface Saving {
  label: string;
  /** The MorphNet point's mean cost on the axis over the seeds that have it. */
  x: number;
  /** 1 − MorphNet's cost ÷ the baseline's cost at the same accuracy, over the seeds where it crosses. */
  saving: Spread | null;
  /** Seeds whose MorphNet accuracy no baseline point reaches (MorphNet beyond the whole curve). */
  above: number;
  /** Seeds where even the baseline's cheapest point is more accurate (MorphNet below the curve). */
  below: number;
}

/** Every MorphNet point of the seed-sweeps, seed by seed against `family` on `axis`. */
export function savings(
  files: readonly SweepFile[],
  family: SweepFamily = 'uniform',
  axis: Axis = 'flops',
): Saving[] {
  const labels = [
    ...new Set(files.flatMap((f) => f.points.filter((p) => p.family === 'morphnet').map((p) => p.label))),
  ];
  return labels.map((label) => {
    const found: number[] = [];
    const xs: number[] = [];
    let above = 0;
    let below = 0;
    for (const f of files) {
      const q = f.points.find((p) => p.family === 'morphnet' && p.label === label);
      if (q === undefined) continue;
      xs.push(q[axis]);
      const curve = f.points
        .filter((p) => p.family === family)
        .map((p) => ({ x: p[axis], y: p.testAccuracy }));
      const need = costToReach(curve, q.testAccuracy);
      if (need === 'above') above++;
      else if (need === 'below') below++;
      else found.push(1 - q[axis] / need);
    }
    return { label, x: spread(xs).mean, saving: found.length > 0 ? spread(found) : null, above, below };
  });
}

const pctText = (x: number) => `${x < 0 ? '−' : ''}${Math.abs(100 * x).toFixed(1)}%`;

/** The savings as the report shows them: a table, and the paper's figure beside the mean. */
export function renderSavings(files: readonly SweepFile[]): string {
  const rows = savings(files).sort((a, b) => a.x - b.x || a.label.localeCompare(b.label));
  if (rows.length === 0) return '';
  const cell = (s: Saving) => {
    if (s.saving === null) return '–';
    const v = s.saving;
    return v.n > 1
      ? `${pctText(v.mean)} ± ${(100 * v.std).toFixed(1)} (${pctText(v.min)} to ${pctText(v.max)})`
      : pctText(v.mean);
  };
  const beyond = (s: Saving) =>
    [
      s.above > 0 ? `${s.above} seed${s.above === 1 ? '' : 's'}: more accurate than every uniform point` : '',
      s.below > 0
        ? `${s.below} seed${s.below === 1 ? '' : 's'}: less accurate than the cheapest uniform point`
        : '',
    ]
      .filter(Boolean)
      .join('; ') || '–';
  return [
    "FLOPs saved at equal accuracy (the paper's measure; it reports 11–15% on Inception V2): for each seed, the FLOPs at which that seed's uniform curve reaches the MorphNet network's accuracy (interpolated in log FLOPs, never extrapolated), and 1 − MorphNet's FLOPs over them. Negative: MorphNet costs more than a uniform network of its accuracy.",
    '',
    '| MorphNet point | seeds where the curve crosses | FLOPs saved, mean ± std (min to max) | outside the uniform curve |',
    '| --- | ---: | ---: | --- |',
    ...rows.map((s) => `| ${s.label} | ${s.saving?.n ?? 0} | ${cell(s)} | ${beyond(s)} |`),
  ].join('\n');
}

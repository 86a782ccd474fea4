// What the trade-off section says in words, computed from the sweep shown (never typed in): the
// command that made it, and how each MorphNet point compares with the baselines at its own cost.
import type { SweepFamily, SweepFile, SweepPoint } from '../../morphnet/sweep.ts';

export type CostMetric = 'flops' | 'params';

export interface Interpolated {
  accuracy: number;
  /** The two baseline points it lies between (the same one twice on an exact hit). */
  between: [SweepPoint, SweepPoint];
}

export interface Comparison {
  point: SweepPoint;
  /** Null where the point's cost is outside the family's range: no extrapolation. */
  uniform: Interpolated | null;
  pruning: Interpolated | null;
}

const costOf = (p: { flops: number; params: number }, metric: CostMetric) =>
  metric === 'flops' ? p.flops : p.params;

/**
 * A family's accuracy at `cost`, linear in log(cost) between its two neighbouring points: the
 * straight segment the chart draws on its log axis. Null outside the family's cost range.
 */
export function interpolateFamily(
  sweep: SweepFile,
  family: SweepFamily,
  cost: number,
  metric: CostMetric,
): Interpolated | null {
  const pts = sweep.points
    .filter((p) => p.family === family && costOf(p, metric) > 0)
    .sort((a, b) => costOf(a, metric) - costOf(b, metric));
  if (!(cost > 0)) return null;
  for (let i = 0; i < pts.length; i++) {
    const a = pts[i]!;
    const ca = costOf(a, metric);
    if (ca === cost) return { accuracy: a.testAccuracy, between: [a, a] };
    const b = pts[i + 1];
    if (!b) break;
    const cb = costOf(b, metric);
    if (ca < cost && cost < cb) {
      const t = (Math.log(cost) - Math.log(ca)) / (Math.log(cb) - Math.log(ca));
      return { accuracy: a.testAccuracy + t * (b.testAccuracy - a.testAccuracy), between: [a, b] };
    }
  }
  return null;
}

/** Every MorphNet point against the uniform and pruning curves at its own cost. */
export function compareMorphnet(sweep: SweepFile, metric: CostMetric): Comparison[] {
  return sweep.points
    .filter((p) => p.family === 'morphnet')
    .map((point) => {
      const cost = costOf(point, metric);
      return {
        point,
        uniform: interpolateFamily(sweep, 'uniform', cost, metric),
        pruning: interpolateFamily(sweep, 'pruning', cost, metric),
      };
    });
}

/** A MorphNet point that is exactly a uniform point's network (nothing learned: the seed at ×1). */
export function sameAsUniform(c: Comparison): boolean {
  const [a, b] = c.uniform?.between ?? [];
  if (!a || a !== b) return false;
  const keys = Object.keys(c.point.widths);
  return keys.length === Object.keys(a.widths).length && keys.every((k) => c.point.widths[k] === a.widths[k]);
}

/**
 * The comparison to lead with: the MorphNet point with the largest margin over the uniform
 * curve (it may be negative: MorphNet losing is reported too). A point that is the very network
 * of a uniform point compares nothing and leads only if there is no other. Null if none is in range.
 */
export function headlineComparison(comparisons: readonly Comparison[]): Comparison | null {
  const real = comparisons.filter((c) => c.uniform && !sameAsUniform(c));
  let best: Comparison | null = null;
  for (const c of real.length ? real : comparisons) {
    if (!c.uniform) continue;
    const margin = c.point.testAccuracy - c.uniform.accuracy;
    if (!best?.uniform || margin > best.point.testAccuracy - best.uniform.accuracy) best = c;
  }
  return best;
}

/** The `morphnet sweep` command that reproduces a file, from the settings it recorded. */
export function sweepCommand(settings: SweepFile['settings'], out = 'sweep.json'): string {
  // An empty list is how the command is told to skip a family.
  const list = (v: number[]) => (v.length ? v.join(',') : "''");
  const parts = [
    'npx morphnet sweep',
    `--spec ${settings.spec}`,
    `--dataset ${settings.dataset}`,
    `--target ${settings.target}`,
    `--steps ${settings.steps}`,
    `--batch ${settings.batch}`,
    `--lr ${settings.lr}`,
    ...(settings.schedule !== undefined && settings.schedule !== 'constant'
      ? [`--schedule ${settings.schedule}`, `--warmup ${settings.warmup ?? 0}`]
      : []),
    ...(settings.learnSteps !== undefined && settings.learnSteps !== settings.steps
      ? [`--learn-steps ${settings.learnSteps}`]
      : []),
    `--seed ${settings.seed}`,
    `--threshold ${settings.threshold}`,
    `--strengths ${list(settings.strengths)}`,
    `--budgets ${list(settings.budgets)}`,
    `--multipliers ${list(settings.multipliers)}`,
    `--prune ${list(settings.prune)}`,
    `--finetune ${settings.finetune}`,
    `--backend ${settings.backend}`,
    ...(settings.engine !== undefined && settings.engine !== 'tfjs' ? [`--engine ${settings.engine}`] : []),
    `--out ${out}`,
  ];
  return parts.join(' ');
}

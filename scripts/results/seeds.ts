// Several seeds of the same sweep (issue 14): each point's accuracy over the seeds, one merged
// sweep file for the page (each point with its per-seed results), and the verdicts against the
// baselines. A verdict is paired by seed: every family of one seed's sweep starts from the same
// initialization seed and data order, so MorphNet is compared with the baseline curve of its own
// seed, and the difference's spread over the seeds says whether the margin is more than noise.
import type { SeedResult, SweepFamily, SweepFile, SweepPoint } from '../../src/morphnet/sweep.ts';
import { ResultsInputError } from './runs.ts';

export interface Spread {
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  std: number;
  min: number;
  max: number;
  n: number;
}

export function spread(xs: readonly number[]): Spread {
  if (xs.length === 0) throw new Error('spread of no values');
  const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
  const ss = xs.reduce((a, x) => a + (x - mean) ** 2, 0);
  return {
    mean,
    std: xs.length > 1 ? Math.sqrt(ss / (xs.length - 1)) : 0,
    min: Math.min(...xs),
    max: Math.max(...xs),
    n: xs.length,
  };
}

const key = (p: { family: SweepFamily; label: string }) => `${p.family} ${p.label}`;

/**
 * One file from per-seed sweeps: each point of any seed's sweep (in the order they first appear)
 * is the network of the first seed that has it, with `testAccuracy` the mean over the seeds whose
 * sweeps have it and `seeds` each one's own result (a grid that differs between seeds gives
 * points with fewer seeds; the report says so).
 */
export function mergeSweeps(files: readonly SweepFile[]): SweepFile {
  const first = files[0];
  if (first === undefined) throw new ResultsInputError('no sweep files to merge');
  const seeds = files.map((f) => f.settings.seed);
  if (new Set(seeds).size !== seeds.length)
    throw new ResultsInputError(`the sweeps to merge repeat a seed (${seeds.join(', ')})`);
  for (const f of files) {
    if (f.settings.spec !== first.settings.spec || f.settings.dataset !== first.settings.dataset)
      throw new ResultsInputError(
        `seed ${f.settings.seed}'s sweep is of ${f.settings.spec} on ${f.settings.dataset}, not ${first.settings.spec} on ${first.settings.dataset}`,
      );
  }
  const byKey = files.map((f) => new Map(f.points.map((p) => [key(p), p])));
  const points: SweepPoint[] = [];
  const all = new Map<string, SweepPoint>();
  for (const f of files) for (const p of f.points) if (!all.has(key(p))) all.set(key(p), p);
  for (const p of all.values()) {
    const results: SeedResult[] = byKey.flatMap((m, i) => {
      const q = m.get(key(p));
      return q === undefined
        ? []
        : [{ seed: seeds[i]!, flops: q.flops, params: q.params, testAccuracy: q.testAccuracy }];
    });
    points.push({ ...p, testAccuracy: spread(results.map((r) => r.testAccuracy)).mean, seeds: results });
  }
  return {
    ...first,
    settings: { ...first.settings, seeds },
    points,
    skipped: files.flatMap((f) =>
      f.skipped.map((s) => ({ ...s, reason: `seed ${f.settings.seed}: ${s.reason}` })),
    ),
    seconds: files.reduce((a, f) => a + f.seconds, 0),
  };
}

/**
 * One seed's sweep from two runs of it (a first pass and the rest of the grid): the first's
 * points, then the second's that the first lacks; the grids' lists joined, the times added.
 */
export function joinSeedSweeps(a: SweepFile, b: SweepFile): SweepFile {
  if (a.settings.seed !== b.settings.seed)
    throw new ResultsInputError(`cannot join the sweeps of seeds ${a.settings.seed} and ${b.settings.seed}`);
  const have = new Set(a.points.map(key));
  const union = (x: number[], y: number[]) => [...x, ...y.filter((v) => !x.includes(v))];
  return {
    ...a,
    settings: {
      ...a.settings,
      multipliers: union(a.settings.multipliers, b.settings.multipliers),
      prune: union(a.settings.prune, b.settings.prune),
      strengths: union(a.settings.strengths, b.settings.strengths),
      budgets: union(a.settings.budgets, b.settings.budgets),
    },
    points: [...a.points, ...b.points.filter((p) => !have.has(key(p)))],
    skipped: [...a.skipped, ...b.skipped],
    seconds: a.seconds + b.seconds,
  };
}

export type Axis = 'flops' | 'params';

/** A baseline's accuracy at `x` along its measured curve (log x, linear between neighbours); null outside. */
export function interpolate(points: readonly { x: number; y: number }[], x: number): number | null {
  const c = [...points].sort((a, b) => a.x - b.x);
  for (let i = 0; i + 1 < c.length; i++) {
    const a = c[i]!;
    const b = c[i + 1]!;
    if (x < a.x || x > b.x) continue;
    if (a.x === b.x) return Math.max(a.y, b.y);
    const t = (Math.log(x) - Math.log(a.x)) / (Math.log(b.x) - Math.log(a.x));
    return a.y + t * (b.y - a.y);
  }
  return c.length === 1 && c[0]!.x === x ? c[0]!.y : null;
}

/** single: one seed only, which has no spread to judge a margin against. */
export type Verdict = 'ahead' | 'behind' | 'within' | 'single';

export interface PairedComparison {
  label: string;
  /** The MorphNet point's mean cost on the axis, over the seeds. */
  x: number;
  accuracy: Spread;
  /** The baseline of each seed at that seed's MorphNet cost: its accuracy over the seeds. */
  baseline: Spread;
  /** MorphNet minus the baseline, seed by seed. */
  margin: Spread;
  /**
   * ahead: every seed's MorphNet point beats its own baseline and the mean margin exceeds the
   * margin's seed-to-seed standard deviation; behind: the same the other way; else within.
   */
  verdict: Verdict;
}

export function verdictOf(margins: readonly number[]): Verdict {
  const m = spread(margins);
  if (m.n < 2) return 'single';
  if (m.min > 0 && m.mean > m.std) return 'ahead';
  if (m.max < 0 && -m.mean > m.std) return 'behind';
  return 'within';
}

/**
 * Every MorphNet point of seed-sweeps `files` against `family` on `axis`, paired by seed over the
 * seeds whose sweeps have it; a point outside any such seed's baseline range is left out (never
 * extrapolated).
 */
export function comparePaired(
  files: readonly SweepFile[],
  family: SweepFamily,
  axis: Axis,
): PairedComparison[] {
  const first = files[0];
  if (first === undefined) return [];
  const out: PairedComparison[] = [];
  for (const p of first.points.filter((q) => q.family === 'morphnet')) {
    const rows: { x: number; acc: number; base: number }[] = [];
    let inRange = true;
    for (const f of files) {
      const q = f.points.find((r) => key(r) === key(p));
      if (q === undefined) continue; // a seed whose grid did not have this point
      const curve = f.points
        .filter((r) => r.family === family)
        .map((r) => ({ x: r[axis], y: r.testAccuracy }));
      const base = interpolate(curve, q[axis]);
      if (base === null) inRange = false;
      else rows.push({ x: q[axis], acc: q.testAccuracy, base });
    }
    if (!inRange || rows.length === 0) continue;
    const margins = rows.map((r) => r.acc - r.base);
    out.push({
      label: p.label,
      x: spread(rows.map((r) => r.x)).mean,
      accuracy: spread(rows.map((r) => r.acc)),
      baseline: spread(rows.map((r) => r.base)),
      margin: spread(margins),
      verdict: verdictOf(margins),
    });
  }
  return out;
}

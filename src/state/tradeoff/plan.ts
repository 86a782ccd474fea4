// What the page's trade-off queue (./queue.ts) trains, as pure data: the points a request asks
// for, the cache key that makes each one "already measured", and the jobs (one worker each) that
// make the missing ones. Kept pure so the grouping and the counts are tested without workers.
import type { Target } from '../../morphnet/types.ts';

/** What a person types: the `morphnet sweep` grid, on the page's network. */
export interface QueueGrid {
  /** Training steps of every network trained from scratch (and of the seed that is pruned). */
  steps: number;
  multipliers: number[];
  /** Pruning fractions in [0, 1], each fine-tuned `finetune` steps from the trained seed. */
  fractions: number[];
  finetune: number;
  strengths: number[];
  /** Fractions of the seed's cost under `target` that each learned structure is expanded to. */
  budgets: number[];
}

/** The grid with what MorphNet learns toward: the page's target and threshold when it starts. */
export interface QueueRequest extends QueueGrid {
  target: Target;
  threshold: number;
}

export type PlannedPoint =
  | { family: 'uniform'; multiplier: number }
  | { family: 'pruning'; fraction: number; finetune: number }
  | { family: 'morphnet'; strength: number; budget: number; target: Target; threshold: number };

/** One worker's work: pruning trains the seed once for every fraction, MorphNet learns once per strength. */
export type Job =
  | { family: 'uniform'; multiplier: number }
  | { family: 'pruning'; fractions: number[]; finetune: number }
  | { family: 'morphnet'; strength: number; budgets: number[]; target: Target; threshold: number };

/**
 * The cache key of one measured point: the queue's context (network, dataset, training
 * settings), the steps, and what makes the point (a uniform point's key is the one the queue
 * used before pruning and MorphNet joined it, so those points stay found).
 */
export function pointKey(context: string, steps: number, p: PlannedPoint): string {
  const what =
    p.family === 'uniform'
      ? `×${p.multiplier}`
      : p.family === 'pruning'
        ? `prune ${p.fraction} finetune ${p.finetune}`
        : `morphnet ${p.target} strength ${p.strength} threshold ${p.threshold} budget ${p.budget}`;
  return `${context}|steps ${steps}|${what}`;
}

export function requestedPoints(r: QueueRequest): PlannedPoint[] {
  return [
    ...r.multipliers.map((multiplier) => ({ family: 'uniform' as const, multiplier })),
    ...r.fractions.map((fraction) => ({ family: 'pruning' as const, fraction, finetune: r.finetune })),
    ...r.strengths.flatMap((strength) =>
      r.budgets.map((budget) => ({
        family: 'morphnet' as const,
        strength,
        budget,
        target: r.target,
        threshold: r.threshold,
      })),
    ),
  ];
}

export interface Plan {
  jobs: Job[];
  /** Points still to measure, and the training steps that takes (the progress bar's length). */
  points: number;
  steps: number;
  /** Networks the worker builds (on a GPU each compiles its programs at its first step). */
  builds: number;
}

/** The jobs that measure every requested point whose key is not in `have`. */
export function planJobs(r: QueueRequest, context: string, have: ReadonlySet<string>): Plan {
  const missing = (p: PlannedPoint) => !have.has(pointKey(context, r.steps, p));
  const jobs: Job[] = [];
  for (const multiplier of r.multipliers) {
    if (missing({ family: 'uniform', multiplier })) jobs.push({ family: 'uniform', multiplier });
  }
  const fractions = r.fractions.filter((fraction) =>
    missing({ family: 'pruning', fraction, finetune: r.finetune }),
  );
  if (fractions.length > 0) jobs.push({ family: 'pruning', fractions, finetune: r.finetune });
  for (const strength of r.strengths) {
    const { target, threshold } = r;
    const budgets = r.budgets.filter((budget) =>
      missing({ family: 'morphnet', strength, budget, target, threshold }),
    );
    if (budgets.length > 0) jobs.push({ family: 'morphnet', strength, budgets, target, threshold });
  }
  let points = 0;
  let steps = 0;
  // Every job builds its first network; each pruned fraction and each expansion builds another.
  let builds = jobs.length;
  for (const j of jobs) {
    if (j.family === 'uniform') {
      points += 1;
      steps += r.steps;
    } else if (j.family === 'pruning') {
      points += j.fractions.length;
      steps += r.steps + j.fractions.length * j.finetune;
      builds += j.fractions.length;
    } else {
      points += j.budgets.length;
      steps += r.steps * (1 + j.budgets.length);
      builds += j.budgets.length;
    }
  }
  return { jobs, points, steps, builds };
}

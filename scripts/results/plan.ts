// The CLI commands behind docs/RESULTS.md (issue 14), exactly as a user would type them, and the
// files each one writes. One recipe for every network; each seed's sweep is one command, merged
// afterwards (scripts/results/seeds.ts), so a seed that has finished is never run again.
import { join } from 'node:path';

export const SPEC = 'resnet-mini';

export interface Recipe {
  /** Steps of every trained network (uniform, MorphNet's expansions, the cycle's retraining). */
  steps: number;
  /** Steps of each structure-learning run (MorphNet at a strength, the size runs, the cycle). */
  learnSteps: number;
  /** Steps of the one recipe check: the seed alone, trained for as long as it takes to get there. */
  recipeSteps: number;
  batch: number;
  lr: number;
}

// 600 recipe steps gave Fashion-MNIST 90.3% but MNIST 98.9%: twice that (2.6 epochs) for both.
export const RECIPE: Recipe = { steps: 300, learnSteps: 150, recipeSteps: 1200, batch: 128, lr: 0.1 };

/**
 * The sweep's grid: uniform points around MorphNet's budgets, one strength. The first seed also
 * has the seed itself (×1) and budget 1; the others only what brackets budget 0.5, which is what
 * fitted this machine's time (the report says which points have how many seeds).
 */
export const GRID = { multipliers: '0.5,0.75,1', strengths: '10', budgets: '0.5,1' };
export const GRID_MORE_SEEDS = { multipliers: '0.5,0.75', strengths: '10', budgets: '0.5' };
/** The rest of GRID, a second sweep per seed: budget 1 (and ×1 where the first pass had none). */
export const GRID_REST_FIRST = { multipliers: '', strengths: '10', budgets: '1' };
export const GRID_REST = { multipliers: '1', strengths: '10', budgets: '1' };
/** The whole trade-off, a third pass per seed: the far uniform points and two more strengths. */
export const GRID_WIDE = { multipliers: '0.25,1.5', strengths: '5,20', budgets: '0.5,1' };
/** Magnitude pruning at three fractions, a fourth pass (it trains and prunes its own seed on tfjs). */
export const GRID_PRUNE = { multipliers: '', strengths: '', budgets: '', prune: '0.25,0.5,0.75' };
export const STRENGTH = 10;

/** A 5% linear warm-up, then a cosine to 0 over the run's own steps. */
const schedule = (steps: number) => [
  '--schedule',
  'cosine',
  '--warmup',
  String(Math.max(1, Math.round(steps / 20))),
];

export interface Step {
  /** What it is for, in the progress lines. */
  what: string;
  args: string[];
  /** The file the command writes; present: the command has run. */
  output: string;
}

export interface DatasetPlan {
  dataset: string;
  dir: string;
  recipe: Step;
  sweeps: { seed: number; step: Step }[];
  /** Per seed, more sweeps with the rest of the grid (each joined to the first, seeds.ts). */
  rest: { seed: number; step: Step }[];
  sizeRuns: { seed: number; step: Step }[];
  inception: Step;
  /** The second shrink/expand cycle from the first seed's MorphNet network (results.ts picks which). */
  cycle: { seed: number; first: string; learn: Step; expand: Step; retrain: Step };
}

export function planFor(
  dataset: string,
  root: string,
  seeds: number[],
  engine: string,
  r: Recipe = RECIPE,
): DatasetPlan {
  const dir = join(root, dataset);
  const eng = ['--engine', engine];
  // The warm-up of a learning run is the sweep's (--steps'), as the sweep's own learning runs take.
  const common = (steps: number) => [
    '--dataset',
    dataset,
    '--steps',
    String(steps),
    '--batch',
    String(r.batch),
    '--lr',
    String(r.lr),
    ...schedule(steps === r.learnSteps ? r.steps : steps),
  ];
  // In a sweep the warm-up is --steps' (its learn runs take the same warm-up over --learn-steps).
  const train = (
    what: string,
    spec: string,
    steps: number,
    seed: number,
    target: string,
    strength: number,
    out: string,
  ): Step => ({
    what,
    args: [
      'train',
      '--spec',
      spec,
      ...common(steps),
      '--seed',
      String(seed),
      '--target',
      target,
      '--strength',
      String(strength),
      '--eval-every',
      String(steps),
      ...eng,
      '--out',
      out,
      '--force',
    ],
    output: join(out, 'run.json'),
  });
  const sweepStep = (
    seed: number,
    grid: typeof GRID & { prune?: string },
    name: string,
    what: string,
  ): Step => {
    const out = join(dir, `${name}.json`);
    const args = [
      'sweep',
      '--spec',
      SPEC,
      ...common(r.steps),
      '--learn-steps',
      String(r.learnSteps),
      '--seed',
      String(seed),
      '--multipliers',
      grid.multipliers,
      '--prune',
      grid.prune ?? '',
      '--strengths',
      grid.strengths,
      '--budgets',
      grid.budgets,
      '--target',
      'flops',
      ...eng,
      '--out',
      out,
    ];
    return { what, args, output: out };
  };
  const sweeps = seeds.map((seed, i) => ({
    seed,
    step: sweepStep(seed, i === 0 ? GRID : GRID_MORE_SEEDS, `sweep-seed-${seed}`, `sweep, seed ${seed}`),
  }));
  // What the first pass left out, once time allowed: the same points for every seed.
  const rest = seeds.flatMap((seed, i) => [
    {
      seed,
      step: sweepStep(
        seed,
        i === 0 ? GRID_REST_FIRST : GRID_REST,
        `sweep-seed-${seed}-rest`,
        `sweep, seed ${seed}, the rest of the grid`,
      ),
    },
    {
      seed,
      step: sweepStep(
        seed,
        GRID_WIDE,
        `sweep-seed-${seed}-wide`,
        `sweep, seed ${seed}, ×0.25, ×1.5, strengths 5 and 20`,
      ),
    },
    {
      seed,
      step: sweepStep(seed, GRID_PRUNE, `sweep-seed-${seed}-prune`, `sweep, seed ${seed}, magnitude pruning`),
    },
  ]);
  const cycleSeed = seeds[0] ?? 1;
  const cdir = join(dir, 'cycle');
  const first = join(cdir, 'expanded-1.json');
  const learn = train(
    'cycle 2: learn',
    first,
    r.learnSteps,
    cycleSeed,
    'flops',
    STRENGTH,
    join(cdir, 'learn'),
  );
  const second = join(cdir, 'expanded-2.json');
  return {
    dataset,
    dir,
    recipe: train(
      'the recipe: the seed alone',
      SPEC,
      r.recipeSteps,
      1,
      'flops',
      0,
      join(dir, `recipe-${r.recipeSteps}`),
    ),
    sweeps,
    rest,
    sizeRuns: seeds.map((seed) => ({
      seed,
      step: train(
        `size-targeted structure, seed ${seed}`,
        SPEC,
        r.learnSteps,
        seed,
        'size',
        STRENGTH,
        join(dir, `size-seed-${seed}`),
      ),
    })),
    inception: train(
      'inception-mini towers',
      'inception-mini',
      r.learnSteps,
      1,
      'flops',
      STRENGTH * 2,
      join(dir, 'inception'),
    ),
    cycle: {
      seed: cycleSeed,
      first,
      learn,
      expand: {
        what: 'cycle 2: expand',
        // --budget is filled in by the caller: the first cycle's, in FLOPs.
        args: [
          'expand',
          '--spec',
          first,
          '--alive',
          join(cdir, 'learn', 'learned_structure', `alive_${r.learnSteps}`),
          '--target',
          'flops',
          '--out',
          second,
          '--force',
        ],
        output: second,
      },
      retrain: train('cycle 2: retrain', second, r.steps, cycleSeed, 'flops', 0, join(cdir, 'retrain')),
    },
  };
}

/** A command as the report shows it. */
export const shown = (args: string[]) => `npx morphnet ${args.map((a) => (a === '' ? "''" : a)).join(' ')}`;

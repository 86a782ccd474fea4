// The report's answer to its own question, first in each dataset's section: what the verdicts
// and the savings say together, and, where MorphNet does not win, what in these runs explains
// it. Every figure is computed from the sweeps, so a re-render with more seeds or longer training
// rewrites the answer with them.
import type { SweepFile } from '../../src/morphnet/sweep.ts';
import { savings } from './saving.ts';
import { comparePaired, spread, type PairedComparison } from './seeds.ts';

const TRAIN_IMAGES = 60_000;
const pts = (x: number) => `${x < 0 ? '−' : ''}${Math.abs(100 * x).toFixed(1)}`;

function tally(cs: PairedComparison[]): { ahead: number; within: number; behind: number; n: number } {
  const judged = cs.filter((c) => c.verdict !== 'single');
  const count = (v: PairedComparison['verdict']) => judged.filter((c) => c.verdict === v).length;
  return { ahead: count('ahead'), within: count('within'), behind: count('behind'), n: judged.length };
}

export function answerText(
  dataset: string,
  sweeps: readonly SweepFile[],
  merged: SweepFile | null,
  recipe: { steps: number; testAccuracy: number } | null,
): string {
  if (merged === null || sweeps.length === 0)
    return `**The answer on ${dataset}:** not yet: no sweep has finished.`;
  const u = tally(comparePaired(sweeps, 'uniform', 'flops'));
  const p = tally(comparePaired(sweeps, 'pruning', 'flops'));
  const seeds = merged.settings.seeds?.length ?? 1;
  const steps = merged.settings.steps;
  const epochs = (steps * merged.settings.batch) / TRAIN_IMAGES;
  const saved = savings(sweeps).flatMap((s) => (s.saving === null ? [] : [s.saving.mean]));
  const out = [
    `**The answer on ${dataset}** (${seeds} seed${seeds === 1 ? '' : 's'}, every network trained ${steps} steps, ${epochs.toFixed(2)} epochs): at equal FLOPs MorphNet is ahead of the uniform multiplier by more than the seeds' spread at ${u.ahead} of ${u.n} points (within it at ${u.within}, behind at ${u.behind})${p.n > 0 ? `, and ahead of magnitude pruning at ${p.ahead} of ${p.n} (within at ${p.within}, behind at ${p.behind})` : ''}.`,
  ];
  if (saved.length > 0) {
    const s = spread(saved);
    out.push(
      `On the paper's measure, FLOPs saved at equal accuracy, its points average ${pts(s.mean)}% (from ${pts(s.min)}% to ${pts(s.max)}%; the paper reports 11–15% on Inception V2).`,
    );
  }
  if (u.n > 0 && u.ahead * 2 <= u.n) {
    const uniform = merged.points
      .filter((q) => q.family === 'uniform' && q.seeds && q.seeds.length > 1)
      .sort((a, b) => a.flops - b.flops);
    const half = uniform.find((q) => q.label === '×0.5');
    const full = uniform.find((q) => q.label === '×1');
    const stds = merged.points.flatMap((q) =>
      q.seeds && q.seeds.length > 1 ? [spread(q.seeds.map((x) => x.testAccuracy)).std] : [],
    );
    const typical = stds.length > 0 ? spread(stds).mean : null;
    const why = ['So MorphNet does not beat the uniform multiplier here.'];
    if (half && full && typical !== null)
      why.push(
        `What these runs show about why: doubling every layer's width from ×0.5 to ×1 (4× the FLOPs) gains only ${pts(full.testAccuracy - half.testAccuracy)} points, against a seed-to-seed spread of ${pts(typical)} points per network, so at this length of training the network is wider than the task needs and a better placement of the same FLOPs has little accuracy to win.`,
      );
    if (full && recipe)
      why.push(
        `Trained longer, the seed alone reaches ${pts(recipe.testAccuracy)}% at ${recipe.steps} steps against ${pts(full.testAccuracy)}% at ${steps}: a grid at that length, not run here for the time it takes, is where the widths, and MorphNet's placement of them, would be expected to differ more.`,
      );
    out.push(...why);
  }
  return out.join(' ');
}

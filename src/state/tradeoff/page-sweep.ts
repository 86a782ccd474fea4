// The page's own measured points (./queue.ts) as a sweep file (src/morphnet/sweep.ts), so the
// chart, the point detail and the summary that read `morphnet sweep`'s files show them unchanged.
import { uniformSpec } from '../../morphnet/baselines.ts';
import { networkCost } from '../../morphnet/cost.ts';
import { SWEEP_FORMAT, SWEEP_VERSION, type SweepFile, type SweepPoint } from '../../morphnet/sweep.ts';
import type { NetworkSpec } from '../../morphnet/types.ts';
import type { StudioSettings } from '../url.ts';
import type { PagePointRecord } from './cache.ts';
import type { QueueRequest } from './plan.ts';

/** The worker's quick test-accuracy estimate scores this many test examples (src/worker/pacing.ts evalLimit). */
export const PAGE_TEST_EXAMPLES = 400;

const FAMILY_ORDER = { uniform: 0, pruning: 1, morphnet: 2 } as const;

/** Which kept points belong on one chart: the request's steps, and MorphNet's target and threshold. */
export function chartable(
  r: PagePointRecord,
  request: Pick<QueueRequest, 'steps' | 'target' | 'threshold'>,
): boolean {
  if (r.steps !== request.steps) return false;
  const s = r.settings;
  return s.family !== 'morphnet' || (s.target === request.target && s.threshold === request.threshold);
}

/**
 * A sweep of the page's network from its kept points, or null when none is chartable. A point
 * without an accuracy is listed as skipped, not drawn.
 */
export function pageSweep(
  records: readonly PagePointRecord[],
  page: { name: string; seed: NetworkSpec; settings: StudioSettings } & Pick<
    QueueRequest,
    'steps' | 'finetune'
  >,
): SweepFile | null {
  const { seed, settings } = page;
  // MorphNet points count when learned toward the page's target and threshold.
  const request = {
    steps: page.steps,
    finetune: page.finetune,
    target: settings.target,
    threshold: settings.threshold,
  };
  const shown = records.filter((r) => chartable(r, request));
  const points: SweepPoint[] = [];
  const skipped: SweepFile['skipped'] = [];
  for (const r of shown) {
    if (r.testAccuracy === null) {
      skipped.push({ family: r.family, label: r.label, reason: 'no test accuracy was measured' });
      continue;
    }
    const spec =
      r.spec ?? (r.settings.family === 'uniform' ? uniformSpec(seed, r.settings.multiplier) : null);
    if (!spec) continue;
    points.push({
      family: r.family,
      label: r.label,
      settings: r.settings,
      spec,
      widths: r.widths,
      alive: r.alive ?? r.widths,
      ...(r.learned ? { learned: r.learned } : {}),
      flops: r.flops,
      params: r.params,
      testAccuracy: r.testAccuracy,
      steps: r.settings.family === 'pruning' ? r.settings.finetune : r.steps,
      seconds: r.seconds,
    });
  }
  if (points.length === 0 && skipped.length === 0) return null;
  points.sort((a, b) => FAMILY_ORDER[a.family] - FAMILY_ORDER[b.family] || a.flops - b.flops);
  const numbers = (pick: (s: PagePointRecord['settings']) => number | null) =>
    [...new Set(shown.map((r) => pick(r.settings)).filter((v): v is number => v !== null))].sort(
      (a, b) => a - b,
    );
  const cost = networkCost(seed);
  return {
    format: SWEEP_FORMAT,
    version: SWEEP_VERSION,
    settings: {
      spec: page.name,
      dataset: settings.dataset,
      steps: request.steps,
      batch: settings.batch,
      lr: settings.lr,
      seed: settings.seed,
      threshold: request.threshold,
      target: request.target,
      strengths: numbers((s) => (s.family === 'morphnet' ? s.strength : null)),
      multipliers: numbers((s) => (s.family === 'uniform' ? s.multiplier : null)),
      prune: numbers((s) => (s.family === 'pruning' ? s.fraction : null)),
      finetune: numbers((s) => (s.family === 'pruning' ? s.finetune : null))[0] ?? request.finetune,
      budgets: numbers((s) => (s.family === 'morphnet' ? s.budget : null)),
      backend: shown.find((r) => r.backend)?.backend ?? settings.backend,
    },
    seed: { spec: seed, flops: cost.flops, params: cost.params },
    testExamples: PAGE_TEST_EXAMPLES,
    points,
    skipped,
    seconds: shown.reduce((t, r) => t + r.seconds, 0),
  };
}

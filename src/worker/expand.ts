// Expansion in the worker: the learned alive counts of the run training now, widened by the
// method (deps.expand) to a budget, with progress events around it. Split from handler.ts:
// it reads the run and posts, but changes nothing of it.
import type { Metrics, Session } from '../engine/types.ts';
import type { AliveCounts, LatencySettings, Target } from '../morphnet/types.ts';
import type { ExpansionEvent, PostFn } from '../protocol/messages.ts';
import type { Expansion, StudioDeps } from './deps.ts';

export type LearnedExpansion = Expansion & { learned: AliveCounts };

/** `metrics`: the last readback, whose alive counts are what the page shows; read now if none. */
export async function expandRun(
  session: Session,
  metrics: Metrics | null,
  target: Target,
  budget: number,
  expand: StudioDeps['expand'],
  post: PostFn,
  latency?: LatencySettings,
): Promise<LearnedExpansion> {
  post({ type: 'progress', task: 'expand', label: 'Computing the expansion', fraction: null, done: false });
  try {
    const learned = (metrics ?? (await session.readMetrics())).alive;
    return { ...expand(session.spec, learned, target, budget, latency), learned };
  } finally {
    post({ type: 'progress', task: 'expand', label: '', fraction: 1, done: true });
  }
}

export function expansionEvent(e: LearnedExpansion, target: Target, budget: number): ExpansionEvent {
  const { spec, omega, cost, widths, learned } = e;
  return { type: 'expansion', target, budget, omega, learned, widths, spec, cost };
}

// A run has diverged when any value of a readback is not finite (NaN or ±Infinity): the loss,
// the regularizer or a γ. Training on from there only trains garbage (issue 9).
import type { Metrics } from './types.ts';

export interface DivergenceCause {
  /** What went bad, in words: "task loss", "regularizer loss", "regularizer value", "γ of c1". */
  what: string;
  /** "NaN", "Infinity" or "-Infinity". */
  value: string;
}

type Readback = Pick<Metrics, 'taskLoss' | 'regLoss' | 'regValue' | 'gammas'> & { step?: number };

/** The first non-finite value of a readback, or null when every value is finite. */
export function divergenceCause(m: Readback): DivergenceCause | null {
  const scalars: Array<[string, number]> = [
    ['task loss', m.taskLoss],
    ['regularizer loss', m.regLoss],
    ['regularizer value', m.regValue],
  ];
  for (const [what, x] of scalars) if (!Number.isFinite(x)) return { what, value: String(x) };
  for (const [layer, g] of Object.entries(m.gammas)) {
    for (const x of g) if (!Number.isFinite(x)) return { what: `γ of ${layer}`, value: String(x) };
  }
  return null;
}

/**
 * "the task loss became NaN at step 120" (the step when the readback has one), or null when every
 * value is finite. Before a session's first step the task loss is NaN by design (Metrics): call
 * this on readbacks taken after a step.
 */
export function divergence(m: Readback): string | null {
  const c = divergenceCause(m);
  if (c === null) return null;
  return `the ${c.what} became ${c.value}${m.step === undefined ? '' : ` at step ${m.step}`}`;
}

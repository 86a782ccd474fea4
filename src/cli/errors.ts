// What the CLI reports as the user's mistake: one line on stderr, exit code 2, no stack trace.
import { ExpandError } from '../morphnet/expand.ts';
import { SpecError } from '../morphnet/spec.ts';
import { StructureError } from '../morphnet/structure.ts';

export class UsageError extends Error {
  override name = 'UsageError';
}

export function isUserError(e: unknown): e is Error {
  return (
    e instanceof UsageError ||
    e instanceof SpecError ||
    e instanceof StructureError ||
    e instanceof ExpandError
  );
}

/** One line, whatever the error carried (some Node messages span several). */
export function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]?.trim() ?? '';
}

/** A network stopped training because a readback was not finite (engine/divergence.ts). */
export class DivergedError extends Error {
  override name = 'DivergedError';
  constructor(
    readonly step: number,
    /** "task loss NaN" */
    readonly reason: string,
    /** Which network, in the sweep's words: "uniform ×0.5". */
    readonly network: string,
  ) {
    super(`training ${network} diverged at step ${step} (${reason})`);
  }
}

/** SIGINT or SIGTERM arrived while a sweep trained `network`; it stopped between two steps. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  constructor(
    readonly signal: NodeJS.Signals,
    readonly network: string,
  ) {
    super(`interrupted (${signal}) while training ${network}`);
  }
}

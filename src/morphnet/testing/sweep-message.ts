// The one-line message validateSweep refuses a value with, for the sweep validator's tests: a
// SweepError is required, so a test cannot pass on some other failure.
import { expect } from 'vitest';
import { SweepError, validateSweep } from '../sweep-validate.ts';

export function sweepMessage(value: unknown): string {
  try {
    validateSweep(value, 'sweep.json');
  } catch (e) {
    expect(e).toBeInstanceOf(SweepError);
    return (e as Error).message;
  }
  throw new Error('expected a SweepError');
}

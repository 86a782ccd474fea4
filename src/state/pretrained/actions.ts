// What the "Start from" control does: a new choice starts a new run of the seed from it (the
// same as Reset, which for a trained start is a fresh init carrying the weights).
import { resetRun } from '../actions.ts';
import { useStudio } from '../store.ts';
import type { StartChoice } from './manifest.ts';
import { setStartChoice, useStartFrom } from './start.ts';

export function chooseStart(choice: StartChoice): void {
  if (useStartFrom.getState().choice === choice) return;
  setStartChoice(choice);
  // A rejected `start=` in the link is no longer in force once the person chooses.
  useStudio.setState((s) => ({ invalid: s.invalid.filter((i) => i.key !== 'start') }));
  resetRun();
}

// The tour's state: open or not and the step on screen, with the step kept in localStorage while
// the tour is left midway, so a reload or a later lesson can resume where the class stopped.
// Finishing or skipping the tour forgets it.
import { create } from 'zustand';
import { TOUR_STEPS } from './steps.ts';

export const TOUR_STORAGE_KEY = 'morphnet-studio:tour';

export interface TourState {
  open: boolean;
  step: number;
  /** The step a tour was left at, or null when there is none to resume. */
  saved: number | null;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage refused (private mode, sandboxed frame): the tour just is not resumable
  }
}

/** The saved step, or null when none is saved or what is saved is not a step of this tour. */
export function readSaved(): number | null {
  const raw = storage()?.getItem(TOUR_STORAGE_KEY);
  if (raw === null || raw === undefined) return null;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 && n < TOUR_STEPS.length ? n : null;
}

function save(step: number | null): void {
  const s = storage();
  if (!s) return;
  try {
    if (step === null) s.removeItem(TOUR_STORAGE_KEY);
    else s.setItem(TOUR_STORAGE_KEY, String(step));
  } catch {
    // a full storage only costs the resume
  }
}

export const useTour = create<TourState>(() => ({ open: false, step: 0, saved: readSaved() }));

function go(step: number): void {
  save(step);
  useTour.setState({ open: true, step, saved: step });
}

export function startTour(): void {
  go(0);
}

export function resumeTour(): void {
  go(useTour.getState().saved ?? 0);
}

export function nextStep(): void {
  const { open, step } = useTour.getState();
  if (!open) return;
  if (step >= TOUR_STEPS.length - 1) finishTour();
  else go(step + 1);
}

export function previousStep(): void {
  const { open, step } = useTour.getState();
  if (open && step > 0) go(step - 1);
}

/** Escape or Close: the step is kept, and the page offers "Resume tour". */
export function leaveTour(): void {
  useTour.setState({ open: false, saved: readSaved() });
}

/** Skip, or Done after the last step: nothing to resume. */
export function finishTour(): void {
  save(null);
  useTour.setState({ open: false, step: 0, saved: null });
}

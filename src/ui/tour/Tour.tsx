// The guided tour's dialog: not modal (the class can still use the page beside it), its step
// text announced through aria-live, focus moved to it when it opens, the part it talks about
// outlined, and the keyboard: → next, ← back, Escape leaves (the step is kept to resume).
import { useEffect, useId, useRef, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from 'react';
import { isTypingTarget } from '../shortcuts.ts';
import { TOUR_STEPS } from './steps.ts';
import { finishTour, leaveTour, nextStep, previousStep, resumeTour, startTour, useTour } from './store.ts';

export const HIGHLIGHT_CLASS = 'tour-highlight';

/** Arrow keys belong to a focused slider, field or diagram; the tour takes them only from itself or the page. */
function takesArrows(target: EventTarget | null, dialog: HTMLElement | null): boolean {
  if (!(target instanceof HTMLElement)) return true;
  if (dialog?.contains(target)) return !(target instanceof HTMLInputElement);
  return target === document.body || target === document.documentElement;
}

export function Tour() {
  const open = useTour((s) => s.open);
  const step = useTour((s) => s.step);
  const dialog = useRef<HTMLDivElement>(null);
  const current = TOUR_STEPS[step] ?? TOUR_STEPS[0]!;

  // The part this step is about: outlined, and scrolled into view.
  useEffect(() => {
    if (!open) return;
    const el = document.querySelector<HTMLElement>(`[data-tour="${current.target}"]`);
    if (!el) return;
    el.classList.add(HIGHLIGHT_CLASS);
    el.scrollIntoView?.({ block: 'nearest' });
    return () => el.classList.remove(HIGHLIGHT_CLASS);
  }, [open, current.target]);

  useEffect(() => {
    if (open) dialog.current?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Escape') {
        if (isTypingTarget(e.target) && !dialog.current?.contains(e.target as Node)) return;
        leaveTour();
      } else if (e.key === 'ArrowRight' && takesArrows(e.target, dialog.current)) nextStep();
      else if (e.key === 'ArrowLeft' && takesArrows(e.target, dialog.current)) previousStep();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  return open ? <TourDialog step={step} dialogRef={dialog} /> : null;
}

/** The dialog of one step, from props (what the unit tests render). */
export function TourDialog(props: { step: number; dialogRef?: RefObject<HTMLDivElement | null> }) {
  const { step, dialogRef: dialog } = props;
  const titleId = useId();
  const textId = useId();
  const current = TOUR_STEPS[step] ?? TOUR_STEPS[0]!;
  const last = step === TOUR_STEPS.length - 1;
  // Space on the dialog itself must not reach the page's train/pause shortcut.
  const keepSpace = (e: ReactKeyboardEvent) => {
    if (e.key === ' ' && e.target === e.currentTarget) e.stopPropagation();
  };
  return (
    <div
      ref={dialog}
      className="tour-dialog card"
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      aria-describedby={textId}
      tabIndex={-1}
      onKeyDown={keepSpace}
    >
      <p className="tour-count small muted">
        Step {step + 1} of {TOUR_STEPS.length}
      </p>
      <div aria-live="polite" aria-atomic="true">
        <h2 id={titleId}>{current.title}</h2>
        <p id={textId}>{current.text}</p>
      </div>
      <div className="tour-buttons">
        <button
          type="button"
          className="secondary"
          onClick={previousStep}
          disabled={step === 0}
          aria-keyshortcuts="ArrowLeft"
        >
          Back
        </button>
        <button type="button" className="primary" onClick={nextStep} aria-keyshortcuts="ArrowRight">
          {last ? 'Done' : 'Next'}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={finishTour}
          title="End the tour; it starts again from the first step"
        >
          Skip
        </button>
        <button
          type="button"
          className="secondary"
          onClick={leaveTour}
          aria-keyshortcuts="Escape"
          title="Close the tour and resume it later (Escape)"
        >
          Close
        </button>
      </div>
    </div>
  );
}

/** "Take the tour", or "Resume tour" when it was left midway. */
export function TourButton() {
  const open = useTour((s) => s.open);
  const saved = useTour((s) => s.saved);
  return open ? null : <TourButtonView saved={saved} />;
}

export function TourButtonView(props: { saved: number | null }) {
  const { saved } = props;
  if (saved !== null && saved > 0) {
    return (
      <button
        type="button"
        className="secondary tour-start"
        onClick={resumeTour}
        title={`Go on from step ${saved + 1} of ${TOUR_STEPS.length}`}
      >
        Resume tour
      </button>
    );
  }
  return (
    <button type="button" className="secondary tour-start" onClick={startTour}>
      Take the tour
    </button>
  );
}

// Space train/pause, S step, E expand — but never while the person is typing in a field, and
// Space never on a focused button, link, radio or checkbox, where it already means "press this".
// Sliders take no letters, so S and E still work after moving one.
import { useEffect } from 'react';
import { openExpand, stepOnce, toggleTraining } from '../state/actions.ts';
import { useStudio } from '../state/store.ts';

const PRESSABLE = new Set(['BUTTON', 'A', 'SUMMARY']);
const NO_TEXT_INPUTS = new Set(['range', 'radio', 'checkbox', 'button', 'submit', 'reset', 'file']);

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return !NO_TEXT_INPUTS.has(target.type);
  return target.tagName === 'SELECT' || target.tagName === 'TEXTAREA' || target.isContentEditable;
}

function isPressable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return target.type !== 'range';
  return PRESSABLE.has(target.tagName);
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
      if (useStudio.getState().expandOpen || isTypingTarget(e.target)) return;
      const key = e.key.toLowerCase();
      if (key === ' ') {
        if (isPressable(e.target)) return;
        toggleTraining();
      } else if (key === 's') stepOnce();
      else if (key === 'e') openExpand();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

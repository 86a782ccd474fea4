// Space train/pause, S step, E expand — but never while the person is typing in a field, and
// Space never on a focused button or link, where it already means "press this".
import { useEffect } from 'react';
import { openExpand, stepOnce, toggleTraining } from '../state/actions.ts';
import { useStudio } from '../state/store.ts';

const TYPING = new Set(['INPUT', 'SELECT', 'TEXTAREA']);
const PRESSABLE = new Set(['BUTTON', 'A', 'SUMMARY']);

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return TYPING.has(target.tagName) || target.isContentEditable;
}

function isPressable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && PRESSABLE.has(target.tagName);
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
      }
      else if (key === 's') stepOnce();
      else if (key === 'e') openExpand();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

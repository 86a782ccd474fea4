// The tour: seven steps, each pointing at a part the page really marks with data-tour; the dialog
// as a screen reader meets it; next/back/leave/resume/skip and the step kept in localStorage.
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../App.tsx';
import { TOUR_STEPS } from './steps.ts';
import {
  finishTour,
  leaveTour,
  nextStep,
  previousStep,
  readSaved,
  resumeTour,
  startTour,
  TOUR_STORAGE_KEY,
  useTour,
} from './store.ts';
import { Tour, TourButtonView, TourDialog } from './Tour.tsx';

class MemoryStorage {
  private items = new Map<string, string>();
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, v);
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
}

beforeEach(() => {
  (globalThis as { localStorage?: unknown }).localStorage = new MemoryStorage();
  useTour.setState({ open: false, step: 0, saved: null });
});

describe('tour steps', () => {
  it('are seven, in the order of a lesson, each one paragraph', () => {
    expect(TOUR_STEPS.map((s) => s.target)).toEqual([
      'structure',
      'gammas',
      'target',
      'cost',
      'expand',
      'twin',
      'tradeoff',
    ]);
    for (const s of TOUR_STEPS) expect(s.text).not.toContain('\n');
  });

  it('point at parts the page marks', () => {
    const html = renderToStaticMarkup(<App />);
    for (const s of TOUR_STEPS) expect(html).toContain(`data-tour="${s.target}"`);
  });
});

describe('the tour dialog', () => {
  it('is a non-modal dialog with its step count and live text', () => {
    startTour();
    nextStep();
    nextStep();
    expect(useTour.getState().step).toBe(2);
    const html = renderToStaticMarkup(<TourDialog step={useTour.getState().step} />);
    expect(html).toContain('role="dialog"');
    expect(html).toContain('aria-modal="false"');
    expect(html).toContain('Step 3 of 7');
    expect(html).toContain('aria-live="polite"');
    expect(html).toContain(`<h2 id="${/<h2 id="([^"]+)"/.exec(html)?.[1]}">The target</h2>`);
    expect(html).toContain('>Skip</button>');
  });

  it('renders nothing when closed', () => {
    expect(renderToStaticMarkup(<Tour />)).toBe('');
  });
});

describe('tour progress', () => {
  it('goes forward and back, stops at the first step, and finishes after the last', () => {
    startTour();
    previousStep();
    expect(useTour.getState().step).toBe(0);
    for (let k = 0; k < 6; k++) nextStep();
    expect(useTour.getState()).toMatchObject({ open: true, step: 6 });
    nextStep();
    expect(useTour.getState()).toMatchObject({ open: false, saved: null });
    expect(localStorage.getItem(TOUR_STORAGE_KEY)).toBeNull();
  });

  it('keeps the step when left, offers Resume tour, and resumes there', () => {
    startTour();
    nextStep();
    nextStep();
    nextStep();
    leaveTour();
    expect(useTour.getState()).toMatchObject({ open: false, saved: 3 });
    expect(localStorage.getItem(TOUR_STORAGE_KEY)).toBe('3');
    expect(renderToStaticMarkup(<TourButtonView saved={useTour.getState().saved} />)).toContain(
      '>Resume tour</button>',
    );
    resumeTour();
    expect(useTour.getState()).toMatchObject({ open: true, step: 3 });
    finishTour();
    expect(renderToStaticMarkup(<TourButtonView saved={useTour.getState().saved} />)).toContain(
      '>Take the tour</button>',
    );
  });

  it('ignores a saved value that is not a step', () => {
    localStorage.setItem(TOUR_STORAGE_KEY, '42');
    expect(readSaved()).toBeNull();
    localStorage.setItem(TOUR_STORAGE_KEY, 'two');
    expect(readSaved()).toBeNull();
  });
});

// The page's trade-off queue state (./queue.ts): what is kept for the page's network, what trains.
import { create } from 'zustand';
import type { PagePointRecord } from './cache.ts';

export type QueuePhase = 'idle' | 'running' | 'paused' | 'done' | 'stopped' | 'error';

import type { QueueGrid } from './plan.ts';

export type { QueueGrid };

/** The grid is the last one asked for (the next start's defaults). */
export interface QueueState extends QueueGrid {
  phase: QueuePhase;
  /** The cache key of the page's network and settings the points belong to. */
  context: string | null;
  /** Measured points of that context. */
  points: PagePointRecord[];
  /** The network in training: which point(s) it makes, what it does, its steps. */
  current: { label: string; task: string; step: number; steps: number; wait: string | null } | null;
  /** Points this start measures, and how many are finished; the same in training steps. */
  total: number;
  done: number;
  totalSteps: number;
  doneSteps: number;
  /** Points that could not be made this start (a budget the learned structure cannot reach). */
  skipped: { label: string; reason: string }[];
  /** One line when something went wrong (or the page is not ready). */
  message: string | null;
  /** One line when the browser would not keep the measured points (storage full, or refused). */
  keepError: string | null;
  /** Said when the queue picked up where an earlier visit left it. */
  resumed: string | null;
}

export const initialQueueState: QueueState = {
  phase: 'idle',
  steps: 200,
  multipliers: [0.25, 0.5, 0.75, 1],
  fractions: [0.25, 0.5, 0.75],
  finetune: 60,
  strengths: [5],
  budgets: [0.5, 1],
  context: null,
  points: [],
  current: null,
  total: 0,
  done: 0,
  totalSteps: 0,
  doneSteps: 0,
  skipped: [],
  message: null,
  keepError: null,
  resumed: null,
};

const GRID_KEY = 'morphnet-studio-queue-grid';

/** The grid last measured in this browser, so a reload offers it again; null if none or unreadable. */
export function storedGrid(
  storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage,
): QueueGrid | null {
  try {
    const v = JSON.parse(storage?.getItem(GRID_KEY) ?? 'null') as Record<string, unknown> | null;
    if (!v) return null;
    const count = (x: unknown) => Number.isInteger(x) && (x as number) >= 0;
    const list = (x: unknown) =>
      Array.isArray(x) && x.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0);
    const { steps, multipliers, fractions, finetune, strengths, budgets } = v;
    if (!count(steps) || !count(finetune) || ![multipliers, fractions, strengths, budgets].every(list))
      return null;
    return { steps, multipliers, fractions, finetune, strengths, budgets } as QueueGrid;
  } catch {
    return null;
  }
}

export function storeGrid(
  grid: QueueGrid,
  storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage,
): void {
  try {
    storage?.setItem(GRID_KEY, JSON.stringify(grid));
  } catch {
    // A private window may refuse storage: the grid is then only not remembered.
  }
}

export const useQueueStore = create<QueueState>()(() => ({ ...initialQueueState, ...storedGrid() }));

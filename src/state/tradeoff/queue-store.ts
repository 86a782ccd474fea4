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
};

export const useQueueStore = create<QueueState>()(() => ({ ...initialQueueState }));
